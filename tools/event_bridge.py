"""The local stand-in for Eventarc: Firestore emulator document creations as CloudEvents.

Reads the new documents of `ticket_events` in the emulator and posts each to the local
notification and scheduler functions as Eventarc would: a binary-mode CloudEvent whose data is
the protobuf DocumentEventData, a few at once per subscriber, a failed delivery retried with
backoff.

It polls instead of listening: a listener on the collection (or on its last minutes) took a
core of this machine and the emulator's CPU during a burst, and fell minutes behind. Every
`POLL` seconds it reads the events whose `at` is at or after the newest it has seen (few), and
every `SWEEP` seconds the names of the last `SLACK` of events, to catch a commit that landed
after newer ones (an event's `at` is its request's start; the commit may come seconds later).
What it reads grows with the events of the last minute, never with the collection. Each event
is delivered once (by path).

    python -m tools.event_bridge http://127.0.0.1:8703/ http://127.0.0.1:8705/
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import requests
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.events.firestore_event import encode_document, event_attributes
from shared.repositories.firestore import EVENTS

RETRY_DELAYS = (0.2, 0.5, 1, 2, 5, 10, 30)


def to_cloud_event(project: str, path: str, fields: dict, created: datetime) -> CloudEvent:
    return CloudEvent(
        event_attributes(project, path), encode_document(project, path, fields, created)
    )


POLL = 0.1  # seconds between two reads of the newest events
SWEEP = 3.0  # seconds between two reads of the last SLACK's names
SLACK = timedelta(seconds=60)  # an event's `at` precedes its commit by at most this much
WORKERS = 4  # deliveries at once per subscriber


class Bridge:
    """One poller, one delivery queue per subscriber (as each Eventarc trigger has its own)."""

    def __init__(self, db: firestore.Client, targets: list[str]) -> None:
        self.db, self.targets = db, targets
        self.pending = {target: queue.Queue() for target in targets}
        self._seen: dict[str, datetime] = {}  # path -> its `at`, for the last SLACK
        self._stopped = threading.Event()

    def start(self) -> None:
        # Like Eventarc, deliver what is created from now on, not what was already there.
        self._cursor = datetime.now(UTC)
        for snapshot in self._recent_names():
            self._seen[snapshot.reference.path] = self._cursor
        for target in self.targets:
            for _ in range(WORKERS):
                threading.Thread(target=self._deliver_forever, args=(target,), daemon=True).start()
        threading.Thread(target=self._poll_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop reading (what is already queued is still delivered, or given up)."""
        self._stopped.set()

    def _poll_forever(self) -> None:
        swept = time.monotonic()
        while not self._stopped.wait(POLL):
            try:
                self._poll()
                if time.monotonic() - swept >= SWEEP:
                    swept = time.monotonic()
                    self._sweep()
            except Exception as error:  # the emulator restarting: read again next time
                print(f"event_bridge: could not read events: {error}", file=sys.stderr)

    def _poll(self) -> None:
        # index: single-field on `at` only (automatic), no composite index
        query = (
            self.db.collection(EVENTS)
            .where(filter=FieldFilter("at", ">=", self._cursor))
            .order_by("at")
            .limit(500)
        )
        for snapshot in query.stream():
            fields = snapshot.to_dict() or {}
            self._cursor = max(self._cursor, fields.get("at") or self._cursor)
            self._deliver(snapshot, fields)

    def _recent_names(self):
        since = datetime.now(UTC) - SLACK
        # index: single-field on `at` only (automatic), no composite index
        query = self.db.collection(EVENTS).where(filter=FieldFilter("at", ">=", since))
        return query.select([]).stream()

    def _sweep(self) -> None:
        missed = [s.reference for s in self._recent_names() if s.reference.path not in self._seen]
        for snapshot in self.db.get_all(missed) if missed else ():
            if snapshot.exists:
                self._deliver(snapshot, snapshot.to_dict() or {})
        # Forget what no read can return again: older than the sweep's window, and older than
        # the poll's cursor (the newest event stays known however long nothing follows it).
        oldest = min(datetime.now(UTC) - 2 * SLACK, self._cursor)
        for path, at in list(self._seen.items()):
            if at < oldest:
                del self._seen[path]

    def _deliver(self, snapshot, fields: dict) -> None:
        path = snapshot.reference.path
        if path in self._seen:
            return
        self._seen[path] = fields.get("at") or datetime.now(UTC)
        created = snapshot.create_time or datetime.now(UTC)
        for pending in self.pending.values():
            pending.put((path, fields, created))

    def _deliver_forever(self, target: str) -> None:
        session = requests.Session()
        while True:
            path, fields, created = self.pending[target].get()
            for delay in (*RETRY_DELAYS, None):
                try:
                    if self._post(session, target, path, fields, created):
                        break
                except requests.RequestException:
                    pass
                if delay is None:
                    print(
                        f"event_bridge: gave up on {path} for {target}", file=sys.stderr, flush=True
                    )
                    break
                time.sleep(delay)

    def _post(
        self, session: requests.Session, target: str, path: str, fields: dict, created: datetime
    ) -> bool:
        headers, body = to_binary(to_cloud_event(self.db.project, path, fields, created))
        answer = session.post(target, data=body, headers=headers, timeout=30)
        return answer.status_code < 300


def main() -> int:
    targets = sys.argv[1:] or ["http://127.0.0.1:8703/"]
    db = firestore.Client(project=os.environ.get("GOOGLE_CLOUD_PROJECT", "helpdesk-dev"))
    Bridge(db, targets).start()
    print(f"event_bridge: ticket_events -> {', '.join(targets)}", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
