"""The Gmail transport down, flaky and back, through the notification pipeline.

Gmail cannot be reached from here, so a small stand-in of the Gmail API (users.messages.send
and users.messages.list with an rfc822msgid: query, as the real API answers them) serves the
real googleapiclient client built from Gmail's bundled discovery document.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httplib2
import pytest
from googleapiclient.discovery import build

from shared.mail.gmail import GmailMailer
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    make_client,
    post_ticket,
)


class GmailStandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.sent: list[email.message.EmailMessage] = []
        self.down = False  # every call answers 503
        self.lose_answers = 0  # the next sends are accepted, but answer 500
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def to(self, address: str) -> list:
        return [m for m in self.sent if address in m["To"]]


class _Handler(BaseHTTPRequestHandler):
    server: GmailStandIn

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        stand_in = self.server
        if stand_in.down:
            return self._answer(503, {"error": {"code": 503, "message": "backend error"}})
        if not urlparse(self.path).path.endswith("/users/me/messages/send"):
            return self._answer(404, {"error": {"code": 404, "message": "not found"}})
        raw = base64.urlsafe_b64decode(body["raw"])
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with stand_in.lock:
            stand_in.sent.append(message)
            lost = stand_in.lose_answers > 0
            stand_in.lose_answers -= 1 if lost else 0
        if lost:  # sent, but the answer says otherwise
            return self._answer(500, {"error": {"code": 500, "message": "internal error"}})
        return self._answer(200, {"id": f"m{len(stand_in.sent)}", "threadId": "t"})

    def do_GET(self) -> None:
        stand_in = self.server
        if stand_in.down:
            return self._answer(503, {"error": {"code": 503, "message": "backend error"}})
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        wanted = query.removeprefix("rfc822msgid:")
        with stand_in.lock:
            found = [m for m in stand_in.sent if m["Message-ID"].strip("<>") == wanted]
        self._answer(200, {"messages": [{"id": "x", "threadId": "t"}]} if found else {})


@pytest.fixture
def gmail(notifications_env, monkeypatch):
    stand_in = GmailStandIn()
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    service = build(
        "gmail",
        "v1",
        http=httplib2.Http(timeout=10),
        static_discovery=True,
        client_options={"api_endpoint": stand_in.url},
    )
    monkeypatch.setattr("shared.mail.factory.build_mailer", lambda settings: GmailMailer(service))
    yield stand_in
    stand_in.shutdown()


@pytest.fixture
def notifications(gmail, demo_org):
    return make_client("notifications")


def test_gmail_down_then_back_loses_and_doubles_nothing(notifications, gmail, intake, db):
    ticket = post_ticket(intake, incident()).json
    paths = event_paths(db, ticket["id"])
    gmail.down = True
    for path in paths:
        assert deliver_event(notifications, db, path).status_code == 500  # retried later
    gmail.down = False
    for _ in range(2):
        for path in paths:
            assert deliver_event(notifications, db, path).status_code == 200
    assert len(gmail.to(REQUESTER)) == 1
    assert len(gmail.to(RESPONSIBLE)) == 1


def test_a_message_gmail_took_but_did_not_confirm_is_not_sent_again(
    notifications, gmail, intake, db
):
    ticket = post_ticket(intake, incident()).json
    paths = event_paths(db, ticket["id"])
    gmail.lose_answers = 100  # every send is taken, every answer lost
    for path in paths:
        assert deliver_event(notifications, db, path).status_code == 500
    gmail.lose_answers = 0
    for _ in range(2):
        for path in paths:
            assert deliver_event(notifications, db, path).status_code == 200
    assert len(gmail.to(REQUESTER)) == 1
    assert len(gmail.to(RESPONSIBLE)) == 1
