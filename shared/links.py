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

    def signed_claims(self, token: str) -> LinkClaims:
        """What a link genuinely signed says, expired or not (to send its person a new one)."""
        try:
            data = self._serializer.loads(token)
        except BadSignature:
            raise InvalidLink("invalid") from None
        return LinkClaims(ticket_id=data["t"], email=data["e"], role=data["r"])

    def verify(self, token: str) -> LinkClaims:
        try:
            data = self._serializer.loads(token, max_age=self._ttl.total_seconds())
        except SignatureExpired:
            raise InvalidLink("expired") from None
        except BadSignature:
            raise InvalidLink("invalid") from None
        return LinkClaims(ticket_id=data["t"], email=data["e"], role=data["r"])


class PersonalLinks:
    """A person's own link to their lists (in every e-mail's footer): one person, no ticket,
    valid as long as the organisation sets; it opens nothing once the person is inactive."""

    _SALT = "helpdesk-personal-link-v1"

    def __init__(self, secret: str, base_url: str, ttl: timedelta) -> None:
        if len(secret) < 32:
            raise ValueError("the link secret must be at least 32 characters")
        self._serializer = URLSafeTimedSerializer(secret, salt=self._SALT)
        self._base_url = base_url.rstrip("/")
        self.ttl = ttl

    def url(self, email: str) -> str:
        return f"{self._base_url}/me/{self._serializer.dumps({'e': email})}"

    def signed_email(self, token: str) -> str:
        """The address a link genuinely signed names, expired or not."""
        try:
            data = self._serializer.loads(token)
        except BadSignature:
            raise InvalidLink("invalid") from None
        if not isinstance(data, dict) or not isinstance(data.get("e"), str):
            raise InvalidLink("invalid")
        return data["e"]

    def verify(self, token: str) -> str:
        """The person's address; raises InvalidLink (expired or invalid)."""
        try:
            data = self._serializer.loads(token, max_age=self.ttl.total_seconds())
        except SignatureExpired:
            raise InvalidLink("expired") from None
        except BadSignature:
            raise InvalidLink("invalid") from None
        if not isinstance(data, dict) or not isinstance(data.get("e"), str):
            raise InvalidLink("invalid")
        return data["e"]
