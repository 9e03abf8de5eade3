"""The requester of a resolved ticket reads, in the resolution's e-mail and on the page, when
it closes by itself if they neither confirm nor reopen it."""

from __future__ import annotations

from shared.domain.ticket import EventType, TicketEvent
from shared.notify.recipients import Recipient
from tests.unit.test_every_text import REQUESTER, at, composer_for, opened_ticket


def test_the_resolution_tells_the_requester_when_the_ticket_closes_by_itself():
    directory, ticket, _ = opened_ticket()
    resolved = ticket.model_copy(update={"status": "resolved", "resolved_at": at(0)})
    event = TicketEvent(seq=9, type=EventType.RESOLVED, at=at(0), actor="x", data={"text": "ok"})
    calendar = directory.calendar(resolved.calendar_id)
    composer = composer_for(directory)
    requester = Recipient(REQUESTER, "Lucas", "pt-BR", "requester")
    text = composer.compose("r", event, resolved, requester, calendar).text
    # resolved on Monday 30 November: Tuesday, Wednesday and Thursday are its three working
    # days on the three-shift calendar; Thursday's night shift ends on Friday at 06:00
    assert "encerrado automaticamente em 4 de dez. de 2026 06:00" in text
    responsible = Recipient(REQUESTER, "Lucas", "pt-BR", "responsible")
    assert (
        "automaticamente" not in composer.compose("r", event, resolved, responsible, calendar).text
    )


def test_a_managers_message_links_to_the_console():
    directory, ticket, _ = opened_ticket()
    event = TicketEvent(
        seq=9, type=EventType.BREACHED, at=at(0), actor="system", data={"milestone": "response"}
    )
    calendar = directory.calendar(ticket.calendar_id)
    composer = composer_for(directory, console_url="https://console.example/")
    head = Recipient("carlos.mendes@metalvale.com.br", "Carlos", "pt-BR", "manager")
    told = composer.compose("b", event, ticket, head, calendar)
    assert "Painel dos gestores:\nhttps://console.example/" in told.text
    assert 'href="https://console.example/"' in told.html
    requester = Recipient(REQUESTER, "Lucas", "pt-BR", "requester")
    assert "console.example" not in composer.compose("b", event, ticket, requester, calendar).text
