"""Page actions that move the clock or the state, and refusals when the state does not allow."""

from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.bootstrap import page_services
from shared.links import LinkSigner
from shared.repositories.firestore import TICKETS
from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    degraded_robot,
    incident,
    post_ticket,
)


@pytest.fixture
def ticket(intake):
    return post_ticket(intake, incident(submission_id=f"act-{uuid.uuid4().hex}")).json


def path_for(ticket_id: str, email: str, role: str) -> str:
    signer = LinkSigner(os.environ["HELPDESK_LINK_SECRET"], "x", timedelta(days=1))
    return f"/t/{signer.token(ticket_id, email, role)}"


def act(pages, path: str, action: str, **fields):
    html = pages.get(path).get_data(as_text=True)
    token = re.search(
        rf'action="[^"]*/{action}"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"',
        html,
    )
    assert token, f"no {action} form on the page"
    return pages.post(f"{path}/{action}", data={"form_token": token.group(1), **fields})


def test_waiting_on_the_requester_pauses_and_their_answer_resumes(pages, ticket, db):
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    requester = path_for(ticket["id"], REQUESTER, "requester")
    assert act(pages, responsible, "acknowledge").status_code == 303
    assert act(pages, responsible, "wait", text="Qual o número do alarme?").status_code == 303
    tickets = FirestoreTickets(db)
    paused = tickets.get(ticket["id"])
    assert paused.status == "waiting_on_requester"
    assert paused.pauses[-1].end is None
    assert act(pages, requester, "information", text="Alarme 2001").status_code == 303
    resumed = tickets.get(ticket["id"])
    assert resumed.status == "in_progress"
    assert resumed.pauses[-1].end is not None
    assert resumed.clock_version == paused.clock_version + 1
    assert [e.type for e in tickets.events(ticket["id"])][-3:] == [
        "acknowledged",
        "waiting_on_requester",
        "information_added",
    ]


def test_reopening_a_resolved_ticket_and_refusals_in_the_wrong_state(pages, ticket, db):
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    requester = path_for(ticket["id"], REQUESTER, "requester")
    assert act(pages, responsible, "resolve", text="Ajustado").status_code == 303
    assert act(pages, requester, "reopen", reason="Voltou a parar").status_code == 303
    tickets = FirestoreTickets(db)
    reopened = tickets.get(ticket["id"])
    assert (reopened.status, reopened.resolved_at) == ("in_progress", None)
    # A reopened ticket offers no confirmation; a forged one is refused and changes nothing.
    before = [e.type for e in tickets.events(ticket["id"])]
    token = page_services().forms.issue(requester.removeprefix("/t/"), "confirm")
    refused = pages.post(f"{requester}/confirm", data={"form_token": token})
    assert refused.status_code == 409
    assert "não é possível" in refused.get_data(as_text=True)
    assert [e.type for e in tickets.events(ticket["id"])] == before


def test_a_rating_needs_a_score_from_one_to_five(pages, ticket, db):
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    requester = path_for(ticket["id"], REQUESTER, "requester")
    act(pages, responsible, "resolve", text="Ajustado")
    assert act(pages, requester, "rate", score="9").status_code == 400
    assert act(pages, requester, "rate", score="4", comment="ok").status_code == 303
    assert FirestoreTickets(db).get(ticket["id"]).rating.score == 4
    assert "Avaliação: 4/5" in pages.get(requester).get_data(as_text=True)


def test_the_responsible_records_costs_and_the_loss_from_the_page(pages, ticket, db):
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    assert (
        act(
            pages,
            responsible,
            "cost",
            category="labour",
            description="Troca do rolamento",
            hours="2,5",
            rate="85",
            currency="BRL",
        ).status_code
        == 303
    )
    assert (
        act(
            pages,
            responsible,
            "cost",
            category="parts",
            description="Rolamento SKF 7014",
            amount="1.340,90",
            currency="BRL",
        ).status_code
        == 303
    )
    stored = FirestoreTickets(db).get(ticket["id"])
    assert stored.cost_cents == {"BRL": 21250 + 134090}
    page = pages.get(responsible).get_data(as_text=True)
    assert "R$\xa01.340,90" in page
    assert "R$\xa01.553,40" in page  # the total, in Brazilian format
    parts = next(line for line in stored.cost_lines if line.category == "parts")
    assert act(pages, responsible, "correct-cost", line=parts.id, amount="1200").status_code == 303
    assert FirestoreTickets(db).get(ticket["id"]).cost_cents == {"BRL": 21250 + 120000}
    assert (
        act(
            pages,
            responsible,
            "loss",
            manual_amount="9.000,00",
            manual_currency="BRL",
            manual_reason="Multa do pedido",
            counts="manual",
        ).status_code
        == 303
    )
    stored = FirestoreTickets(db).get(ticket["id"])
    assert (stored.loss_cents, stored.loss_currency) == (900_000, "BRL")
    assert (
        act(
            pages,
            responsible,
            "cost",
            category="parts",
            description="x",
            amount="abc",
            currency="BRL",
        ).status_code
        == 400
    )
    # The requester's link cannot record costs.
    requester = path_for(ticket["id"], REQUESTER, "requester")
    token = page_services().forms.issue(requester.removeprefix("/t/"), "cost")
    refused = pages.post(f"{requester}/cost", data={"form_token": token, "amount": "1"})
    assert refused.status_code == 403


def test_costs_stay_open_after_resolution_for_the_responsible_and_the_head(pages, intake, db):
    """A late invoice or a correction: expenses and the loss change until the ticket is
    closed and HELPDESK_COST_EDIT_DAYS after, by the responsible and their department's head;
    then the page offers no form and a form sent anyway is refused."""
    ticket = degraded_robot(intake, f"robot-{uuid.uuid4().hex}")
    responsible = path_for(ticket["id"], "diego.martinez@metalvale.com.br", "responsible")
    requester = path_for(ticket["id"], REQUESTER, "requester")
    head = path_for(ticket["id"], "sergio.nunes@metalvale.com.br", "manager")
    stranger = path_for(ticket["id"], "joao.ferreira@metalvale.com.br", "manager")
    invoice = {"category": "external_service", "amount": "480", "currency": "BRL"}
    act(pages, responsible, "resolve", text="Ajustado")
    answer = act(pages, responsible, "cost", description="Nota fiscal 5521", **invoice)
    assert answer.status_code == 303
    act(pages, requester, "confirm")
    assert "Registrar despesa" not in pages.get(stranger).get_data(as_text=True)  # reads only
    answer = act(pages, head, "cost", description="Frete da peça", **invoice)
    assert answer.status_code == 303
    assert "Despesa registrada" in pages.get(answer.headers["Location"]).get_data(as_text=True)
    assert FirestoreTickets(db).get(ticket["id"]).cost_cents == {"BRL": 96000}
    # Eight days after closing (the window is seven), nothing changes any more.
    db.collection(TICKETS).document(ticket["id"]).update(
        {"closed_at": datetime.now(UTC) - timedelta(days=8)}
    )
    page = pages.get(responsible).get_data(as_text=True)
    assert 'action="' + responsible + '/cost"' not in page
    token = page_services().forms.issue(responsible.removeprefix("/t/"), "cost")
    late = pages.post(
        f"{responsible}/cost", data={"form_token": token, "description": "Tarde", **invoice}
    )
    assert late.status_code == 409
    assert "ya no pueden modificarse" in late.get_data(as_text=True)  # Diego reads Spanish
    assert FirestoreTickets(db).get(ticket["id"]).cost_cents == {"BRL": 96000}


def test_over_long_text_and_unknown_uploads_are_refused_by_name(pages, ticket, db, caplog):
    """Never cut silently, never a misleading reason: each refusal says what is wrong, and
    the page shows what was typed."""
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    before = [e.type for e in FirestoreTickets(db).events(ticket["id"])]
    long = act(pages, responsible, "respond", text="a" * 5001)
    assert long.status_code == 400
    page = long.get_data(as_text=True)
    assert "tem 5001 caracteres; o limite é 5000" in page
    assert "a" * 5001 in page  # given back to be shortened
    bogus = act(pages, responsible, "respond", text="Segue a foto", uploads="../x,nao-existe")
    assert bogus.status_code == 400
    assert "Um arquivo ainda não foi verificado" in bogus.get_data(as_text=True)
    assert "Segue a foto" in bogus.get_data(as_text=True)
    empty = act(pages, responsible, "respond", text="   ")
    assert "Preencha «Responder ao solicitante»" in empty.get_data(as_text=True)
    foreign = act(
        pages, responsible, "cost", category="parts", description="x", amount="10", currency="XYZ"
    )
    assert foreign.status_code == 400
    assert "A moeda «XYZ» não é usada nesta organização" in foreign.get_data(as_text=True)
    assert [e.type for e in FirestoreTickets(db).events(ticket["id"])] == before
    # Each refusal is one log line naming the reason, never the person.
    reasons = [r.reason for r in caplog.records if r.getMessage() == "page refused"]
    assert reasons == ["too_long", "files_not_ready", "required", "bad_currency"]
    assert RESPONSIBLE not in caplog.text


def test_people_who_left_or_whose_role_moved_on_lose_their_links(pages, ticket, db, monkeypatch):
    """A link is checked against the directory and the ticket as they are now: a person made
    inactive, or a responsible the ticket no longer has, neither reads nor acts nor uploads."""
    from shared.bootstrap import media_services, services
    from shared.repositories.firestore import PEOPLE
    from tests.integration.conftest import make_client

    monkeypatch.setenv("HELPDESK_DIRECTORY_CACHE_SECONDS", "0")
    for built in (services, page_services, media_services):
        built.cache_clear()
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    token = page_services().forms.issue(responsible.removeprefix("/t/"), "respond")
    db.collection(PEOPLE).document(RESPONSIBLE).update({"active": False})
    page = pages.get(responsible)
    assert page.status_code == 403
    assert "não está ativa na organização" in page.get_data(as_text=True)
    acted = pages.post(f"{responsible}/respond", data={"form_token": token, "text": "Oi"})
    assert acted.status_code == 403
    media = make_client("media")
    started = media.post(
        "/uploads",
        json={"filename": "a.jpg", "content_type": "image/jpeg", "size": 10},
        headers={"X-Helpdesk-Link": responsible.removeprefix("/t/")},
    )
    assert started.status_code == 403
    db.collection(PEOPLE).document(RESPONSIBLE).update({"active": True})
    # The ticket passed to someone else: the former responsible's link opens nothing.
    db.collection(TICKETS).document(ticket["id"]).update(
        {"responsible.email": "rafael.santos@metalvale.com.br"}
    )
    moved = pages.get(responsible)
    assert moved.status_code == 403
    assert "passou para outra pessoa" in moved.get_data(as_text=True)
    assert [e.type for e in FirestoreTickets(db).events(ticket["id"])] == ["created", "assigned"]


def test_a_requester_cannot_flood_the_responsible(pages, ticket, db, monkeypatch):
    """Each addition mails the responsible: past HELPDESK_INFORMATION_PER_HOUR in an hour it
    is refused with the time from which it is allowed, and what was typed is kept."""
    monkeypatch.setenv("HELPDESK_INFORMATION_PER_HOUR", "3")
    from shared.bootstrap import services

    services.cache_clear()
    page_services.cache_clear()
    requester = path_for(ticket["id"], REQUESTER, "requester")
    for index in range(3):
        assert (
            act(pages, requester, "information", text=f"Mais um detalhe {index}").status_code == 303
        )
    refused = act(pages, requester, "information", text="Quarto detalhe")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Você já enviou 3 informações na última hora" in page
    assert "Quarto detalhe" in page
    events = [e.type for e in FirestoreTickets(db).events(ticket["id"])]
    assert events.count("information_added") == 3


def test_a_long_history_is_read_a_page_at_a_time(pages, ticket, db):
    from shared.actions import work
    from shared.bootstrap import services

    tickets = services().tickets
    now = datetime.now(UTC)
    for index in range(55):
        decide = work.respond(RESPONSIBLE, f"Andamento {index:02d}", [], now)
        tickets.apply(ticket["id"], decide, now)
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    latest = pages.get(responsible).get_data(as_text=True)
    assert latest.count("<li data-event=") == 50
    assert "Andamento 54" in latest
    assert "Andamento 04" not in latest
    older = re.search(r'href="(\?before=\d+)"', latest).group(1)
    earlier = pages.get(responsible + older).get_data(as_text=True)
    assert earlier.count("<li data-event=") == 7  # created, assigned and the first five
    assert "Andamento 04" in earlier
    assert "?before=" not in earlier


def test_an_accepted_file_joins_one_entry_only(pages, ticket, db):
    from shared.bootstrap import services
    from shared.repositories.firestore import UPLOADS

    evidence = {
        "object_name": f"tickets/{ticket['id']}/x/painel.jpg",
        "filename": "painel.jpg",
        "content_type": "image/jpeg",
        "size": 10,
    }
    db.collection(UPLOADS).document("upload-once").set(
        {"ticket_id": ticket["id"], "state": "accepted", "evidence": evidence}
    )
    responsible = path_for(ticket["id"], RESPONSIBLE, "responsible")
    first = act(pages, responsible, "respond", text="Foto", uploads="upload-once")
    assert first.status_code == 303
    again = act(pages, responsible, "respond", text="De novo", uploads="upload-once")
    assert again.status_code == 409
    assert "já foram enviados em outra entrada" in again.get_data(as_text=True)
    responses = [e for e in services().tickets.events(ticket["id"]) if e.type == "responded"]
    assert len(responses) == 1
