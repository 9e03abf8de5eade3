"""The daily rollups in Firestore: `report_days/{YYYY-MM-DD}`.

Each document holds `cells.{cell}` (the dimensions and summed metrics of the tickets created
that day that share them) and `watch.{ticket}` (the breached and at-risk lines). Writes are
Increment transforms of the difference between a ticket's previous and new share, added to
the batch that changes the ticket: both land or neither does.

The field `cells` is exempt from single-field indexes (`firestore.indexes.json`): nothing
queries inside it, and a busy day would otherwise approach the index-entry limit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.reports.sla.rollup import SEP, Share

REPORT_DAYS = "report_days"


def _nest(target: dict, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def rollup_writes(old: Share | None, new: Share | None) -> dict[str, dict[str, Any]]:
    """The merge-writes, per day document, that turn `old`'s contribution into `new`'s."""
    deltas: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if old is not None:
        for name, value in old.metrics.items():
            deltas[(old.day, old.cell)][name] -= value
    if new is not None:
        for name, value in new.metrics.items():
            deltas[(new.day, new.cell)][name] += value
    writes: dict[str, dict[str, Any]] = defaultdict(dict)
    for (day, cell), metrics in deltas.items():
        for name, delta in metrics.items():
            if delta:
                _nest(writes[day], ["cells", cell, *name.split(SEP)], firestore.Increment(delta))
    if new is not None and (day_cell := writes.get(new.day, {}).get("cells", {}).get(new.cell)):
        day_cell["dims"] = new.dims
    old_watch = old.watch if old else None
    new_watch = new.watch if new else None
    if old_watch and (new_watch is None or old.day != new.day):
        writes[old.day].setdefault("watch", {})[old_watch["id"]] = firestore.DELETE_FIELD
    if new_watch and (new_watch != old_watch or old is None or old.day != new.day):
        writes[new.day].setdefault("watch", {})[new_watch["id"]] = encode_line(new_watch)
    return dict(writes)


def encode_line(line: dict[str, Any]) -> str:
    """A list line as one JSON string: one value to decode instead of a dozen (a long period
    holds thousands of them)."""
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)


def decode_line(value: str | dict[str, Any]) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


def add_rollup_writes(
    batch: firestore.WriteBatch, db: firestore.Client, old: Share | None, new: Share | None
) -> None:
    for day, fields in rollup_writes(old, new).items():
        batch.set(db.collection(REPORT_DAYS).document(day), {"day": day, **fields}, merge=True)


def read_days(db: firestore.Client, start: date, end: date) -> list[dict[str, Any]]:
    """Every rollup document from start to end (inclusive): one read per day with tickets."""
    # index: single-field on `day` only (automatic), no composite index
    query = (
        db.collection(REPORT_DAYS)
        .where(filter=FieldFilter("day", ">=", start.isoformat()))
        .where(filter=FieldFilter("day", "<=", end.isoformat()))
        .order_by("day")
    )
    # to_dict() deep-copies every nested map, which took half the report's time at 10,000
    # tickets; these snapshots are read once and never shared, so their data is taken as is.
    return [snapshot._data for snapshot in query.stream()]
