"""The Gmail mailbox adapter against Gmail's real discovery document, with googleapiclient's
HTTP mocks: history, get raw, modify (the processed label) and watch."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest
from googleapiclient.discovery import build

from shared.errors import RetryLater
from shared.mail.gmail_mailbox import PROCESSED_LABEL, GmailMailbox
from shared.mailbox.ports import HistoryGone
from tests.unit.mail.test_gmail import RecordingHttp

TOPIC = "projects/metalvale-helpdesk/topics/helpdesk-mailbox"


def mailbox(responses) -> tuple[GmailMailbox, RecordingHttp]:
    http = RecordingHttp(
        [({"status": str(status)}, json.dumps(body)) for status, body in responses]
    )
    service = build("gmail", "v1", http=http, static_discovery=True)
    return GmailMailbox(service, "central@metalvale.com.br", TOPIC), http


def query(request) -> dict[str, list[str]]:
    return parse_qs(urlparse(request["uri"]).query)


def test_history_lists_the_added_inbox_messages_of_every_page_once_in_order():
    box, http = mailbox(
        [
            (
                200,
                {
                    "history": [
                        {"id": "101", "messagesAdded": [{"message": {"id": "m1"}}]},
                        {"id": "102", "messagesAdded": [{"message": {"id": "m2"}}]},
                    ],
                    "historyId": "105",
                    "nextPageToken": "p2",
                },
            ),
            (
                200,
                {
                    "history": [
                        {
                            "id": "106",
                            "messagesAdded": [{"message": {"id": "m2"}}, {"message": {"id": "m3"}}],
                        }
                    ],
                    "historyId": "107",
                },
            ),
        ]
    )
    assert box.history("100") == (["m1", "m2", "m3"], "107")
    first, second = http.requests
    assert "/users/me/history" in first["uri"]
    assert query(first)["startHistoryId"] == ["100"]
    assert query(first)["historyTypes"] == ["messageAdded"]
    assert query(first)["labelId"] == ["INBOX"]
    assert query(second)["pageToken"] == ["p2"]


def test_a_history_id_gmail_no_longer_keeps_raises_history_gone():
    box, _ = mailbox(
        [(404, {"error": {"code": 404, "message": "Requested entity was not found."}})]
    )
    with pytest.raises(HistoryGone):
        box.history("5")


def test_gmail_busy_is_a_retry_later():
    box, _ = mailbox([(429, {"error": {"code": 429}})] * 3)
    with pytest.raises(RetryLater):
        box.history("5")


def test_raw_fetches_the_message_in_raw_format_and_decodes_it():
    raw = b"From: a@b.c\r\nSubject: oi\r\n\r\ncorpo \xc3\xa9\r\n"
    encoded = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    box, http = mailbox([(200, {"id": "m1", "raw": encoded}), (404, {"error": {"code": 404}})])
    assert box.raw("m1") == raw
    assert query(http.requests[0])["format"] == ["raw"]
    assert box.raw("gone") is None


def test_marking_processed_creates_the_label_once_then_adds_it():
    box, http = mailbox(
        [
            (200, {"labels": [{"id": "INBOX", "name": "INBOX"}]}),
            (200, {"id": "Label_7", "name": PROCESSED_LABEL}),
            (200, {"id": "m1", "labelIds": ["INBOX", "Label_7"]}),
            (200, {"id": "m2", "labelIds": ["INBOX", "Label_7"]}),
        ]
    )
    box.mark_processed("m1")
    box.mark_processed("m2")
    methods = [(r["method"], urlparse(r["uri"]).path) for r in http.requests]
    assert methods == [
        ("GET", "/gmail/v1/users/me/labels"),
        ("POST", "/gmail/v1/users/me/labels"),
        ("POST", "/gmail/v1/users/me/messages/m1/modify"),
        ("POST", "/gmail/v1/users/me/messages/m2/modify"),
    ]
    assert json.loads(http.requests[2]["body"]) == {"addLabelIds": ["Label_7"]}


def test_recent_unprocessed_searches_the_inbox_without_the_label_oldest_first():
    box, http = mailbox([(200, {"messages": [{"id": "m9"}, {"id": "m8"}]})])
    assert box.recent_unprocessed(50) == ["m8", "m9"]
    found = query(http.requests[0])
    assert found["maxResults"] == ["50"]
    assert f'-label:"{PROCESSED_LABEL}"' in found["q"][0]
    assert "in:inbox" in found["q"][0]


def test_watch_publishes_the_inbox_to_the_topic_and_returns_the_history_id():
    box, http = mailbox([(200, {"historyId": "4242", "expiration": "1765000000000"})])
    assert box.watch() == "4242"
    (request,) = http.requests
    assert urlparse(request["uri"]).path == "/gmail/v1/users/me/watch"
    assert json.loads(request["body"]) == {
        "topicName": TOPIC,
        "labelIds": ["INBOX"],
        "labelFilterBehavior": "include",
    }
