"""Auto-close: a resolved ticket the requester neither confirms nor reopens is closed at the
end of the policy's `auto_close_days`-th business day after its resolution (default 3), with
a reminder at the start of that day (one business day before).

The milestones are keyed by the instant of the resolution ("auto-close-<epoch seconds>"), so
a reopened and resolved-again ticket schedules new ones and the old timers find nothing: the
same stale-proof timers as the SLA's (shared/timers/service.py).
"""

from __future__ import annotations

from datetime import datetime

from shared.domain.change import Change
from shared.domain.closing import auto_close_times
from shared.domain.ticket import EventType, Status, Ticket
from shared.repositories.directory import Directory
from shared.sla.milestones import Milestone

REMINDER_PREFIX, CLOSE_PREFIX = "close-reminder-", "auto-close-"


def is_closing(key: str) -> bool:
    return key.startswith((REMINDER_PREFIX, CLOSE_PREFIX))


def closing_milestones(ticket: Ticket, directory: Directory) -> list[Milestone]:
    """The reminder and the close of a resolved ticket (none otherwise)."""
    policy = directory.policy(ticket.policy_id, include_withdrawn=True)
    calendar = directory.calendar(ticket.calendar_id)
    times = auto_close_times(ticket, policy, calendar) if policy and calendar else None
    if times is None or ticket.resolved_at is None:
        return []
    stamp = int(ticket.resolved_at.timestamp())
    last_start, last_end = times
    days_count = policy.auto_close_days  # kept as the milestones' level: the e-mail says it
    return [
        Milestone(f"{REMINDER_PREFIX}{stamp}", "reminder", "closing", last_start, None, days_count),
        Milestone(f"{CLOSE_PREFIX}{stamp}", "close", "closing", last_end, None, days_count),
    ]


def closing_change(milestone: Milestone, found: list[Milestone], now: datetime) -> Change:
    """The reminder (telling when the ticket closes), or the close itself."""
    change = Change(updates={f"milestones_done.{milestone.key}": now})
    if milestone.kind == "reminder":
        closes_at = next((m.due for m in found if m.kind == "close"), milestone.due)
        data = {"closes_at": closes_at.isoformat(), "days": milestone.level}
        change.events.append((EventType.CLOSE_REMINDER, "helpdesk", data))
        return change
    change.updates |= {"status": Status.CLOSED, "closed_at": now}
    data = {"auto": True, "days": milestone.level}
    change.events.append((EventType.CLOSED, "helpdesk", data))
    return change
