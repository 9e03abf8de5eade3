"""The report's rollups in Firestore, by day and by ISO week of the tickets' creation:
`report_days/{YYYY-MM-DD}` and `report_weeks/{YYYY-MM-DD of the Monday}`.

Both hold `cells.{cell}`: the dimensions and summed metrics of the tickets created then that
share them. Week documents also hold `watch.{ticket}`: the breached and at-risk lines. Writes
are Increment transforms of the difference between a ticket's previous and new share, added
to the batch that changes the ticket: everything lands or nothing does.

A report reads whole weeks where the period covers them and days at its edges, so its cost
grows with the weeks and the dimensions, not with the tickets: 90 days are about 20 documents.
The maps `cells` and `watch` are exempt from single-field indexes (`firestore.indexes.json`):
nothing queries inside them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.report_share import SEP, Share, encode_dims
from shared.repositories.encoding import add_merge

REPORT_DAYS = "report_days"
REPORT_WEEKS = "report_weeks"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(day: str) -> str:
    return monday_of(date.fromisoformat(day)).isoformat()


def _nest(target: dict, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


Writes = dict[tuple[str, str], dict[str, Any]]  # (collection, document id) -> merged fields


def rollup_writes(old: Share | None, new: Share | None) -> Writes:
    """The merge-writes that turn `old`'s contribution into `new`'s, in its day and week."""
    deltas: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if old is not None:
        for name, value in old.metrics.items():
            deltas[(old.day, old.cell)][name] -= value
    if new is not None:
        for name, value in new.metrics.items():
            deltas[(new.day, new.cell)][name] += value
    writes: Writes = defaultdict(dict)
    for (day, cell), metrics in deltas.items():
        documents = ((REPORT_DAYS, day), (REPORT_WEEKS, week_of(day)))
        for name, delta in metrics.items():
            if delta:
                for document in documents:
                    path = ["cells", cell, *name.split(SEP)]
                    _nest(writes[document], path, firestore.Increment(delta))
        if new is not None and (day, cell) == (new.day, new.cell):
            for document in documents:
                if document in writes and cell in writes[document].get("cells", {}):
                    writes[document]["cells"][cell]["dims"] = encode_dims(new.dims)
    old_watch = old.watch if old else None
    new_watch = new.watch if new else None
    moved = old is not None and new is not None and week_of(old.day) != week_of(new.day)
    if old is not None and old_watch and (new_watch is None or moved):
        watch = writes[(REPORT_WEEKS, week_of(old.day))].setdefault("watch", {})
        watch[old_watch["id"]] = firestore.DELETE_FIELD
    if new is not None and new_watch and (new_watch != old_watch or moved):
        watch = writes[(REPORT_WEEKS, week_of(new.day))].setdefault("watch", {})
        watch[new_watch["id"]] = encode_line({**new_watch, "day": new.day})
    return dict(writes)


def add_rollup_writes(
    batch: firestore.WriteBatch, db: firestore.Client, old: Share | None, new: Share | None
) -> None:
    for (collection, key), fields in rollup_writes(old, new).items():
        label = "day" if collection == REPORT_DAYS else "week"
        add_merge(batch, db.collection(collection).document(key), {label: key, **fields})


def encode_line(line: dict[str, Any]) -> str:
    """A list line as one JSON string: one value to decode instead of a dozen (a long period
    holds thousands of them)."""
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)


def decode_line(value: str | dict[str, Any]) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


@dataclass
class Rollups:
    """What a report reads: summed cells, each under the day or the week it covers, and the
    list lines of the tickets created in the period."""

    parts: list[tuple[date, dict[str, Any]]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0


def cover(start: date, end: date, by: str) -> tuple[list[date], list[date]]:
    """Whole weeks inside the period (and inside one month, for a monthly trend), and the
    days left over at the edges."""
    weeks, days = [], []
    day = start
    while day <= end:
        monday, sunday = monday_of(day), monday_of(day) + timedelta(days=6)
        whole = monday >= start and sunday <= end and (by == "week" or monday.month == sunday.month)
        if whole:
            weeks.append(monday)
            day = sunday + timedelta(days=1)
        else:
            days.append(day)
            day += timedelta(days=1)
    return weeks, days


def read_rollups(db: firestore.Client, start: date, end: date, by: str) -> Rollups:
    weeks, days = cover(start, end, by)
    found = Rollups()
    whole = {monday.isoformat() for monday in weeks}
    # index: single-field on `week` only (automatic), no composite index
    week_docs = (
        db.collection(REPORT_WEEKS)
        .where(filter=FieldFilter("week", ">=", monday_of(start).isoformat()))
        .where(filter=FieldFilter("week", "<=", monday_of(end).isoformat()))
        .stream()
    )
    first, last = start.isoformat(), end.isoformat()
    for snapshot in week_docs:
        found.documents += 1
        data = _fields(snapshot)
        if data["week"] in whole:
            found.parts.append((date.fromisoformat(data["week"]), data.get("cells") or {}))
        for encoded in (data.get("watch") or {}).values():
            line = decode_line(encoded)
            if first <= line["day"] <= last:
                found.lines.append(line)
    refs = [db.collection(REPORT_DAYS).document(day.isoformat()) for day in days]
    for chunk in range(0, len(refs), 100):
        for snapshot in db.get_all(refs[chunk : chunk + 100]):
            found.documents += 1
            if snapshot.exists:
                data = _fields(snapshot)
                found.parts.append((date.fromisoformat(data["day"]), data.get("cells") or {}))
    return found


def _fields(snapshot: firestore.DocumentSnapshot) -> dict[str, Any]:
    # to_dict() deep-copies every nested map, which took half the report's time at 10,000
    # tickets; these snapshots are read once and never shared, so their data is taken as is.
    return snapshot._data


class FirestoreRollups:
    """The SLA report's rollups as the report reads them."""

    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def read(self, start: date, end: date, by: str) -> Rollups:
        return read_rollups(self._db, start, end, by)
