"""The asset registry kept over HTTP (the configuration file is the other way in)."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore
from pydantic import ValidationError

from shared.domain.organisation import Asset
from shared.errors import BadRequest
from shared.intake.schema import field_path
from shared.repositories import firestore as names
from shared.repositories.directory import Directory, person_of


def list_assets(db: firestore.Client) -> list[Asset]:
    return [Asset.model_validate(doc.to_dict()) for doc in db.collection(names.ASSETS).stream()]


def save_asset(
    db: firestore.Client, directory: Directory, tag: str, raw: Any
) -> tuple[Asset, bool]:
    """Create or replace an asset after checking it; True when it is new."""
    if not isinstance(raw, dict):
        raise BadRequest("the body must be a JSON object")
    try:
        asset = Asset.model_validate({**raw, "tag": tag})
    except ValidationError as error:
        raise BadRequest.from_problems(
            "the asset was not saved",
            [(field_path(item["loc"]), item["msg"]) for item in error.errors()],
        ) from None
    problems = []
    if directory.area(asset.area) is None:
        problems.append(("area", f"unknown area {asset.area!r}"))
    if asset.responsible and person_of(directory, asset.responsible) is None:
        problems.append(("responsible", f"{asset.responsible} is not in the directory"))
    if problems:
        raise BadRequest.from_problems("the asset was not saved", problems)
    ref = db.collection(names.ASSETS).document(tag)
    existed = ref.get().exists
    ref.set(asset.model_dump(mode="json"))
    return asset, not existed
