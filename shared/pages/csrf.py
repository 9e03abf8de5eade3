"""Form tokens for page actions: signed, short-lived, bound to the link and the action.

The link token authenticates the person; the form token proves the POST comes from the page
we served for that link (a page elsewhere cannot read it), so a forged cross-site form fails.
"""

from __future__ import annotations

import hashlib
import uuid

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

FORM_TTL_SECONDS = 2 * 3600


class FormRefused(Exception):
    """Why a form's token does not count: missing, expired, forged, or issued for another
    ticket's link or another action (each says something different to the person)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FormTokens:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="helpdesk-page-form-v1")

    def issue(self, link_token: str, action: str) -> str:
        return self._serializer.dumps(
            {"l": _digest(link_token), "a": action, "n": uuid.uuid4().hex[:16]}
        )

    def nonce(self, form_token: str | None, link_token: str, action: str) -> str:
        """The form's nonce when the token is valid for this link and action (else FormRefused).

        The nonce makes a form count once: submitted twice (a double tap, a browser retry),
        the second submission finds it on the ticket and changes nothing.
        """
        if not form_token:
            raise FormRefused("form_missing")
        try:
            data = self._serializer.loads(form_token, max_age=FORM_TTL_SECONDS)
        except SignatureExpired:
            raise FormRefused("form_expired") from None
        except BadSignature:
            raise FormRefused("form_forged") from None
        if not isinstance(data, dict) or not isinstance(data.get("n"), str):
            raise FormRefused("form_forged")
        if data.get("l") != _digest(link_token):
            raise FormRefused("form_other_link")
        if data.get("a") != action:
            raise FormRefused("form_other_action")
        return data["n"]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]
