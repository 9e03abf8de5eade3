"""A ticket's life in a real browser, from the links in real e-mails, on a phone-sized screen."""

from __future__ import annotations

import uuid

from PIL import Image

from shared.bootstrap import notification_services
from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import (
    REQUESTER,
    RESPONSIBLE,
    deliver_event,
    event_paths,
    incident,
    make_client,
    post_ticket,
)

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "pt-BR"}


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return next(line.strip() for line in text.splitlines() if "/t/" in line)


def jpeg_file(tmp_path) -> str:
    path = tmp_path / "painel.jpg"
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(path, "JPEG")
    return str(path)


def mp4_file(tmp_path) -> str:
    path = tmp_path / "ruido.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 50_000)
    return str(path)


def submit(page, action: str) -> None:
    page.locator(f'form[action$="/{action}"] button[type=submit]').click()
    page.wait_for_load_state("load")


def attach(page, action: str, files: list[str]) -> None:
    page.set_input_files(f'form[action$="/{action}"] input[type=file]', files)
    page.wait_for_function(
        f"""() => {{
            const items = document.querySelectorAll('form[action$="/{action}"] ul.uploads li');
            return items.length === {len(files)} && [...items].every(i => i.dataset.state);
        }}""",
        timeout=20_000,
    )
    states = page.eval_on_selector_all(
        f'form[action$="/{action}"] ul.uploads li', "items => items.map(i => i.dataset.state)"
    )
    assert states == ["accepted"] * len(files), page.content()


def test_a_ticket_from_opening_to_rating_in_the_browser(
    served, browser, intake, db, smtp_inbox, tmp_path
):
    notification_services.cache_clear()
    notifications = make_client("notifications")
    hostile = '<script>alert("x")</script> Prensa travada'
    ticket = post_ticket(
        intake, incident(submission_id=f"browser-{uuid.uuid4().hex}", title=hostile)
    ).json

    def mail_events():
        for path in event_paths(db, ticket["id"]):
            deliver_event(notifications, db, path)

    mail_events()
    requester_link = link_in(smtp_inbox.to(REQUESTER)[0])
    responsible_link = link_in(smtp_inbox.to(RESPONSIBLE)[0])
    assert requester_link.startswith(served["pages"])
    dialogs: list[str] = []

    requester = browser.new_context(**PHONE).new_page()
    requester.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requester.goto(requester_link)
    assert requester.locator("h1").text_content() == hostile  # shown as text, never run
    requester.fill('form[action$="/information"] textarea', "Foto do painel e vídeo do ruído.")
    attach(requester, "information", [jpeg_file(tmp_path), mp4_file(tmp_path)])
    submit(requester, "information")
    assert "Informações enviadas" in requester.text_content("[role=status]")
    assert requester.locator("img.evidence").count() == 1
    assert requester.locator("video.evidence").count() == 1
    thumb = requester.locator("img.evidence").evaluate("img => img.naturalWidth")
    assert thumb == 640  # the thumbnail, loaded from the bucket through a signed link

    responsible = browser.new_context(**PHONE).new_page()
    responsible.goto(responsible_link)
    submit(responsible, "acknowledge")
    responsible.fill(
        'form[action$="/respond"] textarea', "Rolamento do fuso com folga; troca às 14h."
    )
    attach(responsible, "respond", [jpeg_file(tmp_path)])
    submit(responsible, "respond")
    responsible.fill('form[action$="/resolve"] textarea', "Rolamento trocado e máquina testada.")
    submit(responsible, "resolve")
    assert "Chamado resolvido" in responsible.text_content("[role=status]")

    requester.goto(requester_link)
    submit(requester, "confirm")
    assert "encerrado" in requester.text_content("[role=status]")
    requester.select_option('form[action$="/rate"] select', "5")
    requester.fill('form[action$="/rate"] textarea', "Rápido e bem explicado")
    submit(requester, "rate")
    assert "Avaliação: 5/5" in requester.content()
    assert dialogs == []  # no script from the ticket ever ran

    events = [e.type for e in FirestoreTickets(db).events(ticket["id"])]
    assert events == [
        "created",
        "assigned",
        "information_added",
        "acknowledged",
        "responded",
        "resolved",
        "closed",
        "rated",
    ]
    stored = FirestoreTickets(db).get(ticket["id"])
    assert (stored.status, stored.rating["score"]) == ("closed", 5)
    assert stored.last_response.text == "Rolamento trocado e máquina testada."
    information = FirestoreTickets(db).events(ticket["id"])[2]
    kinds = sorted(item["content_type"] for item in information.data["evidence"])
    assert kinds == ["image/jpeg", "video/mp4"]
    # The requester is told of the response and the resolution, in the same thread.
    smtp_inbox.messages.clear()
    mail_events()
    subjects = [m["Subject"] for m in smtp_inbox.to(REQUESTER)]
    assert any("Nova resposta" in s for s in subjects)
    assert any("foi resolvido" in s for s in subjects)
