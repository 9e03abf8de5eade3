"""List the tickets in Firestore (the emulator under `make dev`) with their SLA due times.

python -m tools.show_tickets
"""

from __future__ import annotations

import os
import sys

from google.cloud.firestore import Query

from shared.config import Config
from shared.repositories.firestore import TICKETS, client
from tools.stack import DEV_PROJECT


def main() -> int:
    os.environ.setdefault("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8681")
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", DEV_PROJECT)
    db = client(Config.from_env())
    query = db.collection(TICKETS).order_by("created_at", direction=Query.DESCENDING).limit(20)
    for doc in query.stream():
        t = doc.to_dict()
        print(
            f"{t['number']}  {t['status']:<10} {t['title'][:40]:<40} "
            f"responsible={t['responsible']['email']}  "
            f"response_due={t['response_due']:%Y-%m-%d %H:%M}Z  "
            f"resolution_due={t['resolution_due']:%Y-%m-%d %H:%M}Z"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
