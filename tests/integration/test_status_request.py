"""The advance status request: limited per ticket, answered, or escalated when unanswered.

Ticket inc-sistema-fora opened Monday 30 Nov 10:00 on the office calendar (08-12, 13-17:48):
one request per 4 business hours, escalated after 2 business hours without an answer.
"""

from __future__ import annotations

import pytest

from shared.actions.status import TooSoon, provide_status, request_status
from shared.domain.status_rules import StatusRequestRules
from shared.errors import NotAllowedNow
from shared.timers.payload import TimerPayload
from shared.timers.service import schedule_status_request
from tests.integration.timing import fire_at, open_system_incident, sp

REQUESTER = "paulo.ribeiro@metalvale.com.br"
RESPONSIBLE = "bruno.costa@metalvale.com.br"
RULES = StatusRequestRules()


def ask(world, ticket, moment, note="Alguma previsão?"):
    _, directory, tickets, _ = world
    calendar = directory.calendar(ticket.calendar_id)
    return tickets.apply(
        ticket.id, request_status(REQUESTER, note, moment, calendar, RULES), moment
    )


def test_one_request_per_four_business_hours(world):
    _, _, tickets, _ = world
    ticket = open_system_incident(world, sp(30, 10))
    ask(world, ticket, sp(30, 11))
    with pytest.raises(TooSoon) as refused:
        ask(world, ticket, sp(30, 14))  # 11-12 and 13-14: two business hours only
    # 11-12, 13-16: the fourth business hour ends at 16:00.
    assert refused.value.next_allowed == sp(30, 16)
    ask(world, ticket, sp(30, 16))
    requested = [e for e in tickets.events(ticket.id) if e.type == "status_requested"]
    assert [e.data["request"] for e in requested] == [1, 2]
    assert requested[0].data["answer_by"] == sp(30, 14).isoformat()  # 11-12, 13-14


def test_an_unanswered_request_is_escalated_to_the_responsibles_manager(world):
    _db, directory, tickets, queue = world
    ticket = open_system_incident(world, sp(30, 10))
    ask(world, ticket, sp(30, 11))
    assert schedule_status_request(tickets.get(ticket.id), directory, queue, RULES, sp(30, 11))
    ((_, payload, at),) = queue.tasks
    assert (payload.milestone, at) == ("status-request-1", sp(30, 14))
    assert fire_at(world, payload, sp(30, 14)) == "fired"
    (escalated,) = [e for e in tickets.events(ticket.id) if e.type == "status_request_unanswered"]
    assert escalated.data["notify"] == "patricia.lima@metalvale.com.br"  # Bruno's manager
    assert fire_at(world, payload, sp(30, 14)) == "nothing"


def test_an_answer_in_time_stops_the_escalation(world):
    _db, _directory, tickets, _queue = world
    ticket = open_system_incident(world, sp(30, 10))
    ask(world, ticket, sp(30, 11))
    tickets.apply(
        ticket.id,
        provide_status(RESPONSIBLE, "Servidor reiniciando", sp(30, 11, 30)),
        sp(30, 11, 30),
    )
    answered = tickets.get(ticket.id)
    assert answered.status_request_pending is False
    assert answered.responded_at == sp(30, 11, 30)  # news to the requester is a response
    payload = TimerPayload(ticket.id, "status-request-1", 1, sp(30, 14).isoformat())
    assert fire_at(world, payload, sp(30, 14)) == "nothing"
    assert tickets.events(ticket.id)[-1].type == "status_provided"


def test_a_closed_ticket_takes_no_requests(world):
    db, _, _, _ = world
    ticket = open_system_incident(world, sp(30, 10))
    db.collection("tickets").document(ticket.id).update({"status": "closed"})
    with pytest.raises(NotAllowedNow):
        ask(world, ticket, sp(30, 11))
