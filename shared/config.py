"""The one place that reads configuration from the environment (with local defaults).

The same code runs against the emulators and production: only these variables differ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from shared.domain.attachments import MB, AttachmentLimits


@dataclass(frozen=True)
class IntakeClient:
    """A system allowed to post tickets: the Google Form's Apps Script, AppSheet, an API client.

    `hmac` clients sign each request; `key` clients (AppSheet can only send static headers)
    send a static key. Several secrets may be valid at once while one is being rotated.
    """

    id: str
    auth: str  # "hmac" or "key"
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    project: str = "helpdesk-dev"
    database: str = "(default)"
    intake_clients: tuple[IntakeClient, ...] = ()
    signature_tolerance: timedelta = timedelta(minutes=5)
    submitted_at_tolerance: timedelta = timedelta(minutes=15)
    max_body_bytes: int = 256 * 1024
    attachment_limits: AttachmentLimits = field(default_factory=AttachmentLimits)
    directory_cache_seconds: float = 60.0
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Config:
        return cls(
            project=environ.get("GOOGLE_CLOUD_PROJECT")
            or environ.get("GCLOUD_PROJECT")
            or cls.project,
            database=environ.get("HELPDESK_FIRESTORE_DATABASE", cls.database),
            intake_clients=parse_intake_clients(environ.get("HELPDESK_INTAKE_CLIENTS", "{}")),
            submitted_at_tolerance=timedelta(
                minutes=float(environ.get("HELPDESK_SUBMITTED_AT_TOLERANCE_MINUTES", "15"))
            ),
            max_body_bytes=int(environ.get("HELPDESK_MAX_BODY_BYTES", 256 * 1024)),
            attachment_limits=AttachmentLimits(
                image_bytes=int(environ.get("HELPDESK_MAX_IMAGE_MB", 25)) * MB,
                video_bytes=int(environ.get("HELPDESK_MAX_VIDEO_MB", 1024)) * MB,
                document_bytes=int(environ.get("HELPDESK_MAX_DOCUMENT_MB", 25)) * MB,
            ),
            directory_cache_seconds=float(environ.get("HELPDESK_DIRECTORY_CACHE_SECONDS", 60)),
            log_level=environ.get("HELPDESK_LOG_LEVEL", "INFO"),
        )


def parse_intake_clients(text: str) -> tuple[IntakeClient, ...]:
    """`{"google-forms": {"auth": "hmac", "secrets": ["..."]}, "appsheet": {"auth": "key", ...}}`.

    In production the whole JSON is one Secret Manager secret exposed as this variable.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"HELPDESK_INTAKE_CLIENTS is not valid JSON: {error}") from None
    clients = []
    for client_id, spec in raw.items():
        auth = spec.get("auth")
        secrets = spec.get("secrets") or ([spec["secret"]] if spec.get("secret") else [])
        if auth not in ("hmac", "key") or not secrets or any(len(s) < 16 for s in secrets):
            raise ValueError(
                f"HELPDESK_INTAKE_CLIENTS[{client_id}] needs auth 'hmac' or 'key' and secrets "
                "of at least 16 characters"
            )
        clients.append(IntakeClient(client_id, auth, tuple(secrets)))
    return tuple(clients)
