"""Development-only settings (never used in production): the intake clients' secrets."""

import json

DEV_INTAKE_CLIENTS = json.dumps(
    {
        "google-forms": {"auth": "hmac", "secrets": ["dev-google-forms-secret-change-me"]},
        "appsheet": {"auth": "key", "secrets": ["dev-appsheet-key-change-me"]},
        "api": {"auth": "hmac", "secrets": ["dev-api-secret-change-me-0000"]},
    }
)

# Local ports of each Cloud Function under `make dev`.
FUNCTION_PORTS = {"intake": 8701, "notifications": 8703}
