"""The local event bridge delivers every new event once, including one whose commit landed after
newer ones, and nothing that was there before it started."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from tools import event_bridge
from tools.event_bridge import Bridge


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[str]] = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.received.append(self.headers["ce-subject"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        return


def event(db, name: str, at: datetime) -> None:
    db.collection("ticket_events").document(name).set(
        {"ticket_id": name.split("-")[0], "seq": 1, "type": "created", "at": at, "actor": "x"}
    )


def test_new_events_are_delivered_once_even_when_committed_late(db, monkeypatch):
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(event_bridge, "SLACK", timedelta(seconds=2))  # forgets within seconds
    monkeypatch.setattr(event_bridge, "SWEEP", 0.5)
    event(db, "old-1", datetime.now(UTC))  # there before the bridge: not delivered
    bridge = Bridge(db, [f"http://127.0.0.1:{server.server_port}/"])
    bridge.start()
    try:
        event(db, "new-1", datetime.now(UTC))
        event(db, "new-2", datetime.now(UTC) + timedelta(seconds=1))
        # a request that started before the newer ones commits now, after them
        event(db, "late-1", datetime.now(UTC) - timedelta(seconds=0.5))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(Recorder.received) < 3:
            time.sleep(0.1)
        # quiet for several sweeps past the window: the newest event is not delivered again
        time.sleep(6)
    finally:
        bridge.stop()
        server.shutdown()
    subjects = sorted(subject.rsplit("/", 1)[-1] for subject in Recorder.received)
    assert subjects == ["late-1", "new-1", "new-2"]
