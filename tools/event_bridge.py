"""The local stand-in for Eventarc: Firestore emulator document creations as CloudEvents.

Listens to `ticket_events` in the emulator (on_snapshot) and posts each new document to the
local notification function as Eventarc would: a binary-mode CloudEvent whose data is the
protobuf DocumentEventData. A failed delivery is retried with backoff, as Eventarc does.

    python -m tools.event_bridge http://127.0.0.1:8703/ http://127.0.0.1:8705/
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from datetime import UTC, datetime

import requests
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from google.cloud import firestore

from shared.events.firestore_event import encode_document, event_attributes
from shared.repositories.firestore import EVENTS

RETRY_DELAYS = (0.2, 0.5, 1, 2, 5, 10, 30)


def to_cloud_event(project: str, path: str, fields: dict, created: datetime) -> CloudEvent:
    return CloudEvent(
        event_attributes(project, path), encode_document(project, path, fields, created)
    )


class Bridge:
    """One listener, one delivery queue per subscriber (as each Eventarc trigger has its own)."""

    def __init__(self, db: firestore.Client, targets: list[str]) -> None:
        self.db, self.targets = db, targets
        self._started = False
        self._ready = threading.Event()
        self.pending = {target: queue.Queue() for target in targets}

    def start(self) -> None:
        self._watch = self.db.collection(EVENTS).on_snapshot(self._on_snapshot)
        for target in self.targets:
            threading.Thread(target=self._deliver_forever, args=(target,), daemon=True).start()
        # Until the first snapshot arrives, a new document could be taken for an old one.
        if not self._ready.wait(timeout=30):
            raise TimeoutError("the Firestore listener did not start")

    def stop(self) -> None:
        """Stop listening (what is already queued is still delivered, or given up)."""
        self._watch.unsubscribe()

    def _on_snapshot(self, _docs, changes, _read_time) -> None:
        # Like Eventarc, deliver what is created from now on, not what was already there.
        if not self._started:
            self._started = True
            self._ready.set()
            return
        for change in changes:
            if change.type.name == "ADDED":
                doc = change.document
                created = doc.create_time or datetime.now(UTC)
                for pending in self.pending.values():
                    pending.put((doc.reference.path, doc.to_dict(), created))

    def _deliver_forever(self, target: str) -> None:
        while True:
            path, fields, created = self.pending[target].get()
            for delay in (*RETRY_DELAYS, None):
                try:
                    if self._post(target, path, fields, created):
                        break
                except requests.RequestException:
                    pass
                if delay is None:
                    print(
                        f"event_bridge: gave up on {path} for {target}", file=sys.stderr, flush=True
                    )
                    break
                time.sleep(delay)

    def _post(self, target: str, path: str, fields: dict, created: datetime) -> bool:
        headers, body = to_binary(to_cloud_event(self.db.project, path, fields, created))
        answer = requests.post(target, data=body, headers=headers, timeout=30)
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
