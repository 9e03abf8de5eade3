"""The report's rollups in Firestore, by day and by ISO week of the tickets' creation:
`rollup_days/{YYYY-MM-DD}.{…}` and `rollup_weeks/{Monday}.{…}`.

Each document holds `cells.{cell}`: the dimensions and summed metrics of tickets created then
that share them. Ticket changes write to live shards, `{period}.{shard}` (`SHARDS` of them):
Increment transforms of the difference between a ticket's previous and new share, in the
batch that changes the ticket, so everything lands or nothing does. Each change writes to one
shard named by the ticket and the change (a creation to the shard the ticket's id names), so
a burst of changes spreads evenly over the shards (about one write per second each at 50
changes per second); the report sums them.

Every hour the fold (`rollup_fold.py`) moves what the live shards of quiet periods hold into
the period's few folded documents, `{period}.g{group}` (a cell's group follows from its key,
`GROUPS` of them): a report then reads about as many documents as weeks and edge days times
`GROUPS`, plus the shards changed in the last hour. No document grows with the tickets: a
cell's histograms have a bounded number of buckets (`shared/domain/report_share.py`) and a
folded document holds one group of the cells. A folded document keeps its cells packed, as one
compressed JSON value (`packed`): nothing but the fold writes it, and decoding it is one call
instead of thousands of Firestore values (a report reads about 150 of them). Folded documents
written before hold `cells` as maps; both are read, and the next fold packs them.

The maps `cells` are exempt from single-field indexes (`firestore.indexes.json`): nothing
queries inside them. The breached and at-risk lists are read from the tickets
(`watch_lists.py`).
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.report_share import SEP, Share, encode_dims
from shared.repositories.encoding import add_merge
from shared.repositories.watch_lists import WatchLists, read_lists

if TYPE_CHECKING:
    from shared.repositories.rollup_fold import Folded

REPORT_DAYS = "rollup_days"
REPORT_WEEKS = "rollup_weeks"
GROUPS = 8  # folded documents per day and week (cells split by their key)
LEGACY = ("report_days", "report_weeks")  # the layout before shards (tools.migrate_rollups)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(day: str) -> str:
    return monday_of(date.fromisoformat(day)).isoformat()


def _nest(target: dict, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


Writes = dict[tuple[str, str], dict[str, Any]]  # (collection, document id) -> merged fields


def metric_path(name: str) -> list[str]:
    """A metric's place in its cell ("resp_m|m37" is `resp_m.m37`)."""
    return name.split(SEP)


def document_id(period: str, shard: int) -> str:
    return f"{period}.{shard:02d}"


def folded_id(period: str, group: int) -> str:
    return f"{period}.g{group}"


def group_of(cell: str) -> int:
    return int(cell[1:9], 16) % GROUPS


def rollup_writes(old: Share | None, new: Share | None, shard: int | None = None) -> Writes:
    """The merge-writes that turn `old`'s contribution into `new`'s, in its day and week: in
    the shards the shares name, or all in `shard` (a change's own, which spreads a ticket's
    successive changes over the shards; the report sums them)."""
    deltas: dict[tuple[str, int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    dims: dict[str, dict[str, str]] = {}
    if old is not None:
        dims[old.cell] = old.dims
        for name, value in old.metrics.items():
            deltas[(old.day, old.shard if shard is None else shard, old.cell)][name] -= value
    if new is not None:
        dims[new.cell] = new.dims
        for name, value in new.metrics.items():
            deltas[(new.day, new.shard if shard is None else shard, new.cell)][name] += value
    writes: Writes = defaultdict(dict)
    for (day, shard, cell), metrics in deltas.items():
        documents = (
            (REPORT_DAYS, document_id(day, shard)),
            (REPORT_WEEKS, document_id(week_of(day), shard)),
        )
        for name, delta in metrics.items():
            if delta:
                for document in documents:
                    path = ["cells", cell, *metric_path(name)]
                    _nest(writes[document], path, firestore.Increment(delta))
        # Every cell written names its dimensions: once folded (`rollup_fold.py`), a shard may
        # hold only a later difference of a cell, and the report sums it by its dimensions.
        for document in documents:
            if document in writes and cell in writes[document].get("cells", {}):
                writes[document]["cells"][cell]["dims"] = encode_dims(dims[cell])
    return dict(writes)


def add_rollup_writes(
    batch: firestore.WriteBatch,
    db: firestore.Client,
    old: Share | None,
    new: Share | None,
    shard: int | None = None,
) -> None:
    for (collection, key), fields in rollup_writes(old, new, shard).items():
        label = "day" if collection == REPORT_DAYS else "week"
        period, shard = key.rsplit(".", 1)
        add_merge(
            batch,
            db.collection(collection).document(key),
            {label: period, "shard": int(shard), "live": True, **fields},
        )


@dataclass
class Rollups:
    """What a report reads: summed cells, each under the day or the week it covers."""

    parts: list[tuple[date, dict[str, Any]]] = field(default_factory=list)
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
    if weeks:
        # index: single-field on `week` only (automatic), no composite index
        week_docs = (
            db.collection(REPORT_WEEKS)
            .where(filter=FieldFilter("week", ">=", weeks[0].isoformat()))
            .where(filter=FieldFilter("week", "<=", weeks[-1].isoformat()))
            .stream()
        )
        whole = {monday.isoformat() for monday in weeks}
        for snapshot in week_docs:
            found.documents += 1
            data = _fields(snapshot)
            if data["week"] in whole:
                monday = date.fromisoformat(data["week"])
                found.parts.extend((monday, cells) for cells in cells_of(data))
    names = [day.isoformat() for day in days]
    for chunk in range(0, len(names), 30):  # `in` takes at most 30 values
        # index: single-field on `day` only (automatic), no composite index
        query = db.collection(REPORT_DAYS).where(
            filter=FieldFilter("day", "in", names[chunk : chunk + 30])
        )
        for snapshot in query.stream():
            found.documents += 1
            data = _fields(snapshot)
            found.parts.extend((date.fromisoformat(data["day"]), cells) for cells in cells_of(data))
    return found


PACKED = "packed"


def pack(cells: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(cells, separators=(",", ":")).encode(), 6)


def cells_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A rollup document's cells: packed (a folded document), as maps (a live shard, or a
    folded document from before packing), or both while one is being packed."""
    found = []
    if data.get(PACKED):
        found.append(json.loads(zlib.decompress(data[PACKED])))
    if data.get("cells"):
        found.append(data["cells"])
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

    def fold(self) -> Folded:
        from shared.repositories.rollup_fold import fold

        return fold(self._db)

    def lists(
        self,
        start: date,
        end: date,
        filters: dict[str, str],
        late_now: Callable[[dict], int],
        calendars: list[str],
        limit: int,
    ) -> WatchLists:
        return read_lists(self._db, start, end, filters, late_now, calendars, limit)
