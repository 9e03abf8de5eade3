"""Notifications end to end: CloudEvents as Eventarc sends them, a real SMTP server, Firestore."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest

from shared.links import LinkSigner
from shared.repositories.firestore import DELIVERIES, TICKETS
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    post_ticket,
)


@pytest.fixture
def opened(intake, db):
    """A critical incident on CNC-01: requester Lucas (pt-BR), responsible Carlos (pt-BR)."""
    ticket = post_ticket(intake, incident()).json
    return ticket, event_paths(db, ticket["id"])


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.mark.parametrize("mode", ["binary", "structured"])
def test_a_new_ticket_mails_the_requester_and_the_responsible(
    notifications, smtp_inbox, db, opened, mode
):
    ticket, paths = opened
    for path in paths:
        assert deliver_event(notifications, db, path, mode).status_code == 200

    (confirmation,) = smtp_inbox.to(REQUESTER)
    (assignment,) = smtp_inbox.to(RESPONSIBLE)
    assert confirmation["Subject"] == (
        f"[{ticket['number']}] Recebemos o seu chamado: CNC-01 parou com alarme de spindle"
    )
    assert assignment["Subject"].startswith(f"[{ticket['number']}] Chamado atribuído a você")
    text = text_of(confirmation)
    for expected in (
        ticket["number"],
        "Incidente",
        "Atribuído",
        "CNC-01 — Centro de usinagem",
        "Produção / Usinagem",
        "Manutenção / Manutenção Mecânica",
        "Prazo de primeira resposta",
        "Tempo decorrido (horário útil): 0 h 00 min",
        "encaminhado a Carlos Mendes",
    ):
        assert expected in text, expected
    assert "Painel dos gestores" not in text  # a requester has no console
    # Carlos heads Manutenção Mecânica: his mail, even as the responsible, links his console
    assert "Painel dos gestores:" in text_of(assignment)
    assert confirmation["References"] == assignment["References"]  # one thread per ticket
    assert confirmation["Message-ID"] != assignment["Message-ID"]
    # The link is signed for this ticket, this person and this role.
    link = next(
        line for line in text.splitlines() if line.startswith("https://pages.example.test/t/")
    )
    signer = LinkSigner(
        os.environ["HELPDESK_LINK_SECRET"], "https://pages.example.test", timedelta(days=14)
    )
    claims = signer.verify(link.rsplit("/", 1)[1])
    assert (claims.ticket_id, claims.email, claims.role) == (ticket["id"], REQUESTER, "requester")
    # Each delivery is recorded on its event.
    created = db.document(paths[0]).get().to_dict()
    (record,) = created["deliveries"].values()
    assert (record["recipient"], record["state"], record["transport"]) == (
        REQUESTER,
        "sent",
        "smtp",
    )


def test_five_redeliveries_send_each_message_once(notifications, smtp_inbox, db, opened):
    _, paths = opened
    for _ in range(5):
        for path in paths:
            assert deliver_event(notifications, db, path).status_code == 200
    assert len(smtp_inbox.to(REQUESTER)) == 1
    assert len(smtp_inbox.to(RESPONSIBLE)) == 1


def test_concurrent_duplicates_send_once_and_lose_nothing(notifications, smtp_inbox, db, opened):
    from tests.integration.conftest import make_client

    _, paths = opened
    statuses: list[int] = []
    barrier = threading.Barrier(6)
    # The apps are built first: CPython 3.11's compiler is not safe for apps built at once.
    clients = [make_client("notifications") for _ in range(6)]

    def deliver(client):
        barrier.wait()
        statuses.append(deliver_event(client, db, paths[0]).status_code)

    threads = [threading.Thread(target=deliver, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Losers of the race ask to be retried (500); the platform would deliver again.
    assert 200 in statuses
    assert set(statuses) <= {200, 500}
    assert deliver_event(notifications, db, paths[0]).status_code == 200
    assert len(smtp_inbox.to(REQUESTER)) == 1


def test_mail_server_down_then_back_loses_and_doubles_nothing(
    notifications, smtp_inbox, db, opened
):
    _, paths = opened
    smtp_inbox.stop()
    for path in paths:
        assert deliver_event(notifications, db, path).status_code == 500  # retried later
    smtp_inbox.start()
    for _ in range(2):
        for path in paths:
            assert deliver_event(notifications, db, path).status_code == 200
    assert len(smtp_inbox.to(REQUESTER)) == 1
    assert len(smtp_inbox.to(RESPONSIBLE)) == 1


def test_a_refused_address_is_recorded_and_not_retried(notifications, smtp_inbox, db, opened):
    _, paths = opened
    smtp_inbox.refuse.add(REQUESTER)
    assert deliver_event(notifications, db, paths[0]).status_code == 200
    record = next(iter(db.document(paths[0]).get().to_dict()["deliveries"].values()))
    assert record["state"] == "failed"
    assert "550" in record["error"]
    smtp_inbox.refuse.clear()
    assert deliver_event(notifications, db, paths[0]).status_code == 200
    assert smtp_inbox.to(REQUESTER) == []
    states = [d.to_dict()["state"] for d in db.collection(DELIVERIES).stream()]
    assert states == ["failed"]


def test_html_is_escaped_in_messages(notifications, smtp_inbox, intake, db):
    hostile = incident(title='<script>alert("x")</script> CNC-01 & <b>bold</b>')
    ticket = post_ticket(intake, hostile).json
    for path in event_paths(db, ticket["id"]):
        deliver_event(notifications, db, path)
    html = html_of(smtp_inbox.to(REQUESTER)[0])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_an_event_of_an_unknown_ticket_is_dropped(notifications, smtp_inbox, db, opened):
    ticket, paths = opened
    db.collection(TICKETS).document(ticket["id"]).delete()
    assert deliver_event(notifications, db, paths[0]).status_code == 200
    assert smtp_inbox.messages == []


def test_a_malformed_event_is_acknowledged_not_retried_for_a_day(notifications, smtp_inbox, db):
    """Eventarc retries whatever fails for 24 hours: a document that is not a ticket event
    (written by hand, say) is logged and acknowledged instead."""
    path = "ticket_events/not-a-ticket-event"
    db.document(path).set({"ticket_id": "x", "type": "no-such-type"})
    assert deliver_event(notifications, db, path).status_code == 200
    assert smtp_inbox.messages == []


# Every kind of line break, separator and control a form or a paste can carry.
BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\t\x00\x07\x1b\x7f\u202e\u2066\ufeff"


def test_titles_and_names_with_any_control_or_separator_reach_the_inbox(
    notifications, smtp_inbox, intake, db
):
    """A line break in a title once stopped every e-mail of the ticket (the Subject header
    refused it) while Eventarc retried for a day; now titles and names are one clean line."""
    guest = "visitante@fornecedor.com.br"
    ticket = post_ticket(
        intake,
        {
            "submission_id": "breaks-1",
            "source": "google-forms",
            "type": "request",
            "policy": "req-ti-acesso",
            "title": f"Acesso{BREAKS}ao ERP",
            "description": f"Linha 1{BREAKS}Linha 2",
            "requester": {"email": guest, "name": f"Ana{BREAKS}Paula"},
            "fields": {
                "tipo": "acesso",
                "aprovador": "bruno.costa@metalvale.com.br",
                "justificativa": f"Fechamento{BREAKS}do mês",
            },
        },
    ).json
    for path in event_paths(db, ticket["id"]):
        assert deliver_event(notifications, db, path).status_code == 200
    (confirmation,) = smtp_inbox.to(guest)
    assert len(smtp_inbox.messages) == 2  # the responsible's too
    assert confirmation["Subject"] == f"[{ticket['number']}] Recebemos o seu chamado: Acesso ao ERP"
    assert confirmation["To"] == f"Ana Paula <{guest}>"
    stored = db.collection(TICKETS).document(ticket["id"]).get().to_dict()
    assert stored["title"] == "Acesso ao ERP"
    assert stored["requester"]["name"] == "Ana Paula"
    assert "\u202e" not in stored["description"]
    assert stored["description"].startswith("Linha 1\n")


def test_a_message_that_cannot_be_built_is_recorded_as_failed_not_retried(
    notifications, smtp_inbox, db, opened, monkeypatch
):
    """Whatever text a message is built from, building it never throws the event back to
    Eventarc for a day: it is recorded as failed for that recipient, where it can be seen."""
    from shared.bootstrap import notification_services

    _, paths = opened
    composer = notification_services().composer

    def broken(*args, **kwargs):
        raise ValueError("a text the composer cannot handle")

    monkeypatch.setattr(composer, "compose", broken)
    assert deliver_event(notifications, db, paths[0]).status_code == 200
    record = next(iter(db.document(paths[0]).get().to_dict()["deliveries"].values()))
    assert record["state"] == "failed"
    assert "could not be built" in record["error"]
    monkeypatch.undo()
    assert deliver_event(notifications, db, paths[0]).status_code == 200
    assert smtp_inbox.messages == []  # recorded as failed: not sent again


def test_no_address_reaches_the_logs(notifications, smtp_inbox, db, opened, caplog):
    """Mail sent, refused (550) and deferred (451): each logged by a stable pseudonym of the
    person, never their address (LGPD: logs keep no personal data)."""
    from shared.log import JsonFormatter, pseudonym

    _, paths = opened
    smtp_inbox.refuse.add(REQUESTER)
    deliver_event(notifications, db, paths[0])  # refused: recorded as failed
    smtp_inbox.stop()
    assert deliver_event(notifications, db, paths[1]).status_code == 500  # deferred
    smtp_inbox.start()
    assert deliver_event(notifications, db, paths[1]).status_code == 200  # sent
    lines = [JsonFormatter().format(record) for record in caplog.records]  # as Cloud Logging
    assert len(lines) >= 3
    logged = "\n".join(lines)
    assert "@" not in logged
    assert pseudonym(RESPONSIBLE) in logged  # the same person, traceable across lines
