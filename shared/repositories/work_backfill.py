"""Give tickets stored before the personal lists existed their place in them (`work`,
shared/domain/work_lists.py). Each ticket is updated alone, guarded by its update time: a
ticket that changes meanwhile got its keys from its own change. Running it again changes
nothing; stopped anywhere, it goes on from the start and skips what is done."""

from __future__ import annotations

from dataclasses import dataclass

from google.api_core import exceptions as google_errors
from google.cloud import firestore

from shared.domain.ticket import Ticket
from shared.domain.work_lists import work_keys
from shared.repositories.firestore import TICKETS

PAGE = 200


@dataclass
class Backfilled:
    updated: int = 0
    already: int = 0


def backfill(db: firestore.Client, page: int = PAGE) -> Backfilled:
    done = Backfilled()
    after = None
    while True:
        query = db.collection(TICKETS).order_by("__name__").limit(page)
        if after is not None:
            query = query.start_after({"__name__": after})
        snapshots = list(query.stream())
        batch = db.batch()
        pending = 0
        for snapshot in snapshots:
            data = snapshot.to_dict() or {}
            if "find" in (data.get("work") or {}):  # its place, its words, the console's keys
                done.already += 1
                continue
            dims = (data.get("report_share") or {}).get("dims")
            keys = work_keys(Ticket.model_validate(data), dims)
            option = db.write_option(last_update_time=snapshot.update_time)
            batch.update(snapshot.reference, {"work": keys}, option=option)
            pending += 1
        if pending:
            try:
                batch.commit()
                done.updated += pending
            except google_errors.FailedPrecondition:
                # a ticket changed meanwhile (and got its keys then): the page again
                continue
        if len(snapshots) < page:
            return done
        after = snapshots[-1].reference
