"""Firestore goes away in the middle of a burst of submissions, then comes back.

Intake runs as a real server whose Firestore connection goes through a TCP proxy this test
can cut (the workers share one emulator, which cannot be stopped under them). While it is
cut, intake answers 503 with Retry-After, never 500; the senders retry those; in the end
every submission is exactly one complete ticket (the ticket and its first events), with
no event left without its ticket.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time

import pytest
import requests
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.intake.auth import sign
from tests.integration.conftest import FORMS_SECRET, incident
from tools.dev import function_command
from tools.stack import ROOT, free_port, start_server


class CuttableProxy:
    """Forwards TCP to the emulator until cut; while cut, drops every connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.cut = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.cut.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.cut.is_set():
                    break
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.close()

    def down(self) -> None:
        self.cut.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for end in sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
                end.close()
            except OSError:
                pass

    def up(self) -> None:
        self.cut.clear()

    def close(self) -> None:
        self.down()
        self._server.close()


@pytest.fixture
def intake_behind_proxy(function_env, demo_org):
    host, port = os.environ["FIRESTORE_EMULATOR_HOST"].rsplit(":", 1)
    proxy = CuttableProxy((host, int(port)))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HELPDESK_LOG_LEVEL": "WARNING",
        "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{proxy.port}",
        "HELPDESK_FIRESTORE_DEADLINE_SECONDS": "2",
    }
    process, served = start_server(lambda p: function_command("intake", p), env, ROOT)
    yield f"http://127.0.0.1:{served}/", proxy
    process.terminate()
    process.wait(timeout=10)
    proxy.close()


def submit(url: str, index: int) -> requests.Response:
    body = json.dumps(incident(submission_id=f"outage-{index}")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time())),
    }
    return requests.post(url, data=body, headers=headers, timeout=60)


def test_intake_answers_503_while_firestore_is_away_and_loses_nothing(intake_behind_proxy, db):
    url, proxy = intake_behind_proxy
    assert submit(url, 0).status_code == 201  # warm: the directory is cached
    statuses: dict[int, int] = {}

    def sender(index: int) -> None:
        statuses[index] = submit(url, index).status_code

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(1, 31)]
    for number, thread in enumerate(threads):
        thread.start()
        if number == 8:
            proxy.down()
        time.sleep(0.05)
    time.sleep(3)  # longer than intake's deadline: the last ones must give up
    proxy.up()
    for thread in threads:
        thread.join()
    assert set(statuses.values()) <= {201, 503}, statuses  # never a 500
    assert 503 in statuses.values()
    for index, status in statuses.items():  # the senders retry what was refused, later
        deadline = time.monotonic() + 30
        while status == 503 and time.monotonic() < deadline:
            time.sleep(1)  # the answer says Retry-After: 5; the connection recovers sooner
            status = submit(url, index).status_code
        assert status in (200, 201), (index, status)
    tickets = {doc.id: doc.to_dict() for doc in db.collection("tickets").stream()}
    assert len(tickets) == 31
    numbers = [ticket["number"] for ticket in tickets.values()]
    assert len(set(numbers)) == 31
    for ticket_id in tickets:
        events = db.collection("ticket_events").where(
            filter=FieldFilter("ticket_id", "==", ticket_id)
        )
        assert sorted(e.to_dict()["type"] for e in events.stream()) == ["assigned", "created"]
    orphans = [
        doc.id
        for doc in db.collection("ticket_events").stream()
        if doc.to_dict()["ticket_id"] not in tickets
    ]
    assert orphans == []
