"""The one place that reads configuration from the environment (with local defaults).

The same code runs against the emulators and production: only these variables differ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from shared.domain.attachments import MB, AttachmentLimits, UploadQuota
from shared.domain.status_rules import StatusRequestRules


@dataclass(frozen=True)
class IntakeClient:
    """A system allowed to post tickets: the Google Form's Apps Script, AppSheet, an API client.

    `hmac` clients sign each request; `key` clients (AppSheet can only send static headers)
    send a static key. Several secrets may be valid at once while one is being rotated.
    """

    id: str
    auth: str  # "hmac" or "key"
    secrets: tuple[str, ...]
    drive_folder: str | None = None  # the Drive folder its photos are in (AppSheet's app folder)


@dataclass(frozen=True)
class Signed:
    """What an intake signature covers besides the body: the request's method, path and
    client (and whether this deployment still accepts the older v1 signatures)."""

    method: str
    path: str
    accept_v1: bool = True


@dataclass(frozen=True)
class MailSettings:
    """`smtp` (Workspace SMTP relay, or the local server) or `gmail` (the Gmail API)."""

    transport: str = "smtp"
    sender: str = "helpdesk@localhost"
    sender_name: str = "Central de Atendimento"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    gmail_delegated_user: str | None = None  # service account with domain-wide delegation
    gmail_oauth_token: str | None = None  # or an authorized-user JSON with a refresh token

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> MailSettings:
        return cls(
            transport=environ.get("HELPDESK_MAIL_TRANSPORT", cls.transport),
            sender=environ.get("HELPDESK_MAIL_FROM", cls.sender),
            sender_name=environ.get("HELPDESK_MAIL_FROM_NAME", cls.sender_name),
            smtp_host=environ.get("HELPDESK_SMTP_HOST", cls.smtp_host),
            smtp_port=int(environ.get("HELPDESK_SMTP_PORT", cls.smtp_port)),
            smtp_username=environ.get("HELPDESK_SMTP_USERNAME"),
            smtp_password=environ.get("HELPDESK_SMTP_PASSWORD"),
            smtp_starttls=environ.get("HELPDESK_SMTP_STARTTLS", "false").lower() == "true",
            gmail_delegated_user=environ.get("HELPDESK_GMAIL_DELEGATED_USER"),
            gmail_oauth_token=environ.get("HELPDESK_GMAIL_OAUTH_TOKEN"),
        )


@dataclass(frozen=True)
class Config:
    project: str = "helpdesk-dev"
    database: str = "(default)"
    intake_clients: tuple[IntakeClient, ...] = ()
    signature_tolerance: timedelta = timedelta(minutes=5)
    accept_v1_signatures: bool = True  # the first scheme (time and body only), this release
    submitted_at_tolerance: timedelta = timedelta(minutes=15)
    max_body_bytes: int = 256 * 1024
    attachment_limits: AttachmentLimits = field(default_factory=AttachmentLimits)
    directory_cache_seconds: float = 60.0
    # How long opening a ticket waits out a Firestore outage before answering 503 (retry later).
    firestore_deadline_seconds: float = 20.0
    log_level: str = "INFO"
    mail: MailSettings = field(default_factory=lambda: MailSettings())
    pages_base_url: str = "http://127.0.0.1:8702"
    link_secret: str | None = None
    link_ttl: timedelta = timedelta(days=14)
    evidence_bucket: str = "helpdesk-dev-evidence"
    signing_key_file: str | None = None
    tasks_queue: str = "projects/helpdesk-dev/locations/southamerica-east1/queues/sla-timers"
    tasks_emulator_host: str | None = None
    storage_emulated: bool = False  # the storage emulator takes no access token
    timer_url: str = "http://127.0.0.1:8704/"
    timer_secret: str | None = None  # local only: the emulator sends no OIDC token
    timer_invoker: str | None = None  # the queue's service account (production)
    media_url: str = "http://127.0.0.1:8707/"
    reports_url: str = "http://127.0.0.1:8709/"  # where queued report jobs are POSTed
    digest_url: str = "http://127.0.0.1:8713/"  # the daily digest: /start (Scheduler), /send
    storage_origin: str = "https://storage.googleapis.com"  # where uploads and evidence go
    manager_keys_json: str = "{}"  # {"<sha256 of a key>": "manager e-mail"}
    manager_audience: str | None = None  # the OAuth client id Google ID tokens are issued for
    status_request_interval: timedelta = timedelta(hours=4)  # business time
    status_request_escalate_after: timedelta = timedelta(hours=2)  # business time
    cost_edit_after_closing: timedelta = timedelta(days=7)  # late invoices, corrections
    information_per_hour: int = 6  # a requester's additions to one ticket (each mails)
    upload_quota: UploadQuota = field(default_factory=lambda: UploadQuota())
    # The help desk's mailbox: replies to its messages and new tickets by e-mail. Unset: the
    # messages carry no reply address and nothing reads the mailbox.
    mailbox: str | None = None
    mailbox_kind: str = "local"  # local (make dev, tests) or gmail
    local_mailbox_dir: str = ".dev/mailbox"
    mailbox_topic: str = "projects/helpdesk-dev/topics/helpdesk-mailbox"
    mailbox_watch_url: str = "http://127.0.0.1:8712/"  # the audience of the scheduler's token
    form_url: str | None = None  # where a person opens a ticket (told to unknown senders)
    personal_link_ttl: timedelta = timedelta(days=90)  # a person's link to their lists
    # The managers' console: its URL, its OAuth client id (Google Identity Services), the
    # organisation's Workspace domain, and, in development only, the stand-in issuer it trusts.
    console_url: str = "http://127.0.0.1:8715/"
    console_client_id: str = "helpdesk-dev-console.apps.googleusercontent.com"
    workspace_domain: str = "metalvale.com.br"
    dev_issuer_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Config:
        return cls(
            project=environ.get("GOOGLE_CLOUD_PROJECT")
            or environ.get("GCLOUD_PROJECT")
            or cls.project,
            database=environ.get("HELPDESK_FIRESTORE_DATABASE", cls.database),
            intake_clients=parse_intake_clients(environ.get("HELPDESK_INTAKE_CLIENTS", "{}")),
            accept_v1_signatures=environ.get("HELPDESK_ACCEPT_V1_SIGNATURES", "true").lower()
            == "true",
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
            firestore_deadline_seconds=float(
                environ.get("HELPDESK_FIRESTORE_DEADLINE_SECONDS", 20)
            ),
            log_level=environ.get("HELPDESK_LOG_LEVEL", "INFO"),
            mail=MailSettings.from_env(environ),
            pages_base_url=environ.get("HELPDESK_PAGES_BASE_URL", cls.pages_base_url),
            link_secret=environ.get("HELPDESK_LINK_SECRET"),
            link_ttl=timedelta(days=float(environ.get("HELPDESK_LINK_TTL_DAYS", "14"))),
            evidence_bucket=environ.get("HELPDESK_EVIDENCE_BUCKET", cls.evidence_bucket),
            signing_key_file=environ.get("HELPDESK_SIGNING_KEY_FILE"),
            tasks_queue=environ.get("HELPDESK_TASKS_QUEUE", cls.tasks_queue),
            tasks_emulator_host=environ.get("HELPDESK_TASKS_EMULATOR_HOST"),
            storage_emulated=bool(environ.get("STORAGE_EMULATOR_HOST")),
            timer_url=environ.get("HELPDESK_TIMER_URL", cls.timer_url),
            timer_secret=environ.get("HELPDESK_TIMER_SECRET"),
            timer_invoker=environ.get("HELPDESK_TIMER_INVOKER"),
            media_url=environ.get("HELPDESK_MEDIA_URL", cls.media_url),
            reports_url=environ.get("HELPDESK_REPORTS_URL", cls.reports_url),
            digest_url=environ.get("HELPDESK_DIGEST_URL", cls.digest_url),
            storage_origin=environ.get("STORAGE_EMULATOR_HOST", cls.storage_origin).rstrip("/"),
            manager_keys_json=environ.get("HELPDESK_MANAGER_KEYS", "{}"),
            manager_audience=environ.get("HELPDESK_MANAGER_AUDIENCE"),
            status_request_interval=timedelta(
                hours=float(environ.get("HELPDESK_STATUS_REQUEST_INTERVAL_HOURS", "4"))
            ),
            status_request_escalate_after=timedelta(
                hours=float(environ.get("HELPDESK_STATUS_REQUEST_ESCALATE_HOURS", "2"))
            ),
            cost_edit_after_closing=timedelta(
                days=float(environ.get("HELPDESK_COST_EDIT_DAYS", "7"))
            ),
            information_per_hour=int(environ.get("HELPDESK_INFORMATION_PER_HOUR", "6")),
            upload_quota=UploadQuota(
                per_ticket=int(environ.get("HELPDESK_UPLOADS_PER_TICKET", 100)),
                bytes_per_ticket=int(environ.get("HELPDESK_UPLOAD_MB_PER_TICKET", 5120)) * MB,
                per_person_day=int(environ.get("HELPDESK_UPLOADS_PER_PERSON_DAY", 60)),
                bytes_per_person_day=int(environ.get("HELPDESK_UPLOAD_MB_PER_PERSON_DAY", 10240))
                * MB,
            ),
            mailbox=environ.get("HELPDESK_MAILBOX") or None,
            mailbox_kind=environ.get("HELPDESK_MAILBOX_KIND", cls.mailbox_kind),
            local_mailbox_dir=environ.get("HELPDESK_LOCAL_MAILBOX_DIR", cls.local_mailbox_dir),
            mailbox_topic=environ.get("HELPDESK_MAILBOX_TOPIC", cls.mailbox_topic),
            mailbox_watch_url=environ.get("HELPDESK_MAILBOX_WATCH_URL", cls.mailbox_watch_url),
            form_url=environ.get("HELPDESK_FORM_URL") or None,
            personal_link_ttl=timedelta(
                days=float(environ.get("HELPDESK_PERSONAL_LINK_DAYS", "90"))
            ),
            console_url=environ.get("HELPDESK_CONSOLE_URL", cls.console_url),
            console_client_id=environ.get("HELPDESK_CONSOLE_CLIENT_ID", cls.console_client_id),
            workspace_domain=environ.get("HELPDESK_WORKSPACE_DOMAIN", cls.workspace_domain),
            dev_issuer_url=environ.get("HELPDESK_DEV_ISSUER_URL") or None,
        )

    def signed(self, method: str, path: str) -> Signed:
        """What an intake signature must cover for this request."""
        return Signed(method, path or "/", self.accept_v1_signatures)

    @property
    def status_request_rules(self) -> StatusRequestRules:
        return StatusRequestRules(self.status_request_interval, self.status_request_escalate_after)


def parse_intake_clients(text: str) -> tuple[IntakeClient, ...]:
    """`{"google-forms": {"auth": "hmac", "secrets": ["..."]}, "appsheet": {"auth": "key", ...,
    "drive_folder": "<the app's Drive folder id>"}}`.

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
        folder = spec.get("drive_folder")
        if folder is not None and not (isinstance(folder, str) and folder.strip()):
            raise ValueError(f"HELPDESK_INTAKE_CLIENTS[{client_id}].drive_folder: a folder id")
        clients.append(IntakeClient(client_id, auth, tuple(secrets), folder))
    return tuple(clients)
