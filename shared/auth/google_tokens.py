"""Google-signed ID tokens (Cloud Tasks' OIDC tokens, managers signed in with Google)."""

from __future__ import annotations

from shared.errors import HelpdeskError, Unauthorized


def verify_google_id_token(
    token: str, audience: str, error: type[HelpdeskError] = Unauthorized
) -> dict:
    """The token's claims, once Google's signature, expiry and audience are checked."""
    import google.auth.transport.requests
    from google.oauth2 import id_token

    try:
        return id_token.verify_oauth2_token(
            token, google.auth.transport.requests.Request(), audience
        )
    except ValueError as problem:
        raise error(f"the Google ID token is not valid: {problem}") from None
