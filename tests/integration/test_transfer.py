"""Handing a ticket over: to a colleague of the department, or to another department whose
head receives it; the clock keeps running, the report's figures follow the new responsible,
and the new responsible is told with the ticket's facts."""

from __future__ import annotations

import uuid

from shared.bootstrap import services
from tests.integration.conftest import (
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    make_client,
    post_ticket,
)
from tests.integration.test_pages_actions import act, path_for

ELECTRICAL_HEAD = "sergio.nunes@metalvale.com.br"


def test_a_transfer_to_another_department_moves_the_figures_and_tells_its_head(
    pages, intake, db, smtp_inbox
):
    ticket = post_ticket(intake, incident(submission_id=f"transfer-{uuid.uuid4().hex}")).json
    before = services().tickets.get(ticket["id"])
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    page = pages.get(responsible).get_data(as_text=True)
    assert "Transferir o chamado" in page
    refused = act(pages, responsible, "transfer", department="manutencao-eletrica", reason="")
    assert refused.status_code == 400  # the reason is asked for
    done = act(
        pages,
        responsible,
        "transfer",
        department="manutencao-eletrica",
        reason="Falha no painel elétrico",
    )
    assert done.status_code == 303
    after = services().tickets.get(ticket["id"])
    assert after.responsible.email == ELECTRICAL_HEAD
    assert after.responsible_department_id == "manutencao-eletrica"
    assert (after.response_due, after.resolution_due) == (
        before.response_due,
        before.resolution_due,
    )
    assert after.report_share["dims"]["responsible_department"] == "manutencao-eletrica"
    assert after.work["responsible"] == ELECTRICAL_HEAD  # in the new responsible's list
    # the former responsible's link no longer acts on it
    assert pages.get(responsible).status_code == 403

    notifications = make_client("notifications")
    smtp_inbox.messages.clear()
    for path in event_paths(db, ticket["id"]):
        if path.endswith("transferred"):
            deliver_event(notifications, db, path)
    (told,) = smtp_inbox.messages
    assert told["To"].addresses[0].addr_spec == ELECTRICAL_HEAD
    text = told.get_body(("plain",)).get_content()
    assert "transferiu este chamado para você" in text
    assert "Falha no painel elétrico" in text  # the reason
    assert "Máquina parada" in text  # the ticket's facts


def test_a_transfer_names_what_is_wrong(pages, intake):
    ticket = post_ticket(intake, incident(submission_id=f"transfer-{uuid.uuid4().hex}")).json
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    both = act(
        pages,
        responsible,
        "transfer",
        to=RESPONSIBLE,
        department="manutencao-eletrica",
        reason="x",
    )
    assert both.status_code == 400
    assert "não os dois" in both.get_data(as_text=True)
    same = act(pages, responsible, "transfer", to=RESPONSIBLE, reason="x")
    assert same.status_code == 400
    assert "já está com essa pessoa" in same.get_data(as_text=True)
