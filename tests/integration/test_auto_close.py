"""Auto-close: a resolved ticket the requester neither confirms nor reopens is closed at the end
of the policy's third business day, with a reminder at the start of that day; scheduled and
fired by the same stale-proof timers as the SLA milestones.

Office calendar (Mon-Fri 08-12 and 13-17:48, São Paulo). Resolved on Monday 30 November:
Tuesday, Wednesday and Thursday are its three business days.
"""

from __future__ import annotations

from shared.actions import sla as sla_actions
from shared.actions import work
from shared.timers.payload import TimerPayload
from shared.timers.service import schedule
from tests.integration.timing import fire_at, open_system_incident, sp

TECH = "bruno.costa@metalvale.com.br"


def _resolved(world, at):
    _db, directory, tickets, queue = world
    ticket = open_system_incident(world, sp(30, 10))
    responsible = ticket.responsible.email
    tickets.apply(ticket.id, sla_actions.acknowledge(responsible, sp(30, 10, 5)), sp(30, 10, 5))
    tickets.apply(ticket.id, work.resolve(responsible, "Reiniciado", [], at), at)
    resolved = tickets.get(ticket.id)
    queue.tasks.clear()
    schedule(resolved, directory, queue, at)
    return resolved


def _closing(queue) -> dict:
    return {name: at for name, at in queue.due().items() if "close" in name}


def test_a_resolved_ticket_is_reminded_then_closed_once(world):
    _db, _, tickets, queue = world
    ticket = _resolved(world, sp(30, 11))
    stamp = int(sp(30, 11).timestamp())
    reminder, close = f"close-reminder-{stamp}", f"auto-close-{stamp}"
    assert _closing(queue) == {reminder: sp(3, 8), close: sp(3, 17, 48)}

    early = TimerPayload(ticket.id, close, ticket.clock_version, sp(3, 17, 48).isoformat())
    assert fire_at(world, early, sp(2, 9)) == "early"  # a clock that moved: enqueued again

    remind = TimerPayload(ticket.id, reminder, ticket.clock_version, sp(3, 8).isoformat())
    assert fire_at(world, remind, sp(3, 8)) == "fired"
    assert fire_at(world, remind, sp(3, 8, 1)) == "nothing"  # delivered twice
    assert tickets.get(ticket.id).status == "resolved"
    (event,) = [e for e in tickets.events(ticket.id) if e.type == "close_reminder"]
    assert event.data["closes_at"] == sp(3, 17, 48).isoformat()

    closing = TimerPayload(ticket.id, close, ticket.clock_version, sp(3, 17, 48).isoformat())
    assert fire_at(world, closing, sp(3, 17, 48)) == "fired"
    assert fire_at(world, closing, sp(3, 17, 49)) == "nothing"
    closed = tickets.get(ticket.id)
    assert closed.status == "closed"
    assert closed.closed_at == sp(3, 17, 48)
    closes = [e for e in tickets.events(ticket.id) if e.type == "closed"]
    assert [e.data for e in closes] == [{"auto": True, "days": 3}]
    assert closed.work["phase"] == "closed"


def test_a_reopened_ticket_is_not_closed_by_the_old_timers(world):
    _db, directory, tickets, queue = world
    ticket = _resolved(world, sp(30, 11))
    stamp = int(sp(30, 11).timestamp())
    requester = ticket.requester.email
    tickets.apply(ticket.id, work.reopen(requester, "Voltou a cair", sp(1, 9)), sp(1, 9))
    for key, due in ((f"close-reminder-{stamp}", sp(3, 8)), (f"auto-close-{stamp}", sp(3, 17, 48))):
        payload = TimerPayload(ticket.id, key, ticket.clock_version, due.isoformat())
        assert fire_at(world, payload, due) == "nothing"
    assert tickets.get(ticket.id).status == "in_progress"
    assert not [e for e in tickets.events(ticket.id) if e.type in ("close_reminder", "closed")]

    # resolved again on Tuesday: new timers, from Wednesday to Friday
    again = work.resolve(ticket.responsible.email, "Fonte trocada", [], sp(1, 10))
    tickets.apply(ticket.id, again, sp(1, 10))
    queue.tasks.clear()
    schedule(tickets.get(ticket.id), directory, queue, sp(1, 10))
    fresh = int(sp(1, 10).timestamp())
    assert _closing(queue) == {
        f"close-reminder-{fresh}": sp(4, 8),
        f"auto-close-{fresh}": sp(4, 17, 48),
    }
    old = TimerPayload(ticket.id, f"auto-close-{stamp}", 1, sp(3, 17, 48).isoformat())
    assert fire_at(world, old, sp(4, 17, 48)) == "nothing"


def test_a_confirmed_ticket_is_left_alone(world):
    _db, _, tickets, _ = world
    ticket = _resolved(world, sp(30, 11))
    tickets.apply(ticket.id, work.confirm(ticket.requester.email, sp(1, 9)), sp(1, 9))
    stamp = int(sp(30, 11).timestamp())
    close = TimerPayload(ticket.id, f"auto-close-{stamp}", 1, sp(3, 17, 48).isoformat())
    assert fire_at(world, close, sp(3, 17, 48)) == "nothing"
    closes = [e for e in tickets.events(ticket.id) if e.type == "closed"]
    assert [e.actor for e in closes] == [ticket.requester.email]
