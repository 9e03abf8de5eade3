"""The SLA timers' use case against in-memory fakes: a milestone fires once, however often
Cloud Tasks delivers it; an early delivery waits; a stale one (the clock moved) does nothing."""

from __future__ import annotations

from datetime import timedelta

from shared.actions.sla import acknowledge, wait_on_requester
from shared.domain.ticket import EventType
from shared.timers.service import fire, schedule
from tests.unit.fakes import NOW, InMemoryTickets, RecordingQueue, directory, opened


def world():
    tickets, queue = InMemoryTickets(), RecordingQueue()
    ticket = opened(tickets)  # 15 min to respond, 4 h to resolve, warnings at 50% and 75%
    schedule(ticket, directory(), queue, NOW)
    return tickets, queue, ticket


def payload_of(queue, milestone):
    return next(payload for _, payload, _ in queue.tasks if payload.milestone == milestone)


def run(payload, tickets, queue, at):
    return fire(payload, tickets=tickets, directory=directory(), queue=queue, now=lambda: at)


def test_a_breach_fires_once_however_often_it_is_delivered():
    tickets, queue, ticket = world()
    breach = payload_of(queue, "response-breach")
    assert breach.due_at == NOW + timedelta(minutes=15)
    assert run(breach, tickets, queue, breach.due_at) == "fired"
    assert run(breach, tickets, queue, breach.due_at + timedelta(seconds=5)) == "nothing"
    kinds = [event.type for event in tickets.events(ticket.id)]
    assert kinds.count(EventType.BREACHED) == 1
    assert tickets.get(ticket.id).sla_flag == "breached"
    assert tickets.get(ticket.id).response_breached_at == breach.due_at


def test_an_early_delivery_waits_for_its_instant():
    tickets, queue, ticket = world()
    warning = payload_of(queue, "response-warning-50")
    queue.tasks.clear()
    assert run(warning, tickets, queue, NOW + timedelta(minutes=2)) == "early"
    ((_, again, at),) = queue.tasks
    assert (again.milestone, at) == ("response-warning-50", warning.due_at)
    assert EventType.WARNING not in [event.type for event in tickets.events(ticket.id)]


def test_a_timer_of_a_clock_that_moved_does_nothing():
    tickets, queue, ticket = world()
    breach = payload_of(queue, "resolution-breach")
    responsible = ticket.responsible.email
    tickets.apply(ticket.id, acknowledge(responsible, NOW), NOW)
    tickets.apply(ticket.id, wait_on_requester(responsible, "Qual alarme?", NOW), NOW)
    assert tickets.get(ticket.id).clock_version == breach.version + 1
    assert run(breach, tickets, queue, breach.due_at) == "nothing"
    assert tickets.get(ticket.id).resolution_breached_at is None
