"""A console session: a short-lived signed cookie (HttpOnly, Secure, SameSite=Lax) naming one
sign-in, which the sessions' store must still hold live, and the person, who must still be
an active manager or department head. Every form carries the session's CSRF token.

SameSite=Lax, not Strict: a manager opens the console from a link in an e-mail, a top-level
navigation from another site, and must arrive signed in; no state changes on a GET, and every
POST needs the CSRF token, which a page elsewhere cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "helpdesk_console"
LIFETIME = timedelta(hours=8)


class Sessions(Protocol):
    """shared/repositories/console_sessions.py"""

    def start(self, session_id: str, email: str, lifetime: timedelta) -> None: ...
    def is_live(self, session_id: str, email: str) -> bool: ...
    def end(self, session_id: str) -> None: ...


@dataclass(frozen=True)
class Session:
    id: str
    email: str
    csrf: str


class SessionCookies:
    def __init__(self, secret: str, sessions: Sessions) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="helpdesk-console-session-v1")
        self._csrf_key = hashlib.sha256(f"console-csrf\x00{secret}".encode()).digest()
        self._sessions = sessions

    def start(self, email: str) -> tuple[Session, str]:
        """A new session for `email`, and its cookie's value."""
        session_id = secrets.token_hex(16)
        self._sessions.start(session_id, email, LIFETIME)
        value = self._serializer.dumps({"s": session_id, "e": email})
        return Session(session_id, email, self._csrf(session_id)), value

    def read(self, value: str | None) -> Session | None:
        """The live session a cookie names (None: none, forged, expired or ended)."""
        if not value or len(value) > 1024:
            return None
        try:
            data = self._serializer.loads(value, max_age=int(LIFETIME.total_seconds()))
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        session_id, email = data.get("s"), data.get("e")
        if not isinstance(session_id, str) or not isinstance(email, str):
            return None
        if not self._sessions.is_live(session_id, email):
            return None
        return Session(session_id, email, self._csrf(session_id))

    def end(self, session: Session) -> None:
        self._sessions.end(session.id)

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), session.csrf)

    def _csrf(self, session_id: str) -> str:
        return hmac.new(self._csrf_key, session_id.encode(), hashlib.sha256).hexdigest()[:32]


def cookie_options(secure: bool) -> dict:
    return {
        "httponly": True,
        "secure": secure,
        "samesite": "Lax",
        "path": "/",
        "max_age": int(LIFETIME.total_seconds()),
    }
