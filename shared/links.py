"""Signed, expiring links to a ticket's pages: one ticket, one person, one role per link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shared.errors import InvalidLink

_SALT = "helpdesk-ticket-link-v1"


@dataclass(frozen=True)
class LinkClaims:
    ticket_id: str
    email: str
    role: str


class LinkSigner:
    def __init__(self, secret: str, base_url: str, ttl: timedelta) -> None:
        if len(secret) < 32:
            raise ValueError("the link secret must be at least 32 characters")
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)
        self._base_url = base_url.rstrip("/")
        self._ttl = ttl

    def token(self, ticket_id: str, email: str, role: str) -> str:
        return self._serializer.dumps({"t": ticket_id, "e": email, "r": role})

    def url(self, ticket_id: str, email: str, role: str) -> str:
        return f"{self._base_url}/t/{self.token(ticket_id, email, role)}"

    def verify(self, token: str) -> LinkClaims:
        try:
            data = self._serializer.loads(token, max_age=self._ttl.total_seconds())
        except SignatureExpired:
            raise InvalidLink("expired") from None
        except BadSignature:
            raise InvalidLink("invalid") from None
        return LinkClaims(ticket_id=data["t"], email=data["e"], role=data["r"])
