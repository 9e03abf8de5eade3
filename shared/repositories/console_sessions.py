"""The console's sessions in Firestore: one document per sign-in, so that a session ends for
good at sign-out (its cookie, replayed, finds it ended) and expires on its own (a Firestore
TTL on `expires_at` deletes it later)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from google.cloud import firestore

from shared.repositories.firestore import CONSOLE_SESSIONS, is_document_id


class FirestoreConsoleSessions:
    def __init__(self, db: firestore.Client, now: Callable[[], datetime]) -> None:
        self._db, self._now = db, now

    def start(self, session_id: str, email: str, lifetime: timedelta) -> None:
        now = self._now()
        self._db.collection(CONSOLE_SESSIONS).document(session_id).create(
            {"email": email, "started_at": now, "expires_at": now + lifetime, "ended": False}
        )

    def is_live(self, session_id: str, email: str) -> bool:
        if not is_document_id(session_id):
            return False
        snapshot = self._db.collection(CONSOLE_SESSIONS).document(session_id).get()
        data = snapshot.to_dict() if snapshot.exists else None
        return bool(
            data
            and data.get("email") == email
            and not data.get("ended")
            and data.get("expires_at") > self._now()
        )

    def end(self, session_id: str) -> None:
        if is_document_id(session_id):
            ref = self._db.collection(CONSOLE_SESSIONS).document(session_id)
            ref.set({"ended": True, "ended_at": self._now()}, merge=True)
