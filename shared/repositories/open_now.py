"""The open-now counters in Firestore (shared/domain/open_now.py): `open_now/<shard>` holds
`counts.<status>.<department>.<SLA state>`; a change increments the shard its ticket's change
falls on, so that no document takes more than about one write per second, and a read sums the
shards.

`rebuild` gives tickets stored before the counters existed their count (tools/backfill_work.py):
it counts the open tickets and keeps in `open_now/base` what the shards do not already hold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.open_now import Place, moves
from shared.domain.report_share import SHARDS
from shared.domain.ticket import OPEN_STATUSES
from shared.domain.work_lists import SLA_STATES
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
    counts: dict[str, dict[str, dict[str, Any]]] = {}
    for (status, department, sla), step in changes.items():
        counts.setdefault(status, {}).setdefault(department, {})[sla] = firestore.Increment(step)
    add_merge(batch, db.collection(OPEN_NOW).document(str(shard)), {"counts": counts})


def _documents(db: firestore.Client) -> list[Any]:
    names = [BASE, *(str(shard) for shard in range(SHARDS))]
    return [db.collection(OPEN_NOW).document(name) for name in names]


def _summed(snapshots) -> Counter:
    total: Counter = Counter()
    for snapshot in snapshots:
        for status, departments in ((snapshot.to_dict() or {}).get("counts") or {}).items():
            for department, states in departments.items():
                for sla, count in states.items():
                    total[(status, department, sla)] += int(count)
    return total


@dataclass(frozen=True)
class OpenNow:
    by_status: dict[str, int]
    by_sla: dict[str, int]  # breached, at_risk, on_time
    documents: int


SLA_FIELDS = ["sla_flag", "response_breached_at", "resolution_breached_at"]


def _sla(data: dict) -> str:
    """As shared/domain/work_lists.py's `sla_state`, from the fields it reads."""
    if data.get("sla_flag") == "breached" or any(data.get(f) for f in SLA_FIELDS[1:]):
        return "breached"
    return "at_risk" if data.get("sla_flag") == "at_risk" else "on_time"


class FirestoreOpenNow:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def read(self, departments: list[str] | None = None) -> OpenNow:
        """Open tickets by status and by SLA state (of these departments, or all)."""
        snapshots = [s for s in self._db.get_all(_documents(self._db)) if s.exists]
        statuses: Counter = Counter()
        states: Counter = Counter()
        for (status, department, sla), count in _summed(snapshots).items():
            if departments is None or department in departments:
                statuses[status] += count
                states[sla] += count
        return OpenNow(
            {str(s): max(0, statuses[str(s)]) for s in OPEN_STATUSES},
            {sla: max(0, states[sla]) for sla in SLA_STATES},
            len(snapshots),
        )

    def rebuild(self) -> int:
        """Count the open tickets; `base` holds what the shards lack. Idempotent; run when no
        ticket is changing, or run again (a change during the count is then counted)."""
        counted: Counter = Counter()
        query = (
            self._db.collection(TICKETS)
            .where(filter=FieldFilter("status", "in", [str(s) for s in OPEN_STATUSES]))
            .select(["status", "responsible_department_id", *SLA_FIELDS])
        )
        for snapshot in query.stream():
            data = snapshot.to_dict() or {}
            place = (data["status"], data.get("responsible_department_id", ""), _sla(data))
            counted[place] += 1
        shards = [s for s in self._db.get_all(_documents(self._db)[1:]) if s.exists]
        in_shards = _summed(shards)
        base: dict[str, dict[str, dict[str, int]]] = {}
        for place in set(counted) | set(in_shards):
            status, department, sla = place
            difference = counted[place] - in_shards[place]
            base.setdefault(status, {}).setdefault(department, {})[sla] = difference
        self._db.collection(OPEN_NOW).document(BASE).set({"counts": base})
        return sum(counted.values())
