"""The status request from an e-mailed link: pages served by the `pages` function."""

from __future__ import annotations

import re
import time

import pytest

from shared.bootstrap import page_services
from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    post_ticket,
)


def link_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    url = next(line for line in text.splitlines() if "/t/" in line)
    return "/t/" + url.split("/t/", 1)[1].strip()


def form_token(page_html: str, action: str) -> str:
    pattern = rf'action="[^"]*/{action}">\s*<input type="hidden" name="form_token" value="([^"]+)"'
    return re.search(pattern, page_html).group(1)


@pytest.fixture
def mailed(notifications, smtp_inbox, intake, db, pages):
    hostile = '<script>alert("x")</script> CNC-01 parou'
    ticket = post_ticket(intake, incident(title=hostile)).json
    for path in event_paths(db, ticket["id"]):
        deliver_event(notifications, db, path)
    (confirmation,) = smtp_inbox.to(REQUESTER)
    return ticket, link_path(confirmation)


def events_of(db, ticket_id):
    return [e.type for e in FirestoreTickets(db).events(ticket_id)]


def test_the_requester_asks_for_news_from_the_emailed_link(
    mailed, pages, notifications, smtp_inbox, db
):
    ticket, path = mailed
    page = pages.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert ticket["number"] in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    before = events_of(db, ticket["id"])
    pages.get(path)  # a mail scanner following the link changes nothing
    assert events_of(db, ticket["id"]) == before

    sent = pages.post(
        f"{path}/status-request",
        data={"form_token": form_token(html, "status-request"), "note": "A linha vai voltar hoje?"},
    )
    assert sent.status_code == 303
    assert pages.get(sent.headers["Location"]).get_data(as_text=True).count("Pedido enviado") == 1
    assert events_of(db, ticket["id"])[-1] == "status_requested"

    # The same form sent again (a double tap, a browser retry) counts once.
    resent = pages.post(
        f"{path}/status-request", data={"form_token": form_token(html, "status-request")}
    )
    assert resent.status_code == 303
    assert events_of(db, ticket["id"]).count("status_requested") == 1
    # A new request from a fresh page is refused until four business hours have passed.
    fresh = pages.get(path).get_data(as_text=True)
    again = pages.post(
        f"{path}/status-request", data={"form_token": form_token(fresh, "status-request")}
    )
    assert again.status_code == 429
    assert "Poderá pedir de novo a partir de" in again.get_data(as_text=True)
    assert events_of(db, ticket["id"]).count("status_requested") == 1

    # The responsible is told, with a link of his own, and answers from it.
    deliver_event(notifications, db, event_paths(db, ticket["id"])[-1])
    request_mail = [m for m in smtp_inbox.to(RESPONSIBLE) if "pede notícias" in m["Subject"]]
    assert len(request_mail) == 1
    responsible_path = link_path(request_mail[0])
    page = pages.get(responsible_path).get_data(as_text=True)
    assert "O solicitante pediu uma atualização em" in page
    answered = pages.post(
        f"{responsible_path}/status",
        data={"form_token": form_token(page, "status"), "text": "Troca do rolamento até as 16h."},
    )
    assert answered.status_code == 303
    assert events_of(db, ticket["id"])[-1] == "status_provided"
    stored = FirestoreTickets(db).get(ticket["id"])
    assert stored.status_request_pending is False


def test_refused_posts_change_nothing(mailed, pages, intake, db):
    ticket, path = mailed
    html = pages.get(path).get_data(as_text=True)
    before = events_of(db, ticket["id"])
    # A valid form token for the responsible's action, on the requester's link.
    status_token = page_services().forms.issue(path.removeprefix("/t/"), "status")
    # Another ticket's page: its link differs, so its forms belong to another page.
    other = post_ticket(intake, incident(submission_id="another-form-response")).json
    other_link = page_services().links.token(other["id"], REQUESTER, "requester")
    other_ticket_token = page_services().forms.issue(other_link, "status-request")
    note = {"note": "Alguma novidade sobre a prensa?"}
    no_form = pages.post(f"{path}/status-request", data=note)
    forged = pages.post(
        f"{path}/status-request",
        data={"form_token": "x" + form_token(html, "status-request"), **note},
    )
    other_action = pages.post(f"{path}/status-request", data={"form_token": status_token, **note})
    other_page = pages.post(
        f"{path}/status-request", data={"form_token": other_ticket_token, **note}
    )
    wrong_role = pages.post(f"{path}/status", data={"form_token": status_token, "text": "eu mesmo"})
    for answer in (no_form, forged, other_action, other_page, wrong_role):
        assert answer.status_code == 403
    # Each says what is wrong, and gives back what the person typed.
    said = {
        "sem a chave de segurança": no_form,
        "chave de segurança do formulário não é válida": forged,
        "era de outra ação": other_action,
        "é de outra página": other_page,
    }
    for words, answer in said.items():
        page = answer.get_data(as_text=True)
        assert words in page
        assert "Alguma novidade sobre a prensa?" in page
    assert "não permite esta ação" in wrong_role.get_data(as_text=True)
    assert pages.get(f"{path}/status-request").status_code == 405  # GET never acts
    assert events_of(db, ticket["id"]) == before


def test_tampered_and_expired_links_get_a_clear_403(mailed, pages, monkeypatch):
    _, path = mailed
    tampered = pages.get(
        path[:-3] + ("abc" if not path.endswith("abc") else "xyz"),
        headers={"Accept-Language": "es"},
    )
    assert tampered.status_code == 403
    assert "no es válido" in tampered.get_data(as_text=True)
    monkeypatch.setenv("HELPDESK_LINK_TTL_DAYS", str(1 / 86400))  # one second
    from shared.bootstrap import services

    services.cache_clear()
    page_services.cache_clear()
    time.sleep(2.1)
    expired = pages.get(path)
    assert expired.status_code == 403
    assert "Este link expirou" in expired.get_data(as_text=True)
