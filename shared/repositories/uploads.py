"""The files sent to tickets, as acting on a ticket reads them (see shared/media/uploads.py
for how they are uploaded and checked)."""

from __future__ import annotations

from google.cloud import firestore

from shared.domain.ticket import Evidence
from shared.repositories.firestore import UPLOADS, bounded, is_document_id


class FirestoreUploads:
    def __init__(self, db: firestore.Client, deadline: float = 20.0) -> None:
        self._db, self._calls = db, bounded(deadline)

    def accepted(self, ticket_id: str, upload_ids: list[str]) -> list[tuple[str, Evidence]]:
        """The uploads among `upload_ids` that passed their checks for this ticket, in order
        (any other id is left out)."""
        wanted = [upload_id for upload_id in upload_ids[:20] if is_document_id(upload_id)]
        if not wanted:
            return []
        refs = [self._db.collection(UPLOADS).document(upload_id) for upload_id in wanted]
        found = {snap.id: snap.to_dict() for snap in self._db.get_all(refs, **self._calls)}
        return [
            (upload_id, Evidence.model_validate(found[upload_id]["evidence"]))
            for upload_id in wanted
            if found.get(upload_id)
            and found[upload_id].get("ticket_id") == ticket_id
            and found[upload_id].get("state") == "accepted"
        ]
