"""Authenticate intake requests: an HMAC signature with a timestamp, or a static key.

Signature header: `X-Helpdesk-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
accepted within the tolerance either way. Static key header: `X-Helpdesk-Key`. An optional
`X-Helpdesk-Client` names the client; without it every client of the matching kind is tried.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from shared.config import IntakeClient
from shared.errors import Unauthorized

SIGNATURE_HEADER = "X-Helpdesk-Signature"
KEY_HEADER = "X-Helpdesk-Key"
CLIENT_HEADER = "X-Helpdesk-Client"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value a client sends (used by tools and tests; Apps Script does the same)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def authenticate(
    headers: Mapping[str, str],
    body: bytes,
    clients: tuple[IntakeClient, ...],
    now: datetime,
    tolerance: timedelta,
) -> IntakeClient:
    named = headers.get(CLIENT_HEADER)
    candidates = [client for client in clients if named is None or client.id == named]
    signature, key = headers.get(SIGNATURE_HEADER), headers.get(KEY_HEADER)
    if signature:
        return _by_signature(signature, body, candidates, now, tolerance)
    if key:
        for client in candidates:
            if client.auth == "key" and any(_same(key, secret) for secret in client.secrets):
                return client
        raise Unauthorized("the intake key is not valid")
    raise Unauthorized(f"sign the request ({SIGNATURE_HEADER}) or send a key ({KEY_HEADER})")


def _by_signature(
    header: str, body: bytes, candidates: list[IntakeClient], now: datetime, tolerance: timedelta
) -> IntakeClient:
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise Unauthorized(f"{SIGNATURE_HEADER} must look like t=<unix time>,v1=<hex>") from None
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        raise Unauthorized("the signature's timestamp is too far from now (check the clock)")
    offered = parts.get("v1", [])
    for client in candidates:
        if client.auth != "hmac":
            continue
        for secret in client.secrets:
            expected = sign(secret, body, timestamp).rpartition("v1=")[2]
            if any(_same(candidate, expected) for candidate in offered):
                return client
    raise Unauthorized("the signature does not match the body")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
