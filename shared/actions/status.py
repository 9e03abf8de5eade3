"""The requester's advance status request and the responsible's answer.

Requests are limited per ticket (one per `interval` of business time); one left unanswered
for `escalate_after` of business time is escalated by a timer (milestone
"status-request-<n>", see shared/timers/service.py).
"""

from __future__ import annotations

from datetime import datetime

from shared.domain.change import Change, Decide
from shared.domain.status_rules import StatusRequestRules
from shared.domain.ticket import OPEN_STATUSES, EventType, Ticket
from shared.errors import NotAllowedNow, TooOften
from shared.sla import BusinessCalendar


class TooSoon(TooOften):
    """A status update was asked for less than the policy's interval ago."""

    def __init__(self, asked_at: datetime, next_allowed: datetime) -> None:
        super().__init__(
            "too_soon", "a status update was asked for recently", asked=asked_at, next=next_allowed
        )
        self.asked_at, self.next_allowed = asked_at, next_allowed


def _not_open() -> NotAllowedNow:
    return NotAllowedNow("the ticket is no longer open")


def request_status(
    requester: str, note: str, now: datetime, calendar: BusinessCalendar, rules: StatusRequestRules
) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status not in OPEN_STATUSES:
            raise _not_open()
        last = ticket.status_requested_at
        if last is not None and calendar.between(last, now) < rules.interval:
            raise TooSoon(last, calendar.add(last, rules.interval))
        count = ticket.status_request_count + 1
        answer_by = calendar.add(now, rules.escalate_after)
        updates = {
            "status_requested_at": now,
            "status_request_pending": True,
            "status_request_count": count,
        }
        data = {"note": note, "answer_by": answer_by.isoformat(), "request": count}
        return Change(updates, [(EventType.STATUS_REQUESTED, requester, data)])

    return decide


def provide_status(responsible: str, text: str, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status not in OPEN_STATUSES:
            raise _not_open()
        updates: dict = {"status_request_pending": False}
        if ticket.responded_at is None:
            updates["responded_at"] = now  # news to the requester is a response
        return Change(updates, [(EventType.STATUS_PROVIDED, responsible, {"text": text})])

    return decide
