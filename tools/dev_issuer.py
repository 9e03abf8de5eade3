"""A stand-in for Google's sign-in, for `make dev` and the tests (never deployed).

It has its own RSA key and certificate, publishes the certificate as Google publishes its own
(`GET /certs`: {key id: PEM}), and signs ID tokens shaped as Google's (iss, aud, sub, email,
email_verified, hd, name, iat, exp). The console trusts it only when
`HELPDESK_DEV_ISSUER_URL` names it.

`GET /signin?client_id=..&login_uri=..&state=..` shows a page where one types the address to
sign in as; its button posts the signed token to the console's `login_uri`, with `state` as
Google Identity Services' `g_csrf_token`.

    python -m tools.dev_issuer --port 8714
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class StandInIssuer:
    def __init__(self, url: str) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
        from google.auth import crypt

        self.url = url.rstrip("/")
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "helpdesk stand-in issuer")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256())
        )
        self.key_id = f"stand-in-{int(now.timestamp())}"
        self._certs = {self.key_id: cert.public_bytes(serialization.Encoding.PEM).decode()}
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._signer = crypt.RSASigner.from_string(pem, self.key_id)

    def certs(self) -> dict[str, str]:
        return dict(self._certs)

    def token(
        self,
        email: str,
        audience: str,
        *,
        name: str | None = None,
        verified: bool = True,
        hd: str | None = None,
        lifetime: int = 3600,
        issued_at: float | None = None,
        issuer: str | None = None,
    ) -> str:
        from google.auth import jwt

        now = int(issued_at if issued_at is not None else time.time())
        payload = {
            "iss": issuer or self.url,
            "aud": audience,
            "sub": hashlib.sha256(email.encode()).hexdigest()[:20],
            "email": email,
            "email_verified": verified,
            "name": name or email.split("@")[0].replace(".", " ").title(),
            "iat": now,
            "exp": now + lifetime,
        }
        domain = hd if hd is not None else email.rpartition("@")[2]
        if domain:
            payload["hd"] = domain
        return jwt.encode(self._signer, payload, key_id=self.key_id).decode()


def server(issuer: StandInIssuer, port: int) -> ThreadingHTTPServer:
    """The issuer's HTTP server on `port` (serve_forever() it, in a thread for the tests)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: str, kind: str = "text/html; charset=utf-8") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/certs":
                self._send(200, json.dumps(issuer.certs()), "application/json")
            elif url.path == "/signin" and {"client_id", "login_uri", "state"} <= set(query):
                self._send(200, _page(query))
            else:
                self._send(404, "not found", "text/plain")

        def do_POST(self) -> None:
            url = urlparse(self.path)
            length = min(int(self.headers.get("Content-Length") or 0), 10_000)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if url.path != "/signin" or not {"client_id", "login_uri", "state", "email"} <= set(
                form
            ):
                self._send(400, "bad request", "text/plain")
                return
            token = issuer.token(form["email"].strip().lower(), form["client_id"])
            self._send(200, _continue(form["login_uri"], token, form["state"], form["email"]))

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:420px;margin:40px auto;padding:16px}"
    "input,button{font:inherit;width:100%;box-sizing:border-box;padding:10px;margin:6px 0}"
    "button{background:#1a73e8;color:#fff;border:0;border-radius:6px}"
)


def _page(query: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(query[k])}">'
        for k in ("client_id", "login_uri", "state")
    )
    return (
        '<!doctype html><html lang="pt-BR"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Google (substituto local)</title><style>{_STYLE}</style>"
        "<h1>Google (substituto local)</h1>"
        "<p>Em produção, aqui aparece a conta Google da pessoa.</p>"
        f'<form method="post" action="/signin">{hidden}'
        '<label for="email">E-mail</label>'
        '<input id="email" name="email" type="email" required autocomplete="off">'
        '<button type="submit">Continuar</button></form></html>'
    )


def _continue(login_uri: str, token: str, state: str, email: str) -> str:
    return (
        '<!doctype html><html lang="pt-BR"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Google (substituto local)</title><style>{_STYLE}</style>"
        f"<p>Entrar como {html.escape(email)}</p>"
        f'<form method="post" action="{html.escape(login_uri)}">'
        f'<input type="hidden" name="credential" value="{html.escape(token)}">'
        f'<input type="hidden" name="g_csrf_token" value="{html.escape(state)}">'
        '<button type="submit">Entrar</button></form></html>'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a stand-in for Google's sign-in")
    parser.add_argument("--port", type=int, default=8714)
    args = parser.parse_args(argv)
    server(StandInIssuer(f"http://127.0.0.1:{args.port}"), args.port).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
