"""When a resolved ticket closes by itself: at the end of the agreement's `auto_close_days`-th
business day after its resolution (the ticket's calendar), with a reminder at the start of that
day, one business day before."""

from __future__ import annotations

from datetime import datetime

from shared.domain.organisation import SlaPolicy
from shared.domain.ticket import Status, Ticket
from shared.sla import BusinessCalendar


def auto_close_times(
    ticket: Ticket, policy: SlaPolicy, calendar: BusinessCalendar
) -> tuple[datetime, datetime] | None:
    """The reminder's and the close's instants of a resolved ticket (None otherwise)."""
    if ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return None
    days = calendar.working_days_after(ticket.resolved_at, policy.auto_close_days)
    return days[-1]
