"""Manager authentication: a Google ID token of a manager in the directory, or a manager's key.

Keys are configured by their SHA-256 (`HELPDESK_MANAGER_KEYS` = {"<sha256 hex>": "email"}), so
the configuration never holds a usable key. Either way the e-mail must belong to an active
person with the manager role.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping

from shared.auth.google_tokens import verify_google_id_token
from shared.domain.organisation import Person
from shared.domain.types import Role
from shared.errors import Forbidden, Unauthorized
from shared.repositories.directory import Directory, person_of

KEY_HEADER = "X-Helpdesk-Key"


def parse_manager_keys(text: str) -> dict[str, str]:
    try:
        raw = json.loads(text or "{}")
    except json.JSONDecodeError as error:
        raise ValueError(f"HELPDESK_MANAGER_KEYS is not valid JSON: {error}") from None
    return {digest.lower(): email.lower() for digest, email in raw.items()}


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def authenticate_manager(
    headers: Mapping[str, str],
    directory: Directory,
    keys: Mapping[str, str],
    audience: str | None,
    verify: Callable[[str, str], dict] | None = None,
) -> Person:
    email = None
    key = headers.get(KEY_HEADER)
    authorization = headers.get("Authorization", "")
    if key:
        digest = key_digest(key)
        email = next(
            (owner for known, owner in keys.items() if hmac.compare_digest(known, digest)), None
        )
        if email is None:
            raise Unauthorized("the key is not valid")
    elif authorization.startswith("Bearer "):
        if not audience:
            raise Unauthorized("Google sign-in is not configured here; use a manager key")
        claims = (verify or verify_google_id_token)(authorization.removeprefix("Bearer "), audience)
        if not claims.get("email_verified"):
            raise Forbidden("the token's e-mail is not verified")
        email = str(claims.get("email", "")).lower()
    else:
        raise Unauthorized(f"sign in with Google (Authorization: Bearer) or send {KEY_HEADER}")
    person = person_of(directory, email)
    if person is None or not person.active or person.role != Role.MANAGER:
        raise Forbidden("this account is not a manager of this help desk")
    return person
