"""The evidence bucket: read small files for e-mail attachments, sign download links.

Signed V4 URLs need a signer: in production the function's own service account through the
IAM signBlob API (no key file exists); in development a local key (the storage emulator does
not check signatures, so any well-formed key does).
"""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import timedelta
from typing import Any, BinaryIO, Protocol

MAX_SIGNED_URL_TTL = timedelta(days=7)  # the V4 limit


class EvidenceStore(Protocol):
    def read(self, object_name: str) -> bytes: ...
    def signed_url(self, object_name: str, ttl: timedelta) -> str: ...


class UploadStore(EvidenceStore, Protocol):
    def upload_session(
        self, object_name: str, content_type: str, size: int, origin: str | None
    ) -> str: ...
    def head(self, object_name: str, length: int) -> tuple[bytes, int] | None: ...
    def ranged_source(self, object_name: str) -> tuple[str, dict[str, str]]: ...
    def write(self, object_name: str, data: bytes, content_type: str) -> None: ...
    def open_writer(self, object_name: str, content_type: str) -> BinaryIO: ...
    def delete(self, object_name: str) -> None: ...


class GcsEvidenceStore:
    # Signed links are kept and handed out again while at least half their life remains: a
    # page viewed again, or a message to several people, signs nothing new (in production
    # each signature is a call to IAM).
    MAX_CACHED_LINKS = 2000

    def __init__(
        self,
        client: Any,
        bucket: str,
        signing_credentials: Any = None,
        *,
        send_tokens: bool = True,  # False for the emulator, which takes none
    ) -> None:
        self._bucket = client.bucket(bucket)
        self._client = client
        self._send_tokens = send_tokens
        self._signing = signing_credentials
        self._links: dict[tuple[str, int], tuple[str, float]] = {}
        self._iam_credentials: Any = None
        self._lock = threading.Lock()

    def read(self, object_name: str) -> bytes:
        return self._bucket.blob(object_name).download_as_bytes()

    def upload_session(
        self, object_name: str, content_type: str, size: int, origin: str | None
    ) -> str:
        """A resumable upload session for one object, one content type and exactly `size`
        bytes. Its URI is the capability the uploader gets (valid a week, cannot read)."""
        blob = self._bucket.blob(object_name)
        return blob.create_resumable_upload_session(
            content_type=content_type, size=size, origin=origin
        )

    def head(self, object_name: str, length: int) -> tuple[bytes, int] | None:
        """The object's first bytes and its size, or None when nothing was uploaded."""
        from google.api_core.exceptions import NotFound

        blob = self._bucket.blob(object_name)
        try:
            blob.reload()
        except NotFound:
            return None
        size = int(blob.size or 0)
        data = blob.download_as_bytes(start=0, end=length - 1) if size else b""
        return data, size

    def ranged_source(self, object_name: str) -> tuple[str, dict[str, str]]:
        """Where a tool (ffmpeg) reads the object by ranges, with the function's own access
        token: no signed link, so the media function needs no permission to sign."""
        from urllib.parse import quote

        url = (
            f"{self._client.api_endpoint.rstrip('/')}/download/storage/v1/b/{self._bucket.name}/o/"
            f"{quote(object_name, safe='')}?alt=media"
        )
        if not self._send_tokens:
            return url, {}
        return url, {"Authorization": f"Bearer {self._service_account().token}"}

    def open_writer(self, object_name: str, content_type: str) -> BinaryIO:
        """A file to write the object into, sent on in 8 MiB chunks of a resumable upload
        (the object exists once it is closed without error)."""
        return self._bucket.blob(object_name).open(
            "wb", content_type=content_type, chunk_size=8 * 1024 * 1024, ignore_flush=True
        )

    def write(self, object_name: str, data: bytes, content_type: str) -> None:
        self._bucket.blob(object_name).upload_from_string(data, content_type=content_type)

    def delete(self, object_name: str) -> None:
        from google.api_core.exceptions import NotFound

        with contextlib.suppress(NotFound):
            self._bucket.blob(object_name).delete()

    def signed_url(self, object_name: str, ttl: timedelta) -> str:
        ttl = min(ttl, MAX_SIGNED_URL_TTL)
        key, now = (object_name, int(ttl.total_seconds())), time.monotonic()
        cached = self._links.get(key)
        if cached is not None and cached[1] - now > ttl.total_seconds() / 2:
            return cached[0]
        url = self._sign(object_name, ttl)
        with self._lock:
            if len(self._links) >= self.MAX_CACHED_LINKS:
                self._links.clear()
            self._links[key] = (url, now + ttl.total_seconds())
        return url

    def _sign(self, object_name: str, ttl: timedelta) -> str:
        blob = self._bucket.blob(object_name)
        options: dict[str, Any] = {"version": "v4", "expiration": ttl, "method": "GET"}
        if self._signing is not None and hasattr(self._signing, "sign_bytes"):
            options["credentials"] = self._signing
        else:  # production: sign through IAM with the function's service account
            credentials = self._service_account()
            options["service_account_email"] = credentials.service_account_email
            options["access_token"] = credentials.token
        return blob.generate_signed_url(**options)

    def _service_account(self) -> Any:
        """The function's own credentials, refreshed only when their token has expired."""
        import google.auth
        import google.auth.transport.requests

        with self._lock:
            if self._iam_credentials is None:
                self._iam_credentials, _ = google.auth.default()
            if not self._iam_credentials.valid:
                self._iam_credentials.refresh(google.auth.transport.requests.Request())
            return self._iam_credentials
