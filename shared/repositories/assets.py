"""The asset registry in Firestore (the configuration file is the other way in)."""

from __future__ import annotations

from google.cloud import firestore

from shared.domain.organisation import Asset
from shared.repositories.firestore import ASSETS


class FirestoreAssets:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def all(self) -> list[Asset]:
        return [Asset.model_validate(doc.to_dict()) for doc in self._db.collection(ASSETS).stream()]

    def get(self, tag: str) -> Asset | None:
        """One asset as stored now (the directory's copy may be a few minutes old)."""
        snapshot = self._db.collection(ASSETS).document(tag).get()
        return Asset.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def save(self, asset: Asset) -> bool:
        """Create or replace the asset; True when it is new."""
        ref = self._db.collection(ASSETS).document(asset.tag)
        existed = ref.get().exists
        ref.set(asset.model_dump(mode="json"))
        return not existed
