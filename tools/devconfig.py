"""Development-only settings (never used in production): the intake clients' secrets."""

import hashlib
import json

DEV_INTAKE_CLIENTS = json.dumps(
    {
        "google-forms": {"auth": "hmac", "secrets": ["dev-google-forms-secret-change-me"]},
        "appsheet": {"auth": "key", "secrets": ["dev-appsheet-key-change-me"]},
        "api": {"auth": "hmac", "secrets": ["dev-api-secret-change-me-0000"]},
    }
)

# Local ports of each Cloud Function under `make dev`.
FUNCTION_PORTS = {
    "intake": 8701,
    "pages": 8702,
    "notifications": 8703,
    "sla_timer": 8704,
    "sla_scheduler": 8705,
    "out_of_sla": 8706,
    "media": 8707,
    "assets": 8708,
    "reports": 8709,
    "mailbox": 8710,  # fed by the local mailbox's Pub/Sub push (tools/dev_mailbox.py)
    "mailbox_watch": 8712,
    "digest": 8713,  # the daily digest: /start (Cloud Scheduler), /send (Cloud Tasks)
    "console": 8715,  # the managers' console (signed in through the stand-in issuer)
}
DEV_ISSUER_PORT = 8714  # the stand-in for Google's sign-in (tools/dev_issuer.py)
# Entry points that share a module with another (functions/<module>.py).
FUNCTION_MODULES = {"mailbox_watch": "mailbox"}
MAILBOX_PUSH_PORT = 8711  # the Pub/Sub subscription pushes here; CloudEvents go to `mailbox`
INBOUND_SMTP_PORT = 2525  # the help desk's mailbox: replies and new tickets are sent here

# A manager's key for the manager endpoints (Ricardo Almeida, head of production).
DEV_MANAGER_KEY = "dev-manager-key-ricardo-change-me"

# Functions fed by the event bridge (in production: one Eventarc trigger each).
EVENT_SUBSCRIBERS = ("notifications", "sla_scheduler")

DEV_FUNCTION_ENV = {
    "HELPDESK_INTAKE_CLIENTS": DEV_INTAKE_CLIENTS,
    "HELPDESK_TIMER_URL": "http://127.0.0.1:8704/",
    "HELPDESK_TIMER_SECRET": "dev-timer-secret-change-me-0123456789",  # the emulator sends no OIDC
    "HELPDESK_PAGES_BASE_URL": "http://127.0.0.1:8702",
    "HELPDESK_MEDIA_URL": "http://127.0.0.1:8707/",
    "HELPDESK_REPORTS_URL": "http://127.0.0.1:8709/",
    "HELPDESK_DIGEST_URL": "http://127.0.0.1:8713/",
    "HELPDESK_CONSOLE_URL": "http://127.0.0.1:8715/",
    # Development only: the console trusts the stand-in issuer's tokens (deploy.sh never sets it).
    "HELPDESK_DEV_ISSUER_URL": "http://127.0.0.1:8714",
    "HELPDESK_MAILBOX": "central@metalvale.com.br",
    "HELPDESK_MAILBOX_KIND": "local",
    "HELPDESK_MAILBOX_WATCH_URL": "http://127.0.0.1:8712/",
    "HELPDESK_INBOUND_SMTP_PORT": "2525",
    "HELPDESK_MANAGER_KEYS": json.dumps(
        {hashlib.sha256(DEV_MANAGER_KEY.encode()).hexdigest(): "ricardo.almeida@metalvale.com.br"}
    ),
}
