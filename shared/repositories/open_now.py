"""The open-now counters in Firestore (shared/domain/open_now.py): `open_now/<shard>` holds
`counts.<status>.<department>`; a change increments the shard its ticket's change falls on, so
that no document takes more than about one write per second, and a read sums the shards.

`rebuild` gives tickets stored before the counters existed their count (tools/backfill_work.py):
it counts the open tickets and keeps in `open_now/base` what the shards do not already hold."""

from __future__ import annotations

from collections import Counter
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.open_now import Place, moves
from shared.domain.report_share import SHARDS
from shared.domain.ticket import OPEN_STATUSES
from shared.repositories.encoding import add_merge
from shared.repositories.firestore import TICKETS

OPEN_NOW = "open_now"
BASE = "base"


def add_open_writes(
    batch: Any, db: firestore.Client, before: Place | None, after: Place | None, shard: int
) -> None:
    changes = moves(before, after)
    if not changes:
        return
    counts: dict[str, dict[str, Any]] = {}
    for (status, department), step in changes.items():
        counts.setdefault(status, {})[department] = firestore.Increment(step)
    add_merge(batch, db.collection(OPEN_NOW).document(str(shard)), {"counts": counts})


def _documents(db: firestore.Client) -> list[Any]:
    names = [BASE, *(str(shard) for shard in range(SHARDS))]
    return [db.collection(OPEN_NOW).document(name) for name in names]


def _summed(snapshots) -> Counter:
    total: Counter = Counter()
    for snapshot in snapshots:
        for status, departments in ((snapshot.to_dict() or {}).get("counts") or {}).items():
            for department, count in departments.items():
                total[(status, department)] += int(count)
    return total


class FirestoreOpenNow:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def read(self, departments: list[str] | None = None) -> tuple[dict[str, int], int]:
        """Open tickets by status (of these departments, or all); and the documents read."""
        snapshots = [s for s in self._db.get_all(_documents(self._db)) if s.exists]
        found: Counter = Counter()
        for (status, department), count in _summed(snapshots).items():
            if departments is None or department in departments:
                found[status] += count
        return {str(s): max(0, found[str(s)]) for s in OPEN_STATUSES}, len(snapshots)

    def rebuild(self) -> int:
        """Count the open tickets; `base` holds what the shards lack. Idempotent; run when no
        ticket is changing, or run again (a change during the count is then counted)."""
        counted: Counter = Counter()
        query = (
            self._db.collection(TICKETS)
            .where(filter=FieldFilter("status", "in", [str(s) for s in OPEN_STATUSES]))
            .select(["status", "responsible_department_id"])
        )
        for snapshot in query.stream():
            data = snapshot.to_dict() or {}
            counted[(data["status"], data.get("responsible_department_id", ""))] += 1
        shards = [s for s in self._db.get_all(_documents(self._db)[1:]) if s.exists]
        in_shards = _summed(shards)
        base: dict[str, dict[str, int]] = {}
        for place in set(counted) | set(in_shards):
            status, department = place
            base.setdefault(status, {})[department] = counted[place] - in_shards[place]
        self._db.collection(OPEN_NOW).document(BASE).set({"counts": base})
        return sum(counted.values())
