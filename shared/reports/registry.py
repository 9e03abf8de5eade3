"""The asset registry kept over HTTP (the configuration file is the other way in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from shared.domain.organisation import Asset
from shared.errors import BadRequest
from shared.intake.schema import field_path
from shared.repositories.directory import Directory, person_of

if TYPE_CHECKING:
    from shared.bootstrap import Services
    from shared.reports.assets import TicketQueries


class Assets(Protocol):
    """The registry's store (shared/repositories/assets.py)."""

    def all(self) -> list[Asset]: ...

    def get(self, tag: str) -> Asset | None: ...

    def save(self, asset: Asset) -> bool: ...


def save_asset(assets: Assets, directory: Directory, tag: str, raw: Any) -> tuple[Asset, bool]:
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
    return asset, assets.save(asset)


@dataclass(frozen=True)
class RegistryServices:
    """What the registry's and the managers' lists' endpoints use (built by bootstrap)."""

    base: Services
    queries: TicketQueries
    assets: Assets
