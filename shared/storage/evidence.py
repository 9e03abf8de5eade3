"""The evidence bucket: read small files for e-mail attachments, sign download links.

Signed V4 URLs need a signer: in production the function's own service account through the
IAM signBlob API (no key file exists); in development a local key (the storage emulator does
not check signatures, so any well-formed key does).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

MAX_SIGNED_URL_TTL = timedelta(days=7)  # the V4 limit


class EvidenceStore(Protocol):
    def read(self, object_name: str) -> bytes: ...
    def signed_url(self, object_name: str, ttl: timedelta) -> str: ...


class GcsEvidenceStore:
    def __init__(self, client: Any, bucket: str, signing_credentials: Any = None) -> None:
        self._bucket = client.bucket(bucket)
        self._signing = signing_credentials

    def read(self, object_name: str) -> bytes:
        return self._bucket.blob(object_name).download_as_bytes()

    def signed_url(self, object_name: str, ttl: timedelta) -> str:
        blob = self._bucket.blob(object_name)
        options: dict[str, Any] = {
            "version": "v4",
            "expiration": min(ttl, MAX_SIGNED_URL_TTL),
            "method": "GET",
        }
        if self._signing is not None and hasattr(self._signing, "sign_bytes"):
            options["credentials"] = self._signing
        else:  # production: sign through IAM with the function's service account
            import google.auth
            import google.auth.transport.requests

            credentials, _ = google.auth.default()
            credentials.refresh(google.auth.transport.requests.Request())
            options["service_account_email"] = credentials.service_account_email
            options["access_token"] = credentials.token
        return blob.generate_signed_url(**options)
