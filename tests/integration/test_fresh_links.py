"""A fresh link when one is refused: an expired link's page sends a new one to the address it
was issued for; `/me` sends anyone their own link, answering the same whatever the address."""

from __future__ import annotations

import os
import re
import time
import uuid
from datetime import timedelta

import pytest

from shared.links import LinkSigner, PersonalLinks
from tests.integration.conftest import REQUESTER, incident, post_ticket

DAY = 24 * 3600


def signed_long_ago(monkeypatch, sign):
    """A link signed 100 days ago (every link of the help desk lives 14 or 90 days)."""
    import itsdangerous.timed

    real = time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - 100 * DAY)
    try:
        return sign()
    finally:
        monkeypatch.setattr(itsdangerous.timed.time, "time", real)


@pytest.fixture
def ticket(intake):
    return post_ticket(intake, incident(submission_id=f"fresh-{uuid.uuid4().hex}")).json


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())


def test_an_expired_ticket_link_sends_a_fresh_one_to_its_person(
    pages, ticket, smtp_inbox, monkeypatch
):
    secret = os.environ["HELPDESK_LINK_SECRET"]
    signer = LinkSigner(secret, "", timedelta(days=14))
    old = signed_long_ago(monkeypatch, lambda: signer.url(ticket["id"], REQUESTER, "requester"))
    page = pages.get(old)
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "Este link expirou" in html
    assert "l***@metalvale.com.br" in html  # the address it was issued for, masked
    assert pages.get(f"{old}/new-link").status_code == 405  # GET changes nothing
    assert smtp_inbox.to(REQUESTER) == []
    sent = pages.post(f"{old}/new-link")
    assert sent.status_code == 200
    assert "Enviamos um novo link para l***@metalvale.com.br" in sent.get_data(as_text=True)
    (mail,) = smtp_inbox.to(REQUESTER)
    fresh = next(link for link in links_in(mail) if "/t/" in link)
    assert pages.get(fresh[fresh.index("/t/") :]).status_code == 200
    assert any("/me/" in link for link in links_in(mail))


def test_an_expired_personal_link_offers_a_new_one(pages, demo_org, smtp_inbox, monkeypatch):
    personal = PersonalLinks(os.environ["HELPDESK_LINK_SECRET"], "", timedelta(days=90))
    old = signed_long_ago(monkeypatch, lambda: personal.url(REQUESTER))
    page = pages.get(old)
    assert page.status_code == 403
    assert "Enviar um novo link para l***@metalvale.com.br" in page.get_data(as_text=True)
    assert pages.post(f"{old}/new-link").status_code == 200
    (mail,) = smtp_inbox.to(REQUESTER)
    fresh = next(link for link in links_in(mail) if "/me/" in link)
    assert "Meus chamados" in pages.get(fresh[fresh.index("/me/") :]).get_data(as_text=True)


def test_anyone_may_ask_for_their_own_link_and_learns_nothing_of_the_directory(
    pages, demo_org, smtp_inbox
):
    form = pages.get("/me")
    assert form.status_code == 200
    assert 'name="email"' in form.get_data(as_text=True)
    known = pages.post("/me", data={"email": REQUESTER})
    stranger = pages.post("/me", data={"email": "ninguem@fornecedor.example.com"})
    assert known.status_code == stranger.status_code == 200
    said = "Se este endereço for de alguém cadastrado"
    assert said in known.get_data(as_text=True)
    assert said in stranger.get_data(as_text=True)
    assert len(smtp_inbox.to(REQUESTER)) == 1
    assert smtp_inbox.to("ninguem@fornecedor.example.com") == []
    wrong = pages.post("/me", data={"email": "não é e-mail"})
    assert wrong.status_code == 400
    assert "não é e-mail" in wrong.get_data(as_text=True)  # what they typed stays
    for _ in range(4):  # three a day per address
        pages.post("/me", data={"email": REQUESTER})
    assert len(smtp_inbox.to(REQUESTER)) == 3


def test_in_the_browser_an_expired_link_leads_to_a_fresh_one_in_the_inbox(
    opened, served, browser, smtp_inbox, monkeypatch
):
    from tests.integration.phone import Phone

    ticket, _, _, _ = opened
    signer = LinkSigner(os.environ["HELPDESK_LINK_SECRET"], served["pages"], timedelta(days=14))
    old = signed_long_ago(monkeypatch, lambda: signer.url(ticket["id"], REQUESTER, "requester"))
    phone = Phone(browser)
    phone.open(old)
    assert "Este link expirou" in phone.page.text_content("main")
    before = len(smtp_inbox.to(REQUESTER))
    phone.page.get_by_role("button", name="Enviar um novo link para l***@metalvale.com.br").click()
    phone.page.wait_for_load_state("load")
    assert "Enviamos um novo link" in phone.page.text_content("main")
    mail = smtp_inbox.to(REQUESTER)[before]
    fresh = next(link for link in links_in(mail) if "/t/" in link)
    phone.open(fresh)
    assert ticket["number"] in phone.page.text_content("main")
    assert not [status for status, _ in phone.statuses if status >= 500]


def test_in_the_browser_a_requester_follows_their_tickets_from_their_list(
    opened, served, browser, smtp_inbox
):
    from tests.integration.phone import Phone

    ticket, _, _, _ = opened
    receipt = smtp_inbox.to(REQUESTER)[0].get_body(("plain",)).get_content()
    own = next(line.strip() for line in receipt.splitlines() if "/me/" in line)
    phone = Phone(browser)
    phone.open(own)
    mine = phone.page.text_content("#mine")
    assert ticket["number"] in mine
    assert "Com Carlos Mendes: aguarde a resposta." in mine  # what happens next
    phone.page.get_by_role("link", name=ticket["number"], exact=False).first.click()
    phone.page.wait_for_load_state("load")
    phone.fill("information", "A máquina está isolada.")
    assert "Informações enviadas" in phone.submit("information")
    assert not [status for status, _ in phone.statuses if status >= 500]
