"""Authenticate intake requests: an HMAC signature with a timestamp, or a static key.

Signature header: `X-Helpdesk-Signature: t=<unix time>,v2=<hex HMAC-SHA256 of
"<t>.<METHOD>.<path>.<client>.<raw body>">`, accepted within the tolerance either way. The path
is the one the function receives (`/` for a ticket, `/uploads/<id>/complete`...) and the client
is the `X-Helpdesk-Client` header's value (empty without it): a captured signature cannot be
replayed against another endpoint, another method or as another client. The first scheme,
`v1` over "<t>.<raw body>" only, is still accepted while HELPDESK_ACCEPT_V1_SIGNATURES is true
(this release only: clients move to v2). Static key header: `X-Helpdesk-Key`. Without
`X-Helpdesk-Client` every client of the matching kind is tried.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from shared.config import IntakeClient, Signed
from shared.errors import Unauthorized

SIGNATURE_HEADER = "X-Helpdesk-Signature"
KEY_HEADER = "X-Helpdesk-Key"
CLIENT_HEADER = "X-Helpdesk-Client"


def _v2(secret: str, body: bytes, timestamp: int, method: str, path: str, client: str) -> str:
    signed = f"{timestamp}.{method.upper()}.{path}.{client}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _v1(secret: str, body: bytes, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(
    secret: str,
    body: bytes,
    timestamp: int,
    method: str = "POST",
    path: str = "/",
    client: str = "",
) -> str:
    """The header value a client sends (tools and tests; Apps Script does the same)."""
    return f"t={timestamp},v2={_v2(secret, body, timestamp, method, path, client)}"


def sign_v1(secret: str, body: bytes, timestamp: int) -> str:
    """The first scheme's header value (time and body only), accepted for one release."""
    return f"t={timestamp},v1={_v1(secret, body, timestamp)}"


def authenticate(
    headers: Mapping[str, str],
    body: bytes,
    clients: tuple[IntakeClient, ...],
    now: datetime,
    tolerance: timedelta,
    request: Signed,
) -> IntakeClient:
    named = headers.get(CLIENT_HEADER)
    candidates = [client for client in clients if named is None or client.id == named]
    signature, key = headers.get(SIGNATURE_HEADER), headers.get(KEY_HEADER)
    if signature:
        return _by_signature(signature, body, candidates, now, tolerance, request, named or "")
    if key:
        for client in candidates:
            if client.auth == "key" and any(_same(key, secret) for secret in client.secrets):
                return client
        raise Unauthorized("the intake key is not valid")
    raise Unauthorized(f"sign the request ({SIGNATURE_HEADER}) or send a key ({KEY_HEADER})")


def _by_signature(
    header: str,
    body: bytes,
    candidates: list[IntakeClient],
    now: datetime,
    tolerance: timedelta,
    request: Signed,
    named: str,
) -> IntakeClient:
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise Unauthorized(f"{SIGNATURE_HEADER} must look like t=<unix time>,v2=<hex>") from None
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        raise Unauthorized("the signature's timestamp is too far from now (check the clock)")
    v2, v1 = parts.get("v2", []), parts.get("v1", []) if request.accept_v1 else []
    if not v2 and parts.get("v1") and not request.accept_v1:
        raise Unauthorized("sign with v2 (method, path, client and body): v1 is no longer accepted")
    for client in candidates:
        if client.auth != "hmac":
            continue
        for secret in client.secrets:
            if v2:
                expected = _v2(secret, body, timestamp, request.method, request.path, named)
                if any(_same(candidate, expected) for candidate in v2):
                    return client
            elif any(_same(candidate, _v1(secret, body, timestamp)) for candidate in v1):
                return client
    raise Unauthorized("the signature does not match the request")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
