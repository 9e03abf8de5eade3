"""A person's own lists behind the personal link in every e-mail: the technician's open tickets
breached first, then at risk, then by due instant; the department head's; the requester's with
what happens next; filters and pages; a link that stops working when the person leaves."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta

import pytest

from shared.domain.change import Change
from shared.links import PersonalLinks
from shared.repositories.firestore import PEOPLE
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    post_ticket,
)

HEAD = "carlos.mendes@metalvale.com.br"  # heads Manutenção Mecânica, and is its technician


def personal_path(email: str, ttl: timedelta = timedelta(days=90)) -> str:
    url = PersonalLinks(os.environ["HELPDESK_LINK_SECRET"], "", ttl).url(email)
    return url


def rows(html: str, section: str) -> list[str]:
    """The ticket numbers of one list, in the order shown."""
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<strong>((?:INC|REQ)-\d+)</strong>", part)


@pytest.fixture
def tickets_of_carlos(intake, db):
    """Three stopped lines for Carlos: one on track, one at risk, one breached."""
    from shared.bootstrap import services

    opened = []
    for _ in range(3):
        payload = incident(submission_id=f"lists-{uuid.uuid4().hex}")
        opened.append(post_ticket(intake, payload).json)
    base = services()
    for ticket, flag in zip(opened[1:], ("at_risk", "breached"), strict=True):
        base.tickets.apply(ticket["id"], lambda t, f=flag: Change({"sla_flag": f}, []), base.now())
    return opened


def test_the_technicians_list_puts_breached_then_at_risk_first_and_each_row_opens_the_ticket(
    pages, tickets_of_carlos
):
    on_track, at_risk, breached = tickets_of_carlos
    answer = pages.get(personal_path(RESPONSIBLE))
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Meus chamados" in html
    assert rows(html, "open") == [breached["number"], at_risk["number"], on_track["number"]]
    assert "Prazo vencido" in html
    assert "Em risco" in html
    assert "vence em" in html or "vencido há" in html  # business time left
    link = re.search(r'href="[^"]*(/t/[^"]+)"', html.split('id="open"')[1]).group(1)
    assert pages.get(link).status_code == 200  # the ticket's page, for the responsible


def test_lists_page_with_cursors_and_filter(pages, tickets_of_carlos, monkeypatch):
    from shared.pages import lists

    monkeypatch.setattr(lists, "PAGE", 2)
    html = pages.get(personal_path(RESPONSIBLE)).get_data(as_text=True)
    first = rows(html, "open")
    assert len(first) == 2
    more = re.search(r'<a href="([^"]*list=open[^"]*)"', html).group(1).replace("&amp;", "&")
    second = pages.get(more).get_data(as_text=True)
    assert rows(second, "open") == [tickets_of_carlos[0]["number"]]
    assert "list=open" not in second.split('id="open"')[1]  # the last page has no "more"
    high = pages.get(personal_path(RESPONSIBLE) + "?priority=high").get_data(as_text=True)
    assert 'id="open"' not in high  # Carlos's three are critical: no list, one line says so
    assert "Nenhum chamado com estes filtros." in high
    critical = pages.get(personal_path(RESPONSIBLE) + "?priority=critical").get_data(as_text=True)
    assert len(rows(critical, "open")) == 2
    assert 'value="critical" selected' in critical


def test_the_requester_sees_their_tickets_with_what_happens_next(pages, tickets_of_carlos):
    html = pages.get(personal_path(REQUESTER)).get_data(as_text=True)
    assert set(rows(html, "mine")) == {t["number"] for t in tickets_of_carlos}
    assert "Com Carlos Mendes: aguarde a resposta." in html
    link = re.search(r'href="[^"]*(/t/[^"]+)"', html.split('id="mine"')[1]).group(1)
    assert "Acrescentar informações" in pages.get(link).get_data(as_text=True)


def test_cancelled_and_closed_tickets_are_listed_when_asked_for_by_status(pages, tickets_of_carlos):
    from shared.actions.cancel import cancel
    from shared.bootstrap import services

    base = services()
    gone = tickets_of_carlos[0]
    base.tickets.apply(gone["id"], cancel(REQUESTER, "engano", None, base.now()), base.now())
    open_lists = pages.get(personal_path(REQUESTER)).get_data(as_text=True)
    assert gone["number"] not in rows(open_lists, "mine")
    asked = pages.get(personal_path(REQUESTER) + "?status=cancelled").get_data(as_text=True)
    assert "Seus chamados encerrados e cancelados" in asked
    assert rows(asked, "asked-done") == [gone["number"]]
    assert "Abertos, com você" not in asked
    nothing = pages.get(personal_path(REQUESTER) + "?status=closed").get_data(as_text=True)
    assert "Nenhum chamado com estes filtros." in nothing  # a neutral line, no wrong heading


def test_the_department_head_sees_the_departments_tickets(pages, tickets_of_carlos):
    html = pages.get(personal_path(HEAD)).get_data(as_text=True)
    assert "Chamados do departamento Manutenção Mecânica" in html
    assert len(rows(html, "dept-manutencao-mecanica")) == 3


def test_a_personal_link_stops_when_the_person_leaves_or_it_expires(
    pages, demo_org, db, monkeypatch
):
    from shared import texts
    from shared.bootstrap import page_services, services

    monkeypatch.setenv("HELPDESK_DIRECTORY_CACHE_SECONDS", "0")  # the directory as it is now
    services.cache_clear()
    page_services.cache_clear()
    path = personal_path(REQUESTER)
    assert pages.get(path).status_code == 200
    assert pages.post(path).status_code == 405  # a list changes nothing
    assert pages.get(path[:-4] + "AAAA").status_code == 403
    assert pages.get(path + "?list=nothing").status_code == 404
    assert pages.get(path + "?list=open&after=%25%25").status_code == 400
    db.collection(PEOPLE).document(REQUESTER).update({"active": False})
    left = pages.get(path)
    assert left.status_code == 403
    assert texts.ui("link_person_inactive", "pt-BR") in left.get_data(as_text=True)
    db.collection(PEOPLE).document(REQUESTER).update({"active": True})
    monkeypatch.setenv("HELPDESK_PERSONAL_LINK_DAYS", "0.00000001")  # about a millisecond
    services.cache_clear()
    page_services.cache_clear()
    import time

    time.sleep(1.1)  # the signature's clock counts whole seconds
    expired = pages.get(path)
    assert expired.status_code == 403
    assert texts.ui("link_expired_offer", "pt-BR") in expired.get_data(as_text=True)


def test_every_message_carries_the_persons_own_link(notifications, intake, db, smtp_inbox):
    ticket = post_ticket(intake, incident(submission_id=f"lists-{uuid.uuid4().hex}")).json
    for path in event_paths(db, ticket["id"]):
        deliver_event(notifications, db, path)
    for message in smtp_inbox.messages:
        text = message.get_body(("plain",)).get_content()
        assert "Meus chamados" in text
        assert "/me/" in text
        assert any("/me/" in line and line.endswith("/agreements") for line in text.splitlines())


def test_everyone_reads_the_agreements_in_their_language_from_their_own_link(pages, demo_org):
    spanish = pages.get(personal_path("diego.martinez@metalvale.com.br") + "/agreements")
    assert spanish.status_code == 200
    html = spanish.get_data(as_text=True)
    assert "Acuerdos de servicio (SLA)" in html
    assert "Incidente — línea de producción detenida" in html
    assert "0 h 15 min" in html  # the stopped line's first response, in business time
    assert "La mesa de ayuda se compromete a" in html
    assert pages.post(personal_path(REQUESTER) + "/agreements").status_code == 405
    lists = pages.get(personal_path(REQUESTER)).get_data(as_text=True)
    assert "/agreements" in lists


def test_a_technician_works_two_tickets_from_the_list_in_their_email(
    opened, served, browser, intake, smtp_inbox
):
    from tests.integration.phone import Phone

    first, _, _, _ = opened
    second = post_ticket(intake, incident(submission_id=f"lists-{uuid.uuid4().hex}")).json
    assigned = smtp_inbox.to(RESPONSIBLE)[0].get_body(("plain",)).get_content()
    own_link = next(line.strip() for line in assigned.splitlines() if "/me/" in line)
    assert own_link.startswith(served["pages"])
    technician = Phone(browser)
    technician.open(own_link)
    assert technician.page.locator("h1").text_content() == "Meus chamados"
    for ticket in (first, second):
        technician.open(own_link)
        technician.page.get_by_role("link", name=ticket["number"], exact=False).first.click()
        technician.page.wait_for_load_state("load")
        assert ticket["number"] in technician.page.text_content("main")
        assert "Atendimento iniciado" in technician.submit("acknowledge")
    technician.open(own_link)
    listed = technician.page.text_content("#open")
    assert first["number"] in listed
    assert second["number"] in listed
    states = technician.page.locator("#open li.row p.meta").all_text_contents()
    assert len(states) == 2
    assert all(state.startswith("Em atendimento ·") for state in states)  # both acknowledged
    assert not [status for status, _ in technician.statuses if status >= 500]


def test_tickets_stored_before_the_lists_are_given_their_place_once(pages, tickets_of_carlos, db):
    from google.cloud import firestore

    from shared.repositories.work_backfill import backfill

    for ticket in tickets_of_carlos:
        db.collection("tickets").document(ticket["id"]).update({"work": firestore.DELETE_FIELD})
    assert 'id="open"' not in pages.get(personal_path(RESPONSIBLE)).get_data(as_text=True)
    first = backfill(db, page=2)
    assert (first.updated, first.already) == (3, 0)
    again = backfill(db, page=2)
    assert (again.updated, again.already) == (0, 3)
    html = pages.get(personal_path(RESPONSIBLE)).get_data(as_text=True)
    assert len(rows(html, "open")) == 3
