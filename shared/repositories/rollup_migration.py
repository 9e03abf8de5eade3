"""Move every ticket's share of the report to the sharded rollups (`tools.migrate_rollups`).

The rollups before shards (`report_days`, `report_weeks`) held the breached and at-risk lines
and unbounded histograms; the report no longer reads them. Each ticket whose share has no
shard yet gets its share computed again and added to the new rollups, in one batch per page
of tickets that also sets each ticket's share (guarded by the update time it was read at)
and moves the migration's cursor. So the migration is:
- resumable: stopped anywhere, it goes on after the last page it committed;
- idempotent: a ticket already moved (by the migration, or by its own change since, which
  moves it too) is skipped, and a page whose tickets changed meanwhile is done ticket by
  ticket again;
- safe beside live traffic: a ticket is in the new rollups exactly once, whoever moved it.
When every ticket is moved, the old documents are deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import firestore

from shared.domain.report_share import Rollup
from shared.domain.ticket import Ticket
from shared.repositories.encoding import add_merge
from shared.repositories.firestore import TICKETS
from shared.repositories.rollups import LEGACY, REPORT_DAYS, rollup_writes

STATE = ("migrations", "rollups-sharded")
PAGE = 100  # tickets per batch: their rollup increments, their shares and the cursor


@dataclass
class Progress:
    moved: int = 0
    skipped: int = 0  # already in the new rollups
    seconds: float = 0.0
    done: bool = False
    legacy_deleted: int = 0

    @property
    def per_10k(self) -> float:
        seen = self.moved + self.skipped
        return self.seconds / seen * 10_000 if seen else 0.0


def migrate(
    db: firestore.Client,
    rollup: Rollup,
    page: int = PAGE,
    max_pages: int | None = None,
    report: Callable[[Progress], None] = lambda progress: None,
) -> Progress:
    state_ref = db.collection(STATE[0]).document(STATE[1])
    state = state_ref.get().to_dict() or {}
    progress = Progress(
        moved=state.get("moved", 0), skipped=state.get("skipped", 0), done=state.get("done", False)
    )
    progress.seconds = state.get("seconds", 0.0)
    after = state.get("after")
    pages = 0
    while not progress.done and (max_pages is None or pages < max_pages):
        started = time.perf_counter()
        query = db.collection(TICKETS).order_by("__name__").limit(page)
        if after:
            query = query.start_after({"__name__": db.collection(TICKETS).document(after)})
        snapshots = list(query.stream())
        moved, skipped = _move_page(db, rollup, snapshots)
        progress.moved += moved
        progress.skipped += skipped
        progress.seconds += time.perf_counter() - started
        after = snapshots[-1].id if snapshots else after
        progress.done = len(snapshots) < page
        state_ref.set(
            {
                "after": after,
                "moved": progress.moved,
                "skipped": progress.skipped,
                "seconds": progress.seconds,
                "done": progress.done,
            }
        )
        pages += 1
        report(progress)
    if progress.done:
        progress.legacy_deleted = _delete_legacy(db)
    return progress


def _move_page(
    db: firestore.Client, rollup: Rollup, snapshots: list[firestore.DocumentSnapshot]
) -> tuple[int, int]:
    pending = [s for s in snapshots if not _moved(s)]
    skipped = len(snapshots) - len(pending)
    if not pending:
        return 0, skipped
    try:
        _commit(db, rollup, pending)
        return len(pending), skipped
    except google_errors.FailedPrecondition:
        pass  # a ticket changed meanwhile: one by one, each read again
    moved = 0
    for snapshot in pending:
        for _ in range(5):
            fresh = snapshot.reference.get()
            if not fresh.exists or _moved(fresh):
                skipped += 1
                break
            try:
                _commit(db, rollup, [fresh])
            except google_errors.FailedPrecondition:
                continue
            moved += 1
            break
    return moved, skipped


def _moved(snapshot: firestore.DocumentSnapshot) -> bool:
    share = (snapshot.to_dict() or {}).get("report_share")
    return bool(share) and "shard" in share


def _commit(
    db: firestore.Client, rollup: Rollup, snapshots: list[firestore.DocumentSnapshot]
) -> None:
    batch = db.batch()
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    for snapshot in snapshots:
        ticket = Ticket.model_validate(snapshot.to_dict())
        share = rollup.share(ticket)
        for (collection, key), fields in rollup_writes(None, share).items():
            label = "day" if collection == REPORT_DAYS else "week"
            period, shard = key.rsplit(".", 1)
            head = {label: period, "shard": int(shard), "live": True}
            _sum(documents.setdefault((collection, key), head), fields)
        batch.update(
            snapshot.reference,
            {"report_share": share.to_doc()},
            option=db.write_option(last_update_time=snapshot.update_time),
        )
    for (collection, key), fields in documents.items():
        add_merge(batch, db.collection(collection).document(key), fields)
    batch.commit()


def _sum(target: dict[str, Any], fields: dict[str, Any]) -> None:
    """Add one ticket's merge-writes to the page's (one write per document in a batch)."""
    for name, value in fields.items():
        if isinstance(value, dict):
            _sum(target.setdefault(name, {}), value)
        elif isinstance(value, firestore.Increment) and name in target:
            target[name] = firestore.Increment(target[name].value + value.value)
        else:
            target[name] = value


def _delete_legacy(db: firestore.Client) -> int:
    deleted = 0
    for collection in LEGACY:
        while True:
            refs = [s.reference for s in db.collection(collection).limit(300).stream()]
            if not refs:
                break
            batch = db.batch()
            for ref in refs:
                batch.delete(ref)
            batch.commit()
            deleted += len(refs)
    return deleted
