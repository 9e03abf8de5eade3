"""Ticket numbers: one counter document, no transactions, usually no extra round trip.

An instance remembers the counter as its own last write left it (the value and the
document's update time). Its next ticket then takes the following number *in the ticket's
own batch*: the batch sets the counter with a precondition on that update time, so it
commits only if nobody drew a number since, and a batch that fails leaves the counter as it
was. When another instance drew meanwhile (the precondition fails) or the instance has just
started, the number is drawn first with an atomic server-side increment: one more round
trip, and a number skipped if the ticket's batch then fails (a submission sent again, a
crash). Either way numbers are unique and follow the order of the commits that drew them.

A new instance learns the counter by reading it (`prefetch`) in the background while its
first submission is being checked, and then claims its first number like the next ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.types import write as write_types

from shared.repositories.encoding import add_merge

PREFETCH_TIMEOUT = 3.0  # seconds; the read is a head start, never a reason to wait longer


@dataclass(frozen=True)
class Claim:
    """A number this instance expects to be next, and the counter version it expects."""

    number: int
    version: Any  # the counter's update time (a protobuf Timestamp), as last written here


class TicketNumbers:
    def __init__(self, counter: firestore.DocumentReference, calls: dict[str, Any]) -> None:
        self._counter = counter
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

    def draw(self, db: firestore.Client) -> int:
        """Take the next number now, with an increment that always succeeds."""
        batch = db.batch()
        add_merge(batch, self._counter, {"last": firestore.Increment(1)})
        (result,) = batch.commit(**self._calls)
        number = int(result.transform_results[0].integer_value)
        self._remember(Claim(number, result._pb.update_time))
        return number

    def add_claim(self, batch: firestore.WriteBatch, claim: Claim) -> None:
        """Make `batch` set the counter to the claimed number, if it has not moved."""
        write = write_types.Write.pb()()
        write.update.name = self._counter._document_path
        write.update.fields["last"].integer_value = claim.number
        write.update_mask.field_paths.append("last")
        write.current_document.update_time.CopyFrom(claim.version)
        batch._add_write_pbs([write_types.Write.wrap(write)])

    def claimed(self, claim: Claim, result: Any) -> None:
        """The batch with the claim committed: `result` is the counter's write result."""
        self._remember(Claim(claim.number, result._pb.update_time))

    def moved(self) -> None:
        with self._lock:
            self._last = None

    def _remember(self, claim: Claim) -> None:
        with self._lock:
            if self._last is None or claim.number > self._last.number:
                self._last = claim
