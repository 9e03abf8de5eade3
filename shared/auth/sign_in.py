"""Signing in with Google: the ID token Google Identity Services hands the console's page,
verified on the server before anything is trusted.

Checked, in this order: the signature (against the issuer's published certificates, kept an
hour), the issuer, the audience (the console's OAuth client id), the expiry, a verified
e-mail, and the organisation's Workspace domain (the `hd` claim, and the address's own
domain). Whether the person may use the console (an active manager or department head) is
the directory's to say, after this.

Locally there is no Google: `make dev` runs a stand-in issuer (tools/dev_issuer.py) with its
own keys. Its tokens are trusted only when `HELPDESK_DEV_ISSUER_URL` names it; `deploy.sh`
never sets that, and without it a stand-in token fails the signature check like any forgery.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from shared.errors import Unauthorized

GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v1/certs"
GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CERTS_TTL = 3600.0
CLOCK_SKEW = 30  # seconds of difference tolerated between our clock and the issuer's


class SignInRefused(Unauthorized):
    """Why a sign-in is refused; `reason` names the text the person reads."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"sign-in refused: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Issuer:
    certs_url: str  # {key id: PEM certificate}, as Google publishes them
    names: tuple[str, ...]  # the `iss` values it signs with


@dataclass(frozen=True)
class SignedIn:
    email: str
    name: str


def google() -> Issuer:
    return Issuer(GOOGLE_CERTS, GOOGLE_ISSUERS)


def stand_in(url: str) -> Issuer:
    """The local stand-in issuer at `url` (development only)."""
    base = url.rstrip("/")
    return Issuer(f"{base}/certs", (base,))


class Certificates:
    """An issuer's certificates, fetched when first needed and kept `CERTS_TTL` seconds."""

    def __init__(self, fetch: Callable[[str], dict[str, str]] | None = None) -> None:
        self._fetch = fetch or _fetch
        self._kept: dict[str, tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()

    def of(self, url: str) -> dict[str, str]:
        with self._lock:
            kept = self._kept.get(url)
            if kept and time.monotonic() - kept[0] < CERTS_TTL:
                return kept[1]
        certs = self._fetch(url)
        with self._lock:
            self._kept[url] = (time.monotonic(), certs)
        return certs


def _fetch(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - an https URL we name
        return json.loads(answer.read())


def verify_sign_in(
    token: str,
    *,
    audience: str,
    domain: str,
    issuers: list[Issuer],
    certificates: Certificates,
) -> SignedIn:
    """The person a genuine, current ID token of one of `issuers` names, for `audience`, with
    a verified address of `domain` (SignInRefused otherwise)."""
    from google.auth import jwt

    if not token or len(token) > 8192 or token.count(".") != 2:
        raise SignInRefused("signin_invalid")
    claims = None
    for issuer in issuers:
        try:
            certs = certificates.of(issuer.certs_url)
        except OSError:
            continue  # that issuer is unreachable: the token may be another's
        try:
            claims = jwt.decode(
                token, certs=certs, audience=audience, clock_skew_in_seconds=CLOCK_SKEW
            )
        except ValueError as problem:
            if "expired" in str(problem).lower() or "Token used too late" in str(problem):
                raise SignInRefused("signin_expired") from None
            if "audience" in str(problem).lower():
                raise SignInRefused("signin_invalid") from None
            continue  # not signed by this issuer's keys
        if claims.get("iss") not in issuer.names:
            raise SignInRefused("signin_invalid")
        break
    if claims is None:
        raise SignInRefused("signin_invalid")
    email = str(claims.get("email", "")).strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise SignInRefused("signin_unverified")
    if claims.get("hd") != domain or email.rpartition("@")[2] != domain:
        raise SignInRefused("signin_other_domain")
    return SignedIn(email=email, name=str(claims.get("name") or email))
