"""Replies by e-mail become ticket updates: a real notification, a reply written as Gmail,
Outlook or Apple Mail write them, sent by SMTP to the local mailbox, announced as Gmail's watch
announces it, and read by the mailbox function from the CloudEvent Eventarc would deliver."""

from __future__ import annotations

import email
import email.policy
import io
import os
import uuid
from email.message import EmailMessage
from pathlib import Path

import functions_framework
import pytest
from aiosmtpd.controller import Controller
from cloudevents.conversion import to_binary
from google.cloud import storage
from PIL import Image

from shared.bootstrap import mailbox_services, notification_services
from shared.domain.ticket import Status
from shared.mail.local_mailbox import LocalMailbox
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    make_client,
    post_ticket,
)
from tests.integration.test_pages_actions import act, path_for
from tests.unit.media.test_images import photo
from tools.dev_mailbox import InboundSmtp
from tools.pubsub import to_cloud_event
from tools.reply import build_reply, send
from tools.sample_video import clip
from tools.stack import ROOT, free_port

MAILBOX = "central@metalvale.com.br"
HEAD = "ricardo.almeida@metalvale.com.br"


class LocalMail:
    """The help desk's mailbox on this machine: the inbound SMTP server of `make dev`, the
    notifications it publishes, and the mailbox function they are handed to."""

    def __init__(self, root: Path, db, notifications, smtp_inbox) -> None:
        self.box = LocalMailbox(root, MAILBOX)
        self.published: list[dict] = []
        self.db, self.notifications, self.inbox = db, notifications, smtp_inbox
        self.port = free_port()
        handler = InboundSmtp(self.box, self.published.append, {"metalvale.com.br"})
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)
        self.function = make_client("mailbox")
        self.delivered: set[str] = set()

    def reply(self, original, text: str, files=(), client="gmail", sender=None) -> None:
        send(build_reply(original, text, list(files), client, sender), "127.0.0.1", self.port)

    def announce(self, notification: dict | None = None):
        """Hand the newest Pub/Sub message (or `notification`) to the function, as Eventarc."""
        pushed = notification or self.push_body(self.published[-1])
        headers, body = to_binary(to_cloud_event(self.db.project, "helpdesk-mailbox", pushed))
        answer = self.function.post("/", headers=headers, data=body)
        assert answer.status_code == 200, answer.data
        return answer

    @staticmethod
    def push_body(payload: dict) -> dict:
        import base64
        import json

        data = base64.b64encode(json.dumps(payload).encode()).decode()
        return {"message": {"data": data, "messageId": uuid.uuid4().hex}, "subscription": "s"}

    def mail_new_events(self, ticket_id: str) -> None:
        """The notifications function, for every event not delivered yet (Eventarc)."""
        for path in event_paths(self.db, ticket_id):
            if path not in self.delivered:
                deliver_event(self.notifications, self.db, path)
                self.delivered.add(path)

    def last_to(self, address: str):
        return self.inbox.to(address)[-1]


@pytest.fixture
def local_mail(notifications_env, demo_org, db, tmp_path, monkeypatch):
    monkeypatch.setenv("HELPDESK_MAILBOX", MAILBOX)
    monkeypatch.setenv("HELPDESK_LOCAL_MAILBOX_DIR", str(tmp_path / "mailbox"))
    notification_services.cache_clear()
    mailbox_services.cache_clear()
    mail = LocalMail(tmp_path / "mailbox", db, make_client("notifications"), notifications_env)
    mail.controller.start()
    mailbox_services().cursor.advance("0")  # the watch was set up before any mail
    yield mail
    mail.controller.stop()
    mailbox_services.cache_clear()
    notification_services.cache_clear()


@pytest.fixture
def opened(local_mail, intake):
    ticket = post_ticket(intake, incident(submission_id=f"mail-{uuid.uuid4().hex}")).json
    local_mail.mail_new_events(ticket["id"])
    return ticket


def tickets(db, ticket_id: str):
    from shared.repositories.tickets import FirestoreTickets

    return FirestoreTickets(db, None).get(ticket_id)  # type: ignore[arg-type]


def events(db, ticket_id: str) -> list[dict]:
    found = [db.document(path).get().to_dict() for path in event_paths(db, ticket_id)]
    return sorted(found, key=lambda e: e["at"])


def test_the_responsible_answers_by_mail_with_a_video_and_the_requester_with_a_photo(
    local_mail, opened, db
):
    assigned = local_mail.last_to(RESPONSIBLE)
    assert "central+" in str(assigned["Reply-To"])
    assert "Responda acima desta linha" in assigned.get_body(("plain",)).get_content()

    # the responsible, from Outlook on the web (HTML only), with the video of the noise
    local_mail.reply(
        assigned, "Vou trocar o sensor.\nSegue o vídeo.", [("ruido.mp4", clip())], "outlook"
    )
    local_mail.announce()
    ticket = tickets(db, opened["id"])
    assert ticket.responded_at is not None  # the first response, as the SLA counts it
    assert ticket.last_response.text == "Vou trocar o sensor.\nSegue o vídeo."
    (video,) = ticket.last_response.evidence
    assert video.content_type == "video/mp4"
    assert video.thumbnail_object
    assert video.duration_seconds == pytest.approx(2, abs=0.2)

    before = len(local_mail.inbox.to(REQUESTER))
    local_mail.mail_new_events(opened["id"])
    told = local_mail.inbox.to(REQUESTER)[before:]
    assert len(told) == 1  # the requester is told once

    # the requester, from Gmail (text and HTML, the history quoted), with a photo that
    # carries its location
    local_mail.reply(
        told[0], "A máquina parou de novo.", [("painel.jpg", photo("JPEG", exif_gps=True))]
    )
    local_mail.announce()
    added = [e for e in events(db, opened["id"]) if e["type"] == "information_added"]
    assert len(added) == 1
    assert added[0]["data"]["text"] == "A máquina parou de novo."
    (image,) = added[0]["data"]["evidence"]
    assert image["thumbnail_object"]
    stored = (
        storage.Client(project=db.project)
        .bucket(os.environ["HELPDESK_EVIDENCE_BUCKET"])
        .blob(image["object_name"])
        .download_as_bytes()
    )
    with Image.open(io.BytesIO(stored)) as picture:
        assert 0x8825 not in picture.getexif()  # no GPS any more

    before = len(local_mail.inbox.to(RESPONSIBLE))
    local_mail.mail_new_events(opened["id"])
    assert len(local_mail.inbox.to(RESPONSIBLE)) == before + 1


def test_a_reply_from_the_requester_ends_a_wait_on_them(local_mail, opened, db, pages):
    responsible = path_for(opened["id"], RESPONSIBLE, "responsible")
    assert act(pages, responsible, "acknowledge").status_code == 303
    assert act(pages, responsible, "wait", text="Qual o número de série?").status_code == 303
    assert tickets(db, opened["id"]).status == Status.WAITING_ON_REQUESTER
    local_mail.mail_new_events(opened["id"])
    asked = local_mail.last_to(REQUESTER)
    local_mail.reply(asked, "Número de série 4471-B.", client="apple")
    local_mail.announce()
    ticket = tickets(db, opened["id"])
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.pauses[-1].end is not None
    added = [e for e in events(db, opened["id"]) if e["type"] == "information_added"]
    assert [e["data"]["text"] for e in added] == ["Número de série 4471-B."]


def test_a_redelivered_notification_and_a_replayed_history_apply_the_reply_once(
    local_mail, opened, db
):
    local_mail.reply(local_mail.last_to(REQUESTER), "Mais um detalhe: cheiro de queimado.")
    first = local_mail.push_body(local_mail.published[-1])
    local_mail.announce(first)
    local_mail.announce(first)  # Pub/Sub delivers at least once
    local_mail.db.document("mailbox/state").set({"history_id": "0"})  # the range again
    local_mail.announce(first)
    added = [e for e in events(db, opened["id"]) if e["type"] == "information_added"]
    assert len(added) == 1


def test_a_colleague_answering_someone_elses_message_changes_nothing_and_is_told_why(
    local_mail, opened, db
):
    colleague = "ana.souza@metalvale.com.br"
    before = events(db, opened["id"])
    local_mail.reply(local_mail.last_to(REQUESTER), "Eu também vi.", sender=colleague)
    local_mail.announce()
    assert events(db, opened["id"]) == before
    (answer,) = local_mail.inbox.to(colleague)
    text = answer.get_body(("plain",)).get_content()
    assert "enviado a outra pessoa" in text
    assert "Olá, Ana Souza" in text  # by her name in the directory
    assert answer["In-Reply-To"]
    assert answer["Subject"].count("Re:") == 1
    # her "thank you" to that answer opens no ticket and is not answered
    local_mail.reply(answer, "Entendi, obrigada.")
    local_mail.announce()
    assert tickets_of(db, colleague) == []
    assert len(local_mail.inbox.to(colleague)) == 1


def test_a_guessed_token_changes_nothing_and_gets_no_answer(local_mail, opened, db):
    original = local_mail.last_to(REQUESTER)
    forged = str(original["Reply-To"]).replace("central+", "central+").rsplit("@", 1)
    guessed = forged[0][:-5] + "aaaaa@" + forged[1]
    reply = build_reply(original, "Feche o chamado.")
    reply.replace_header("To", guessed)
    before = (events(db, opened["id"]), len(local_mail.inbox.messages))
    send(reply, "127.0.0.1", local_mail.port)
    local_mail.announce()
    assert (events(db, opened["id"]), len(local_mail.inbox.messages)) == before


def test_auto_replies_and_forged_senders_change_nothing_and_are_never_answered(
    local_mail, opened, db
):
    original = local_mail.last_to(REQUESTER)
    before = (events(db, opened["id"]), len(local_mail.inbox.messages))
    out_of_office = build_reply(original, "Estou de férias até dia 10.")
    out_of_office["Auto-Submitted"] = "auto-replied"
    send(out_of_office, "127.0.0.1", local_mail.port)
    local_mail.announce()
    forged = build_reply(original, "Pode cancelar.")
    forged["Authentication-Results"] = "mx.google.com; dkim=fail; spf=fail; dmarc=fail"
    send(forged, "127.0.0.1", local_mail.port)
    local_mail.announce()
    assert (events(db, opened["id"]), len(local_mail.inbox.messages)) == before


def test_a_bounce_marks_the_delivery_failed_on_the_ticket(local_mail, opened, db):
    original = local_mail.last_to(REQUESTER)
    bounce = email.message_from_bytes(
        (
            "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n"
            f"To: {MAILBOX}\r\nSubject: Delivery Status Notification (Failure)\r\n"
            f"Message-ID: <{uuid.uuid4().hex}@mx.google.com>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain\r\n\r\nAddress not found\r\n"
            "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
            f"Final-Recipient: rfc822; {REQUESTER}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
            "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"From: {MAILBOX}\r\nTo: {REQUESTER}\r\nMessage-ID: {original['Message-ID']}\r\n\r\n"
            "--b--\r\n"
        ).encode(),
        policy=email.policy.default,
    )
    sent = len(local_mail.inbox.messages)
    send(bounce, "127.0.0.1", local_mail.port)
    local_mail.announce()
    failed = [e for e in events(db, opened["id"]) if e["type"] == "delivery_failed"]
    assert [e["data"]["recipient"] for e in failed] == [REQUESTER]
    local_mail.mail_new_events(opened["id"])
    assert len(local_mail.inbox.messages) == sent  # nothing mailed about it, nothing answered


def test_a_reply_to_a_closed_ticket_changes_nothing_and_says_what_to_do(
    local_mail, opened, db, pages
):
    responsible = path_for(opened["id"], RESPONSIBLE, "responsible")
    assert act(pages, responsible, "resolve", text="Sensor trocado.").status_code == 303
    local_mail.mail_new_events(opened["id"])
    resolved = local_mail.last_to(REQUESTER)
    requester = path_for(opened["id"], REQUESTER, "requester")
    assert act(pages, requester, "confirm").status_code == 303
    before = events(db, opened["id"])
    local_mail.reply(resolved, "Obrigado!")
    local_mail.announce()
    assert events(db, opened["id"]) == before
    answer = local_mail.inbox.to(REQUESTER)[-1]
    assert "está encerrado" in answer.get_body(("plain",)).get_content()


# --- new tickets by e-mail ------------------------------------------------------------------


def new_mail(sender: str, to: str, subject: str, text: str, files=()) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@metalvale.com.br>"
    message.set_content(text)
    for filename, data in files:
        message.add_attachment(data, maintype="image", subtype="jpeg", filename=filename)
    return message


def tickets_of(db, requester: str) -> list:
    from google.cloud.firestore_v1.base_query import FieldFilter

    found = db.collection("tickets").where(filter=FieldFilter("requester.email", "==", requester))
    return [doc.to_dict() for doc in found.stream()]


def test_a_known_person_opens_a_ticket_by_mail_and_completes_its_details_on_the_page(
    local_mail, db, pages
):
    requester = "fernanda.gomes@metalvale.com.br"
    message = new_mail(
        f"Fernanda Gomes <{requester}>",
        MAILBOX,
        "ENC: Fwd: Lubrificar a prensa 2",
        "A prensa 2 está rangendo no fim do curso.\n\nFernanda",
        [("prensa.jpg", photo("JPEG"))],
    )
    send(message, "127.0.0.1", local_mail.port)
    local_mail.announce()
    send(message, "127.0.0.1", local_mail.port)  # the same message again: one ticket
    local_mail.announce()
    (found,) = tickets_of(db, requester)
    assert found["title"] == "Lubrificar a prensa 2"
    assert found["description"] == "A prensa 2 está rangendo no fim do curso.\n\nFernanda"
    assert found["policy_id"] == "req-manutencao-preventiva"
    assert found["source"] == "email"
    assert found["pending_fields"] == ["maquina", "servico"]
    opening = [e for e in events(db, found["id"]) if e["type"] in ("created", "assigned")]
    for event in opening:  # the photo reaches the requester's receipt and the responsible
        assert [item["filename"] for item in event["data"]["evidence"]] == ["prensa.jpg"]

    local_mail.mail_new_events(found["id"])
    receipt = local_mail.inbox.to(requester)[0].get_body(("plain",)).get_content()
    assert "Faltam dados para o atendimento: Máquina, Serviço desejado." in receipt

    page = path_for(found["id"], requester, "requester")
    html = pages.get(page).get_data(as_text=True)
    assert "Complete os dados do chamado" in html
    refused = act(
        pages, page, "details", **{"field.maquina": "NAO-EXISTE", "field.servico": "Lubrificar"}
    )
    assert refused.status_code == 400
    assert "NAO-EXISTE" in refused.get_data(as_text=True)  # what they typed stays
    done = act(
        pages, page, "details", **{"field.maquina": "PRENSA-02", "field.servico": "Lubrificar"}
    )
    assert done.status_code == 303
    completed = tickets(db, found["id"])
    assert completed.pending_fields == []
    assert completed.fields == {"maquina": "PRENSA-02", "servico": "Lubrificar"}
    assert completed.asset is not None
    assert completed.asset.tag == "PRENSA-02"
    assert "Complete os dados" not in pages.get(page).get_data(as_text=True)


def test_an_alias_opens_a_ticket_of_its_own_policy(local_mail, db):
    requester = "paulo.ribeiro@metalvale.com.br"
    send(
        new_mail(requester, "ti@metalvale.com.br", "ERP fora do ar", "Não entra."),
        "127.0.0.1",
        local_mail.port,
    )
    local_mail.announce()
    (found,) = tickets_of(db, requester)
    assert found["policy_id"] == "inc-sistema-fora"
    assert found["type"] == "incident"


def test_an_unknown_sender_gets_one_answer_a_message_up_to_three_a_day_and_nothing_is_stored(
    local_mail, db
):
    stranger = "vendas@fornecedor.example.com"
    for index in range(4):
        message = new_mail(stranger, MAILBOX, f"Proposta {index}", "Compre nossos parafusos.")
        send(message, "127.0.0.1", local_mail.port)
        local_mail.announce()
    answers = local_mail.inbox.to(stranger)
    assert len(answers) == 3
    assert "não está cadastrado" in answers[0].get_body(("plain",)).get_content()
    assert tickets_of(db, stranger) == []
    assert list(db.collection("tickets").stream()) == []


def test_the_daily_watch_starts_the_reading_where_the_mailbox_is_now(
    notifications_env, demo_org, db, tmp_path, monkeypatch
):
    from shared.bootstrap import mailbox_watch_services, services

    secret = "timer-secret-for-tests-0123456789"
    monkeypatch.setenv("HELPDESK_MAILBOX", MAILBOX)
    monkeypatch.setenv("HELPDESK_LOCAL_MAILBOX_DIR", str(tmp_path / "box"))
    monkeypatch.setenv("HELPDESK_TIMER_SECRET", secret)
    services.cache_clear()
    mailbox_watch_services.cache_clear()
    box = LocalMailbox(tmp_path / "box", MAILBOX)
    box.deliver(b"From: x@y.z\r\n\r\nbefore the help desk read this mailbox\r\n")
    app = functions_framework.create_app("mailbox_watch", str(ROOT / "functions" / "mailbox.py"))
    client = app.test_client()
    assert client.post("/").status_code == 401  # only Cloud Scheduler, with its token
    answer = client.post("/", headers={"X-Helpdesk-Timer-Secret": secret})
    assert answer.status_code == 200
    assert answer.json == {"history_id": "1"}
    assert db.document("mailbox/state").get().to_dict() == {"history_id": "1"}
    box.deliver(b"From: x@y.z\r\n\r\nafter\r\n")
    again = client.post("/", headers={"X-Helpdesk-Timer-Secret": secret})
    assert again.json == {"history_id": "2"}
    assert db.document("mailbox/state").get().to_dict() == {"history_id": "1"}  # not skipped
    mailbox_watch_services.cache_clear()


def test_the_responsibles_reply_to_a_resolved_ticket_is_a_comment(local_mail, opened, db, pages):
    responsible = path_for(opened["id"], RESPONSIBLE, "responsible")
    assert act(pages, responsible, "resolve", text="Sensor trocado.").status_code == 303
    local_mail.mail_new_events(opened["id"])
    resolved = local_mail.last_to(REQUESTER).get_body(("plain",)).get_content()
    assert "Se o problema continua, responda a este e-mail" in resolved
    local_mail.reply(local_mail.last_to(RESPONSIBLE), "Deixei a peça velha no almoxarifado.")
    local_mail.announce()
    ticket = tickets(db, opened["id"])
    assert ticket.status == Status.RESOLVED  # still awaiting the requester's confirmation
    comments = [e for e in events(db, opened["id"]) if e["type"] == "commented"]
    assert [c["data"]["text"] for c in comments] == ["Deixei a peça velha no almoxarifado."]
