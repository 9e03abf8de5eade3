"""Form tokens for page actions: signed, short-lived, bound to the link and the action.

The link token authenticates the person; the form token proves the POST comes from the page
we served for that link (a page elsewhere cannot read it), so a forged cross-site form fails.
"""

from __future__ import annotations

import hashlib
import uuid

from itsdangerous import BadSignature, URLSafeTimedSerializer

FORM_TTL_SECONDS = 2 * 3600


class FormTokens:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="helpdesk-page-form-v1")

    def issue(self, link_token: str, action: str) -> str:
        return self._serializer.dumps(
            {"l": _digest(link_token), "a": action, "n": uuid.uuid4().hex[:16]}
        )

    def nonce(self, form_token: str | None, link_token: str, action: str) -> str | None:
        """The form's nonce when the token is valid for this link and action, else None.

        The nonce makes a form count once: submitted twice (a double tap, a browser retry),
        the second submission finds it on the ticket and changes nothing.
        """
        if not form_token:
            return None
        try:
            data = self._serializer.loads(form_token, max_age=FORM_TTL_SECONDS)
        except BadSignature:
            return None
        if data.get("l") != _digest(link_token) or data.get("a") != action:
            return None
        return data.get("n")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]
