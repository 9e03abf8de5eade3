"""The Gmail API transport, against Gmail's real discovery document with googleapiclient's mocks."""

from __future__ import annotations

import base64
import email
import email.policy
import json
from datetime import UTC, datetime

import pytest
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

from shared.mail import Attachment, OutgoingMail, PermanentMailError, TransientMailError
from shared.mail.gmail import GmailMailer


class RecordingHttp(HttpMockSequence):
    """googleapiclient's HttpMockSequence, keeping each request it answered."""

    def __init__(self, responses):
        super().__init__(responses)
        self.requests = []

    def request(self, uri, method="GET", body=None, headers=None, **kwargs):
        self.requests.append({"uri": uri, "method": method, "body": body, "headers": headers})
        return super().request(uri, method, body, headers, **kwargs)


def gmail(responses) -> tuple[GmailMailer, RecordingHttp]:
    http = RecordingHttp(responses)
    service = build("gmail", "v1", http=http, static_discovery=True)  # the bundled document
    return GmailMailer(service), http


MAIL = OutgoingMail(
    sender="central@metalvale.com.br",
    sender_name="Central de Atendimento",
    to="lucas.oliveira@metalvale.com.br",
    to_name="Lucas Oliveira",
    subject="[INC-000001] Recebemos o seu chamado: Prensa travada",
    text="Olá, Lucas",
    html='<p>Olá, Lucas</p><img src="cid:evidence-0@helpdesk">',
    message_id="<abc123@metalvale.com.br>",
    thread_id="<ticket-t1@metalvale.com.br>",
    sent_at=datetime(2026, 11, 30, 13, 0, tzinfo=UTC),
    attachments=(
        Attachment("painel.jpg", "image/jpeg", b"\xff\xd8\xff\xe0fakejpeg", "evidence-0@helpdesk"),
        Attachment("laudo.pdf", "application/pdf", b"%PDF-1.7 fake"),
    ),
)


def test_send_posts_a_base64url_mime_message_with_all_its_parts():
    mailer, http = gmail([({"status": "200"}, json.dumps({"id": "18c0ffee", "threadId": "t"}))])
    assert mailer.send(MAIL) == "18c0ffee"
    (request,) = http.requests
    assert request["method"] == "POST"
    assert request["uri"].startswith("https://gmail.googleapis.com/gmail/v1/users/me/messages/send")
    raw = json.loads(request["body"])["raw"]
    assert "+" not in raw  # base64url, not plain base64
    assert "/" not in raw
    message = email.message_from_bytes(base64.urlsafe_b64decode(raw), policy=email.policy.default)
    assert message["Subject"] == MAIL.subject
    assert message["Message-ID"] == MAIL.message_id
    assert message["To"].addresses[0].addr_spec == MAIL.to
    assert message.get_body(("plain",)).get_content().strip() == "Olá, Lucas"
    assert "cid:evidence-0@helpdesk" in message.get_body(("html",)).get_content()
    parts = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert parts["painel.jpg"]["Content-ID"] == "<evidence-0@helpdesk>"
    assert parts["painel.jpg"].get_content() == b"\xff\xd8\xff\xe0fakejpeg"
    assert parts["laudo.pdf"].get_content_type() == "application/pdf"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("429", TransientMailError),
        ("503", TransientMailError),
        ("400", PermanentMailError),
        ("403", PermanentMailError),
    ],
)
def test_errors_are_told_apart(status, error):
    body = json.dumps({"error": {"code": int(status), "message": "x"}})
    mailer, _ = gmail([({"status": status}, body)] * 3)
    with pytest.raises(error):
        mailer.send(MAIL)


def test_already_sent_searches_the_mailbox_for_the_message_id():
    mailer, http = gmail(
        [
            ({"status": "200"}, json.dumps({"messages": [{"id": "1", "threadId": "t"}]})),
            ({"status": "200"}, json.dumps({"resultSizeEstimate": 0})),
        ]
    )
    assert mailer.already_sent(MAIL) is True
    assert mailer.already_sent(MAIL) is False
    assert "rfc822msgid%3Aabc123%40metalvale.com.br" in http.requests[0]["uri"]
