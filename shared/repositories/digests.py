"""The daily digest in Firestore: who turned it off, and each day's digest sent once.

`digests/<day>--<person>` is created before its delivery, which claims and records the send
(shared/repositories/deliveries.py): a second run of the day finds it sent. A person's
setting is `digest_settings/<hash of the address>` (no address in a document id)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from datetime import datetime

from google.api_core import exceptions as google_errors
from google.cloud import firestore

from shared.mail import Mailer, OutgoingMail
from shared.repositories.deliveries import FirestoreDeliveries
from shared.repositories.firestore import DIGEST_SETTINGS, DIGESTS


def _person_key(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]


class FirestoreDigestRecords:
    def __init__(self, db: firestore.Client, now: Callable[[], datetime]) -> None:
        self._db, self._now = db, now
        self._deliveries = FirestoreDeliveries(db, now)

    def is_off(self, email: str) -> bool:
        snapshot = self._db.collection(DIGEST_SETTINGS).document(_person_key(email)).get()
        return bool(snapshot.exists and (snapshot.to_dict() or {}).get("off"))

    def set_off(self, email: str, off: bool) -> None:
        ref = self._db.collection(DIGEST_SETTINGS).document(_person_key(email))
        ref.set({"off": off, "at": self._now()})

    def deliver(self, digest: str, email: str, mail: OutgoingMail, mailer: Mailer) -> str:
        ref = self._db.collection(DIGESTS).document(digest)
        # a run before created it: its delivery says whether it was sent
        with contextlib.suppress(google_errors.AlreadyExists, google_errors.Conflict):
            ref.create({"day": digest.split("--")[0], "created_at": self._now()})
        return self._deliveries.deliver(ref.path, mail, mailer).value
