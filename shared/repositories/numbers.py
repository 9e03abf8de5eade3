"""Ticket numbers: one counter document, no transactions, usually no extra round trip.

An instance remembers the counter as its own last write left it (the value and the
document's update time). Its next ticket then takes the following number *in the ticket's
own batch*: the batch sets the counter with a precondition on that update time, so it
commits only if nobody drew a number since, and a batch that fails leaves the counter as it
was. When another instance drew meanwhile (the precondition fails) or the instance has just
started, the number is drawn first with an atomic server-side increment: one more round
trip. Either way numbers are unique and follow the order of the commits that drew them.

A new instance learns the counter by reading it (`prefetch`) in the background while its
first submission is being checked, and then claims its first number like the next ones.

Every number is taken for one ticket, with its claim (`number_claims/{ticket id}`) created in
the same batch: the ticket's own batch when the number is claimed there, the increment's when
it is drawn. That batch fails, taking nothing, when the submission has a claim already: it is
being stored by another instance (the sender sent it again, or a client retried across
instances). When the ticket's own batch then fails (contention past the request's
deadline, an outage), the number is kept on the claim and the re-sent submission takes it.
So a duplicate never burns a number; what still leaves a gap is an instance that stops
between the draw and the ticket's batch, or a claim whose number could not be kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.types import write as write_types

from shared.repositories.encoding import add_create, add_merge

PREFETCH_TIMEOUT = 3.0  # seconds; the read is a head start, never a reason to wait longer
STALE_CLAIM = timedelta(minutes=2)  # a claim without a ticket this old: its instance stopped


@dataclass(frozen=True)
class Claim:
    """A number this instance expects to be next, and the counter version it expects."""

    number: int
    version: Any  # the counter's update time (a protobuf Timestamp), as last written here


class TicketNumbers:
    def __init__(
        self,
        counter: firestore.DocumentReference,
        claims: firestore.CollectionReference,
        calls: dict[str, Any],
    ) -> None:
        self._counter = counter
        self._claims = claims
        self._calls = calls
        self._lock = threading.Lock()
        self._last: Claim | None = None
        self._fetching: threading.Thread | None = None

    def guess(self) -> Claim | None:
        fetching = self._fetching  # a read already on its way beats a new increment
        if fetching is not None:
            fetching.join(PREFETCH_TIMEOUT)
        with self._lock:
            last = self._last
        return Claim(last.number + 1, last.version) if last else None

    def prefetch(self) -> None:
        """Start reading the counter, once, if this instance does not know it yet."""
        with self._lock:
            if self._last is not None or self._fetching is not None:
                return
            self._fetching = threading.Thread(target=self._fetch, daemon=True)
            self._fetching.start()  # under the lock: nobody joins it before it started

    def _fetch(self) -> None:
        try:
            snapshot = self._counter.get(retry=None, timeout=PREFETCH_TIMEOUT)
        except Exception:  # only a head start: the ticket then draws its number
            return
        last = (snapshot.to_dict() or {}).get("last")
        if isinstance(last, int) and not isinstance(last, bool):
            self._remember(Claim(last, snapshot.update_time.timestamp_pb()))

    def draw(self, db: firestore.Client, ticket_id: str, taking_over: Any = None) -> int:
        """Take the next number now for `ticket_id`, creating its claim in the same batch
        (AlreadyExists, and nothing drawn, when the ticket has one; `taking_over` is the update
        time of a stale claim to take over instead)."""
        batch = db.batch()
        add_merge(batch, self._counter, {"last": firestore.Increment(1)})
        claim = self._claims.document(ticket_id)
        if taking_over is None:
            add_create(batch, claim, {"at": datetime.now(UTC)})
        else:
            batch.update(
                claim,
                {"at": datetime.now(UTC)},
                option=db.write_option(last_update_time=taking_over),
            )
        result = batch.commit(**self._calls)[0]
        number = int(result.transform_results[0].integer_value)
        self._remember(Claim(number, result._pb.update_time))
        return number

    def add_ticket_claim(self, batch: firestore.WriteBatch, ticket_id: str, number: int) -> None:
        """The claim of a number taken in the ticket's own batch: the batch fails, taking
        nothing, when the ticket has a claim already (a number drawn or kept for it)."""
        add_create(
            batch, self._claims.document(ticket_id), {"at": datetime.now(UTC), "number": number}
        )

    def claimed(self, ticket_id: str) -> tuple[int | None, Any, bool]:
        """The number kept for `ticket_id` (None while being drawn or stored), its claim's
        update time, and whether the claim is stale (its instance stopped)."""
        snapshot = self._claims.document(ticket_id).get(**self._calls)
        if not snapshot.exists:
            return None, None, True
        number = (snapshot.to_dict() or {}).get("number")
        stale = snapshot.update_time <= datetime.now(UTC) - STALE_CLAIM
        return (number if isinstance(number, int) else None), snapshot.update_time, stale

    def keep(self, ticket_id: str, number: int) -> None:
        """The ticket's batch failed: keep its number for the submission sent again."""
        try:
            self._claims.document(ticket_id).update({"number": number}, timeout=3.0)
        except Exception:  # best effort: the number is then skipped, as README says
            return

    def add_claim(self, batch: firestore.WriteBatch, claim: Claim) -> None:
        """Make `batch` set the counter to the claimed number, if it has not moved."""
        write = write_types.Write.pb()()
        write.update.name = self._counter._document_path
        write.update.fields["last"].integer_value = claim.number
        write.update_mask.field_paths.append("last")
        write.current_document.update_time.CopyFrom(claim.version)
        batch._add_write_pbs([write_types.Write.wrap(write)])

    def committed(self, claim: Claim, result: Any) -> None:
        """The batch with the claim committed: `result` is the counter's write result."""
        self._remember(Claim(claim.number, result._pb.update_time))

    def moved(self) -> None:
        with self._lock:
            self._last = None

    def _remember(self, claim: Claim) -> None:
        with self._lock:
            if self._last is None or claim.number > self._last.number:
                self._last = claim
