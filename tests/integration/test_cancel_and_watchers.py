"""Cancelling a ticket (by mistake, or a duplicate that names its original) and the colleagues
who follow a ticket, through the pages as people use them."""

from __future__ import annotations

import uuid

from shared.bootstrap import services
from shared.timers.payload import TimerPayload
from shared.timers.service import fire
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

HEAD = "sergio.nunes@metalvale.com.br"  # a manager of the organisation
COLLEAGUE = "mariana.rocha@metalvale.com.br"


def _ticket(intake, title="Prensa parou") -> dict:
    payload = incident(submission_id=f"cancel-{uuid.uuid4().hex}", title=title)
    return post_ticket(intake, payload).json


def _mails_of(db, ticket_id: str, kind: str, smtp_inbox) -> list:
    notifications = make_client("notifications")
    smtp_inbox.messages.clear()
    for path in event_paths(db, ticket_id):
        if path.endswith(kind):
            deliver_event(notifications, db, path)
    return list(smtp_inbox.messages)


def test_a_duplicate_is_cancelled_names_its_original_and_the_requester_is_told(
    pages, intake, db, smtp_inbox
):
    original = _ticket(intake, "Prensa 3 parou")
    duplicate = _ticket(intake, "Prensa 3 parada de novo")
    requester = path_for(duplicate["id"], REQUESTER, "requester")
    page = pages.get(requester).get_data(as_text=True)
    assert "Cancelar este chamado" in page

    unknown = act(pages, requester, "cancel", original="INC-999999", reason="Repetido")
    assert unknown.status_code == 400
    text = unknown.get_data(as_text=True)
    assert "Não há chamado com o número «INC-999999»" in text
    assert "Repetido" in text  # what they typed is kept
    assert services().tickets.get(duplicate["id"]).status == "assigned"  # nothing written

    # its first response was missed before anyone saw it was a duplicate
    stored = services().tickets.get(duplicate["id"])
    breach = TimerPayload(stored.id, "response-breach", 1, stored.response_due.isoformat())
    fired = fire(
        breach,
        tickets=services().tickets,
        directory=services().directory,
        queue=None,
        now=lambda: stored.response_due,
    )
    assert fired == "fired"
    assert "resp_missed" in services().tickets.get(duplicate["id"]).report_share["metrics"]

    number = original["number"]
    short = str(int(number.split("-")[1]))  # "12" for INC-000012: as people type it
    done = act(pages, requester, "cancel", original=short, reason="Abri duas vezes")
    assert done.status_code == 303
    landed = pages.get(done.headers["Location"]).get_data(as_text=True)
    assert "Chamado cancelado" in landed
    assert f"{number} — Prensa 3 parou" in landed  # the page names the original
    assert "Cancelar este chamado" not in landed  # nothing left to cancel
    cancelled = services().tickets.get(duplicate["id"])
    assert cancelled.status == "cancelled"
    assert cancelled.duplicate_of.number == number
    assert cancelled.work["phase"] == "closed"  # out of everyone's open lists
    # out of the compliance figures: counted as cancelled, with no clock met or missed
    metrics = cancelled.report_share["metrics"]
    assert metrics["cancelled"] == 1
    assert not {"resp_met", "resp_missed", "res_met", "res_missed", "breached"} & set(metrics)
    assert cancelled.report_share["watch"] is None  # in neither the breached nor at-risk list

    # the original's page lists its duplicate
    responsible = path_for(original["id"], RESPONSIBLE, "responsible")
    listed = pages.get(responsible).get_data(as_text=True)
    assert "Chamados repetidos" in listed
    assert f"{duplicate['number']} — Prensa 3 parada de novo" in listed

    mails = _mails_of(db, duplicate["id"], "cancelled", smtp_inbox)
    told = {mail["To"].addresses[0].addr_spec for mail in mails}
    assert told == {RESPONSIBLE}  # the requester cancelled it: the responsible is told
    text = mails[0].get_body(("plain",)).get_content()
    assert "cancelou este chamado" in text
    assert "Abri duas vezes" in text
    assert f"Repete o chamado {number} — Prensa 3 parou." in text


def test_a_manager_cancels_and_the_requester_reads_why(pages, intake, db, smtp_inbox):
    ticket = _ticket(intake)
    manager = path_for(ticket["id"], HEAD, "manager")
    assert act(pages, manager, "cancel", reason="Aberto por engano").status_code == 303
    mails = _mails_of(db, ticket["id"], "cancelled", smtp_inbox)
    to_requester = [m for m in mails if m["To"].addresses[0].addr_spec == REQUESTER]
    assert to_requester, "the requester is told"
    assert "Chamado cancelado" in to_requester[0]["Subject"]
    assert "Aberto por engano" in to_requester[0].get_body(("plain",)).get_content()
    # a cancelled ticket is closed: no form acts on it any more
    again = pages.get(path_for(ticket["id"], REQUESTER, "requester")).get_data(as_text=True)
    assert "Cancelado" in again
    assert 'action="' not in again.split("</dl>")[1].split("Histórico")[0]


def test_a_ticket_cannot_duplicate_itself(pages, intake):
    ticket = _ticket(intake)
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    refused = act(pages, responsible, "cancel", original=ticket["number"], reason="x")
    assert refused.status_code == 400
    assert "não pode repetir a si mesmo" in refused.get_data(as_text=True)


def test_a_colleague_follows_a_ticket_and_stops_from_their_email(pages, intake, db, smtp_inbox):
    ticket = _ticket(intake)
    requester = path_for(ticket["id"], REQUESTER, "requester")
    unknown = act(pages, requester, "watch", email="ninguem@metalvale.com.br")
    assert unknown.status_code == 400
    assert "Não há colega ativo com esse e-mail" in unknown.get_data(as_text=True)
    assert "ninguem@metalvale.com.br" in unknown.get_data(as_text=True)  # kept
    done = act(pages, requester, "watch", email=f"  {COLLEAGUE.upper()} ")
    assert done.status_code == 303
    landed = pages.get(done.headers["Location"]).get_data(as_text=True)
    assert "Colega adicionado" in landed
    assert "Mariana Rocha" in landed  # listed among those who follow it
    # adding them twice (a double tap with a fresh form) changes nothing
    assert act(pages, requester, "watch", email=COLLEAGUE).status_code == 303
    assert [w.email for w in services().tickets.get(ticket["id"]).watchers] == [COLLEAGUE]

    (told,) = _mails_of(db, ticket["id"], "watcher_added", smtp_inbox)
    assert told["To"].addresses[0].addr_spec == COLLEAGUE
    text = told.get_body(("plain",)).get_content()
    assert "adicionou você para acompanhar este chamado" in text
    assert "Não quer mais acompanhar este chamado?" in text
    unwatch = next(line for line in text.splitlines() if line.endswith("#unwatch"))
    watcher_path = "/t/" + unwatch.split("/t/")[1].split("#")[0]

    # the responsible's answer reaches the watcher too
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    assert act(pages, responsible, "respond", text="Peça a caminho").status_code == 303
    answered = _mails_of(db, ticket["id"], "responded", smtp_inbox)
    (to_watcher,) = [m for m in answered if m["To"].addresses[0].addr_spec == COLLEAGUE]
    assert "Chamado que você acompanha" in to_watcher["Subject"]  # not "your ticket"

    # from their e-mail: the page (a GET changes nothing), then the button
    page = pages.get(watcher_path).get_data(as_text=True)
    assert "Deixar de acompanhar" in page
    assert services().tickets.get(ticket["id"]).watchers  # still following
    stopped = act(pages, watcher_path, "unwatch")
    assert stopped.status_code == 303
    after = pages.get(stopped.headers["Location"])
    assert after.status_code == 200
    assert "deixou de acompanhar este chamado" in after.get_data(as_text=True)
    assert services().tickets.get(ticket["id"]).watchers == []
    gone = pages.get(watcher_path)  # their old e-mail's link, later
    assert gone.status_code == 403
    assert "Você não acompanha mais este chamado" in gone.get_data(as_text=True)
    assert act(pages, responsible, "respond", text="Trocada").status_code == 303
    later = _mails_of(db, ticket["id"], "responded", smtp_inbox)
    assert COLLEAGUE not in {m["To"].addresses[0].addr_spec for m in later}
