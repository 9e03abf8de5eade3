"""The report's rollup documents as the help desk writes them, built in memory, and their size
as Firestore counts it (the 1 MiB limit applies to that size).

`RollupTotals` sums tickets' shares per document and cell and lays them out as the merge-writes
of a ticket's batch do (`rollup_writes`; a test keeps the two equal). The benchmark seeds these
documents, and a test checks their size at the volume of a large organisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from shared.domain.report_share import Share, encode_dims
from shared.repositories.rollups import (
    REPORT_DAYS,
    REPORT_WEEKS,
    document_id,
    folded_id,
    group_of,
    metric_path,
    week_of,
)

Documents = dict[tuple[str, str], dict[str, Any]]


class RollupTotals:
    """The rollup documents of many tickets' creation: their shares summed per document and
    cell, then laid out as `rollup_writes` lays out a ticket's increments, in the live shards
    or as the fold leaves them (`rollup_fold.py`)."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, str, int, str], tuple[dict[str, str], Counter]] = {}

    def add(self, share: Share, shards: Iterable[int] = ()) -> None:
        """One ticket with this share; with `shards`, one such ticket in each of them."""
        periods = ((REPORT_DAYS, share.day), (REPORT_WEEKS, week_of(share.day)))
        for shard in shards or (share.shard,):
            for collection, period in periods:
                key = (collection, period, shard, share.cell)
                entry = self._cells.get(key)
                if entry is None:
                    entry = self._cells[key] = (share.dims, Counter())
                entry[1].update(share.metrics)

    def documents(self, folded: bool = False) -> Documents:
        cells: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, str], Counter]] = {}
        for (collection, period, shard, cell), (dims, metrics) in self._cells.items():
            label = "day" if collection == REPORT_DAYS else "week"
            if folded:
                group = group_of(cell)
                key, head = folded_id(period, group), {label: period, "group": group}
            else:
                key, head = (
                    document_id(period, shard),
                    {label: period, "shard": shard, "live": True},
                )
            entry = cells.get((collection, key, cell))
            if entry is None:
                entry = cells[(collection, key, cell)] = (head, dims, Counter())
            entry[2].update(metrics)
        documents: Documents = {}
        for (collection, key, cell), (head, dims, metrics) in cells.items():
            document = documents.setdefault((collection, key), dict(head))
            fields = document.setdefault("cells", {}).setdefault(cell, {})
            fields["dims"] = encode_dims(dims)
            for name, value in metrics.items():
                target = fields
                *parents, last = metric_path(name)
                for part in parents:
                    target = target.setdefault(part, {})
                target[last] = value
        return documents


def firestore_size(path: str, fields: dict[str, Any]) -> int:
    """Firestore's storage size of a document (its documented calculation): the name, every
    field name and value, and 32 bytes."""
    name = sum(len(part.encode()) + 1 for part in path.split("/")) + 16
    return name + _value_size(fields) + 32


def _value_size(value: Any) -> int:
    if isinstance(value, dict):
        return sum(len(k.encode()) + 1 + _value_size(v) for k, v in value.items())
    if isinstance(value, str):
        return len(value.encode()) + 1
    if isinstance(value, list):
        return sum(_value_size(item) for item in value)
    if value is None or isinstance(value, bool):
        return 1
    return 8  # integers, doubles, timestamps


def largest(documents: Documents) -> tuple[int, str]:
    """The largest document's size and its path."""
    size, path = max(
        (firestore_size(f"{c}/{k}", fields), f"{c}/{k}") for (c, k), fields in documents.items()
    )
    return size, path
