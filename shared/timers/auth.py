"""Who may fire a timer: Cloud Tasks with the queue's OIDC token, or locally a shared secret."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from shared.auth.google_tokens import verify_google_id_token
from shared.config import Config
from shared.errors import Forbidden, Unauthorized
from shared.timers.queue import SECRET_HEADER


def authenticate_timer(
    headers: Mapping[str, str], config: Config, verify=None, audience: str | None = None
) -> str:
    """The caller's identity; raises 401 (no credentials) or 403 (wrong ones). The queue's
    tokens are issued for the URL they call: the timer's, or `audience` (report jobs)."""
    secret = headers.get(SECRET_HEADER)
    if secret is not None:
        if config.timer_secret and hmac.compare_digest(
            secret.encode(), config.timer_secret.encode()
        ):
            return "local-secret"
        raise Forbidden("the timer secret is not valid")
    authorization = headers.get("Authorization", "")
    if not authorization.startswith("Bearer "):
        raise Unauthorized("only Cloud Tasks and Cloud Scheduler call this, with their OIDC token")
    if not config.timer_invoker:
        raise Forbidden("no timer invoker is configured")
    claims = (verify or _verify)(
        authorization.removeprefix("Bearer "), audience or config.timer_url
    )
    if claims.get("email") != config.timer_invoker or not claims.get("email_verified"):
        raise Forbidden("the token is not the timer queue's")
    return claims["email"]


def _verify(token: str, audience: str) -> dict:
    return verify_google_id_token(token, audience, Forbidden)
