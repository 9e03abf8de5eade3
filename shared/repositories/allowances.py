"""Counted allowances (a person's new links of the day, a client's of the hour): each a small
document taken in a transaction and deleted by a Firestore TTL once its window is over."""

from __future__ import annotations

import hashlib
from datetime import datetime

from google.cloud import firestore

ALLOWANCES = "allowances"


class FirestoreAllowances:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def take(self, name: str, most: int, expires_at: datetime) -> bool:
        """One more use of `name` (its window in the name), if fewer than `most` were taken."""
        ref = self._db.collection(ALLOWANCES).document(hashlib.sha256(name.encode()).hexdigest())

        @firestore.transactional
        def take(transaction) -> bool:
            used = (ref.get(transaction=transaction).to_dict() or {}).get("used", 0)
            if used >= most:
                return False
            transaction.set(ref, {"used": used + 1, "expires_at": expires_at})
            return True

        return take(self._db.transaction())
