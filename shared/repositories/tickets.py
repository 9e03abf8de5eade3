"""Tickets and their event logs in Firestore.

Opening a ticket takes no transaction: Firestore's emulator (and a hot document in
production) handles many concurrent read-then-write transactions on one counter badly. The
ticket is written with a create-only precondition together with its first events and its
report rollups, in one atomic batch, and its number comes from `numbers` (usually claimed in
that same batch). A submission sent again therefore opens no second ticket, and finds its
ticket (or the number drawn for it) before it would draw one. Numbers are unique and
increasing; see `numbers` for the cases that still leave a gap. A commit Firestore aborts for
contention is sent again with jittered backoff within the request's deadline; past it the
caller answers 503 with Retry-After.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.change import Change, changed
from shared.domain.open_now import place_of
from shared.domain.report_share import Rollup, Share, shard_of
from shared.domain.ticket import Ticket, TicketEvent
from shared.domain.work_lists import work_keys
from shared.errors import RetryLater, TicketChanged
from shared.repositories.encoding import add_create
from shared.repositories.firestore import (
    COUNTERS,
    EVENTS,
    NUMBER_CLAIMS,
    TICKETS,
    bounded,
    contended,
    is_document_id,
)
from shared.repositories.numbers import Claim, TicketNumbers
from shared.repositories.open_now import add_open_writes
from shared.repositories.rollups import add_rollup_writes

IN_FLIGHT_WAIT = 5.0  # seconds a re-sent submission waits for the copy being stored


class _Claimed(Exception):
    """The ticket's number claim exists (drawn by another attempt), the ticket does not."""


class FirestoreTickets:
    def __init__(
        self, db: firestore.Client, rollup: Rollup | None = None, deadline: float = 20.0
    ) -> None:
        self._db = db
        self._rollup = rollup  # needed to write: every ticket keeps the SLA report's rollups
        # Opening a ticket retries a Firestore outage this long, then fails (the caller
        # answers 503 and the sender retries later): a form never waits a minute for nothing.
        self._calls = bounded(deadline)
        # Creating a ticket also retries contention (a burst on the counter and the shards).
        self._creates = contended(deadline)
        self._numbers = TicketNumbers(
            db.collection(COUNTERS).document("tickets"),
            db.collection(NUMBER_CLAIMS),
            self._creates,
        )

    @property
    def db(self) -> firestore.Client:
        return self._db

    def _ref(self, ticket_id: str) -> firestore.DocumentReference:
        return self._db.collection(TICKETS).document(ticket_id)

    def get(self, ticket_id: str) -> Ticket | None:
        if not is_document_id(ticket_id):
            return None
        snapshot = self._ref(ticket_id).get(**self._calls)
        return Ticket.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def by_number(self, number: str) -> Ticket | None:
        """The ticket with this number ("INC-000012"), or None (a single-field index)."""
        query = self._db.collection(TICKETS).where(filter=FieldFilter("number", "==", number))
        for snapshot in query.limit(1).stream(**self._calls):
            return Ticket.model_validate(snapshot.to_dict())
        return None

    def duplicates_of(self, ticket_id: str, limit: int = 20) -> list[Ticket]:
        """The tickets cancelled as duplicates of this one (a single-field index)."""
        field = FieldFilter("duplicate_of.id", "==", ticket_id)
        query = self._db.collection(TICKETS).where(filter=field).limit(limit)
        return [Ticket.model_validate(doc.to_dict()) for doc in query.stream(**self._calls)]

    def events(self, ticket_id: str) -> list[TicketEvent]:
        # index: ticket_events(ticket_id ASC, seq ASC)
        query = (
            self._db.collection(EVENTS)
            .where(filter=FieldFilter("ticket_id", "==", ticket_id))
            .order_by("seq")
        )
        return [TicketEvent.model_validate(doc.to_dict()) for doc in query.stream(**self._calls)]

    def latest_events(
        self, ticket_id: str, limit: int, before: int | None = None
    ) -> tuple[list[TicketEvent], bool]:
        """At most `limit` events before sequence number `before` (the newest when None), in
        order, and whether older ones exist: a page reads a bounded part of a long history."""
        # index: ticket_events(ticket_id ASC, seq DESC)
        query = self._db.collection(EVENTS).where(filter=FieldFilter("ticket_id", "==", ticket_id))
        if before is not None:
            query = query.where(filter=FieldFilter("seq", "<", before))
        newest = query.order_by("seq", direction="DESCENDING").limit(limit + 1)
        docs = list(newest.stream(**self._calls))
        found = [TicketEvent.model_validate(doc.to_dict()) for doc in docs[:limit]]
        return found[::-1], len(docs) > limit

    def prepare(self) -> None:
        """A ticket is about to be created: a new instance starts learning the counter."""
        self._numbers.prefetch()

    def create(self, ticket: Ticket, events: list[TicketEvent]) -> tuple[Ticket, bool]:
        # One round trip when this instance knows the counter as it stands (it drew the last
        # number, or read the counter while the submission was checked: see `numbers`), two
        # otherwise; a re-sent submission is recognised by the create-only precondition.
        if self._rollup is None:
            raise RuntimeError("FirestoreTickets needs the report rollup to create tickets")
        claim = self._numbers.guess()
        if claim is not None:
            try:
                return self._store(ticket, events, claim.number, claim)
            except google_errors.FailedPrecondition:
                self._numbers.moved()  # another instance drew a number meanwhile
            except _Claimed:
                pass  # this submission has a number already (being stored, or kept)
        # A submission sent again finds its ticket, or the number drawn for it, before drawing.
        existing = self.get(ticket.id)
        if existing is not None:
            return existing, False
        found = self._number_for(ticket.id)
        if isinstance(found, Ticket):
            return found, False
        try:
            return self._store(ticket, events, found, None)
        except (google_errors.GoogleAPICallError, google_errors.RetryError):
            self._numbers.keep(ticket.id, found)
            raise

    def _number_for(self, ticket_id: str) -> int | Ticket:
        """A number for this ticket: drawn, or the one kept from an earlier attempt; or the
        ticket itself when another instance stored it meanwhile."""
        try:
            return self._numbers.draw(self._db, ticket_id)
        except (google_errors.AlreadyExists, google_errors.Conflict):
            pass  # the same submission is being stored, or was attempted before
        waited = time.monotonic() + IN_FLIGHT_WAIT
        while True:
            existing = self.get(ticket_id)
            if existing is not None:
                return existing
            number, version, stale = self._numbers.claimed(ticket_id)
            if number is not None:
                return number
            if stale:
                try:
                    return self._numbers.draw(self._db, ticket_id, taking_over=version)
                except (google_errors.FailedPrecondition, google_errors.NotFound):
                    continue  # taken over by another instance meanwhile
            if time.monotonic() > waited:
                raise RetryLater("the same submission is being stored right now; send it again")
            time.sleep(0.2)

    def _store(
        self, ticket: Ticket, events: list[TicketEvent], number: int, claim: Claim | None
    ) -> tuple[Ticket, bool]:
        assert self._rollup is not None
        stored = ticket.model_copy(update={"number": f"{ticket.type.number_prefix}-{number:06d}"})
        share = self._rollup.share(stored)
        stored = stored.model_copy(
            update={"report_share": share.to_doc(), "work": work_keys(stored, share.dims)}
        )
        batch = self._db.batch()
        if claim is not None:
            self._numbers.add_claim(batch, claim)
            self._numbers.add_ticket_claim(batch, ticket.id, number)
        add_rollup_writes(batch, self._db, None, share)
        add_open_writes(batch, self._db, None, place_of(stored), shard_of(ticket.id))
        add_create(batch, self._ref(ticket.id), stored.model_dump(mode="python"))
        for event in events:
            add_create(
                batch,
                self._db.collection(EVENTS).document(event_doc_id(ticket.id, event)),
                {**event.model_dump(mode="python"), "ticket_id": ticket.id},
            )
        try:
            results = batch.commit(**self._creates)
        except (google_errors.AlreadyExists, google_errors.Conflict):
            existing = self.get(ticket.id)
            if existing is None:  # the claim exists: a number was drawn or kept for it
                raise _Claimed() from None
            return existing, False
        if claim is not None:
            self._numbers.committed(claim, results[0])
        return stored, True

    def apply(
        self, ticket_id: str, decide: Callable[[Ticket], Change | None], now: datetime
    ) -> tuple[Ticket | None, Change | None]:
        """`apply_change` with this repository's rollup."""
        if self._rollup is None:
            raise RuntimeError("FirestoreTickets needs the report rollup to change tickets")
        return apply_change(self._db, ticket_id, decide, now, self._rollup, calls=self._calls)


def apply_change(
    db: firestore.Client,
    ticket_id: str,
    decide: Callable[[Ticket], Change | None],
    now: datetime,
    rollup: Rollup,
    attempts: int = 8,
    calls: dict[str, Any] | None = None,
) -> tuple[Ticket | None, Change | None]:
    """Read the ticket, let `decide` choose a change, write it and its events atomically.

    The write carries a precondition on the ticket's update time, so two concurrent changes
    (or a timer delivered twice) never both apply: the loser reads again and decides again,
    usually that nothing is left to do. Event ids follow the ticket's event count. The
    ticket's share of the report's rollups moves in the same batch.
    """
    ref = db.collection(TICKETS).document(ticket_id)
    calls = calls or {}
    for attempt in range(attempts):
        snapshot = ref.get(**calls)
        if not snapshot.exists:
            return None, None
        ticket = Ticket.model_validate(snapshot.to_dict())
        change = decide(ticket)
        if change is None:
            return ticket, None
        batch = db.batch()
        seq = ticket.event_count
        for event_type, actor, data in change.events:
            seq += 1
            event = TicketEvent(seq=seq, type=event_type, at=now, actor=actor, data=data)
            batch.create(
                db.collection(EVENTS).document(event_doc_id(ticket_id, event)),
                {**event.model_dump(mode="python"), "ticket_id": ticket_id},
            )
        updates = {**change.updates, "event_count": seq, "updated_at": now}
        old_share = Share.from_doc(ticket.report_share)
        after = changed(ticket, updates)
        new_share = rollup.share(after)
        if new_share != old_share:
            # this change's own shard: a ticket's changes spread over the shards too
            add_rollup_writes(batch, db, old_share, new_share, shard_of(f"{ticket_id}:{seq}"))
            updates["report_share"] = new_share.to_doc()
        # the open tickets now, by status and department (the console's)
        shard = shard_of(f"{ticket_id}:{seq}")
        add_open_writes(batch, db, place_of(ticket), place_of(after), shard)
        work = work_keys(after, new_share.dims)  # its place in its people's lists
        if work != ticket.work:
            updates["work"] = work
        batch.update(ref, updates, option=db.write_option(last_update_time=snapshot.update_time))
        try:
            batch.commit(**calls)
        except (
            google_errors.FailedPrecondition,
            google_errors.AlreadyExists,
            google_errors.Conflict,
            google_errors.Aborted,
        ):
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not a secret
            continue
        return ticket, change
    raise TicketChanged(ticket_id)


def event_doc_id(ticket_id: str, event: TicketEvent) -> str:
    """Events live in one top-level collection (the notification trigger's path)."""
    return f"{ticket_id}-{event.id}"
