"""What a reader is told of a ticket's clock: business time net of the waits on the
requester, calendar time beside it, and a paused deadline said to be paused."""

from datetime import UTC, datetime, timedelta

from shared.display.ticket import elapsed, resolution_due
from shared.domain.ticket import PauseRecord, Status
from tests.unit.test_every_text import opened_ticket

START = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Monday 10:00 in São Paulo


def test_elapsed_business_time_leaves_out_the_wait_on_the_requester():
    directory, ticket, _ = opened_ticket()
    calendar = directory.calendar(ticket.calendar_id)
    waited = ticket.model_copy(
        update={
            "clock_started_at": START,
            "pauses": [
                PauseRecord(start=START + timedelta(hours=1), end=START + timedelta(hours=3))
            ],
        }
    )
    # Four hours on a three-shift calendar, two of them waiting on the requester.
    assert elapsed(waited, calendar, START + timedelta(hours=4), "pt-BR") == (
        "2 h 00 min úteis · 4 h 00 min corridos"
    )


def test_a_paused_resolution_deadline_says_so():
    directory, ticket, _ = opened_ticket()
    calendar = directory.calendar(ticket.calendar_id)
    waiting = ticket.model_copy(
        update={
            "status": Status.WAITING_ON_REQUESTER,
            "pauses": [PauseRecord(start=START + timedelta(hours=1))],
        }
    )
    assert resolution_due(waiting, calendar, "pt-BR") == "pausado (aguardando o solicitante)"
    assert resolution_due(waiting, calendar, "es") == "en pausa (esperando al solicitante)"
    assert "2026" in resolution_due(ticket, calendar, "pt-BR")
