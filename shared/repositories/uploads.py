"""The files sent to tickets in Firestore: one document per upload (its checks, and the
evidence it became) and the allowances that limit how much a ticket and a person may send
(see shared/media/uploads.py for the use cases)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.ticket import Evidence
from shared.repositories.firestore import UPLOADS, bounded, is_document_id

QUOTAS = "upload_quotas"


class FirestoreUploads:
    def __init__(self, db: firestore.Client, deadline: float = 20.0) -> None:
        self._db, self._calls = db, bounded(deadline)

    def _ref(self, upload_id: str) -> firestore.DocumentReference:
        return self._db.collection(UPLOADS).document(upload_id)

    def get(self, upload_id: str) -> dict[str, Any] | None:
        if not is_document_id(upload_id):
            return None
        snapshot = self._ref(upload_id).get()
        return snapshot.to_dict() if snapshot.exists else None

    def create(self, upload_id: str, record: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Record a new upload once: a twin request that made it first wins (its record comes
        back, with False)."""
        try:
            self._ref(upload_id).create(record)
        except (google_errors.AlreadyExists, google_errors.Conflict):
            return self._ref(upload_id).get().to_dict() or record, False
        return record, True

    def update(self, upload_id: str, fields: dict[str, Any]) -> None:
        self._ref(upload_id).update(fields)

    def unchecked(self, since: datetime, before: datetime, limit: int) -> list[tuple[str, dict]]:
        """Uploads pending or expired, created in [since, before)."""
        # index: uploads(state ASC, created_at ASC)
        query = (
            self._db.collection(UPLOADS)
            .where(filter=FieldFilter("state", "in", ["pending", "expired"]))
            .where(filter=FieldFilter("created_at", "<", before))
            .where(filter=FieldFilter("created_at", ">=", since))
            .limit(limit)
        )
        return [(snapshot.id, snapshot.to_dict()) for snapshot in query.stream()]

    def take(self, allowance: str, size: int, most: int, most_bytes: int) -> bool:
        """Take one upload and `size` bytes from an allowance: added atomically first (an
        Increment, no lock to wait for), then read; over a limit, given back (False)."""
        ref = self._db.collection(QUOTAS).document(allowance)
        ref.set({"count": firestore.Increment(1), "bytes": firestore.Increment(size)}, merge=True)
        used = ref.get().to_dict() or {}
        if used.get("count", 0) > most or used.get("bytes", 0) > most_bytes:
            self.give_back(allowance, size)
            return False
        return True

    def give_back(self, allowance: str, size: int) -> None:
        ref = self._db.collection(QUOTAS).document(allowance)
        ref.set({"count": firestore.Increment(-1), "bytes": firestore.Increment(-size)}, merge=True)

    def accepted(self, ticket_id: str, upload_ids: list[str]) -> list[tuple[str, Evidence]]:
        """The uploads among `upload_ids` that passed their checks for this ticket, in order
        (any other id is left out)."""
        wanted = [upload_id for upload_id in upload_ids[:20] if is_document_id(upload_id)]
        if not wanted:
            return []
        refs = [self._ref(upload_id) for upload_id in wanted]
        found = {snap.id: snap.to_dict() for snap in self._db.get_all(refs, **self._calls)}
        return [
            (upload_id, Evidence.model_validate(found[upload_id]["evidence"]))
            for upload_id in wanted
            if found.get(upload_id)
            and found[upload_id].get("ticket_id") == ticket_id
            and found[upload_id].get("state") == "accepted"
        ]
