"""Fold the rollups' live shards into their period's folded documents.

Ticket changes spread over `SHARDS` live documents per day and week (`rollups.py`), which keeps
every document under about one write per second; a report would then read every shard of
every period. Cloud Scheduler calls the fold hourly (`POST /rollups/fold` on the reports
function): for each period whose live shards have been quiet for a while, one batch adds what
they hold into the period's folded documents (read, summed and written packed: one write each,
guarded by the update time it was read at, or created) and deletes them, each delete guarded
by the update time it was read at. A ticket that writes to a shard meanwhile, or another fold,
makes the batch fail as a whole, and the period is folded at the next run: nothing is counted
twice or lost, and two folds running at once cannot both apply. A ticket's next change simply
creates its shard again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.repositories.rollups import (
    PACKED,
    REPORT_DAYS,
    REPORT_WEEKS,
    cells_of,
    folded_id,
    group_of,
    pack,
)

QUIET = timedelta(minutes=10)  # a shard written this recently is left for the next run
MAX_SHARDS = 400  # per batch (Firestore takes 500 writes), with the folded documents


@dataclass
class Folded:
    periods: int = 0
    shards: int = 0
    contended: int = 0  # periods written to while being folded: left for the next run


def fold(db: firestore.Client) -> Folded:
    """Fold every period's quiet shards. Their update times are Firestore's clock: they are
    compared with the wall clock, not with the help desk's notion of now."""
    now, done = datetime.now(UTC), Folded()
    for collection, label in ((REPORT_DAYS, "day"), (REPORT_WEEKS, "week")):
        # index: single-field on `live` only (automatic), no composite index
        live = db.collection(collection).where(filter=FieldFilter("live", "==", True))
        periods: dict[str, list[firestore.DocumentSnapshot]] = defaultdict(list)
        for snapshot in live.stream():
            if snapshot.update_time <= now - QUIET:
                periods[snapshot.get(label)].append(snapshot)
        for period, shards in sorted(periods.items()):
            for start in range(0, len(shards), MAX_SHARDS):
                chunk = shards[start : start + MAX_SHARDS]
                if _fold_period(db, collection, label, period, chunk):
                    done.shards += len(chunk)
                else:
                    done.contended += 1
            done.periods += 1
    return done


def _fold_period(
    db: firestore.Client,
    collection: str,
    label: str,
    period: str,
    shards: list[firestore.DocumentSnapshot],
) -> bool:
    groups: dict[int, dict[str, Any]] = defaultdict(dict)
    for snapshot in shards:
        for cell, fields in (snapshot.get("cells") or {}).items():
            _add(groups[group_of(cell)].setdefault(cell, {}), fields)
    batch = db.batch()
    refs = [db.collection(collection).document(folded_id(period, group)) for group in groups]
    current = {snapshot.id: snapshot for snapshot in db.get_all(refs)}
    for ref, (group, cells) in zip(refs, groups.items(), strict=True):
        folded = current.get(ref.id)
        if folded is None or not folded.exists:
            batch.create(ref, {label: period, "group": group, PACKED: pack(cells)})
            continue
        total: dict[str, Any] = {}
        for part in [*cells_of(folded.to_dict() or {}), cells]:
            for cell, fields in part.items():
                _add(total.setdefault(cell, {}), fields)
        batch.update(
            ref,
            {label: period, "group": group, PACKED: pack(total), "cells": firestore.DELETE_FIELD},
            option=db.write_option(last_update_time=folded.update_time),
        )
    for snapshot in shards:
        batch.delete(
            snapshot.reference, option=db.write_option(last_update_time=snapshot.update_time)
        )
    try:
        batch.commit()
    except (
        google_errors.FailedPrecondition,
        google_errors.Aborted,
        google_errors.Conflict,
        google_errors.AlreadyExists,
    ):
        return False
    return True


def _add(target: dict[str, Any], fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if isinstance(value, dict):
            _add(target.setdefault(name, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            target[name] = target.get(name, 0) + value
        else:
            target[name] = value  # the cell's dimensions
