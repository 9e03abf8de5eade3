"""A ticket's SLA milestones: warnings, breaches and escalations, with their due instants.

Computed afresh from the ticket's state every time (never patched): the scheduler uses them
to enqueue timers, and the timer checks them again when it fires, so that a stale, early or
duplicate timer changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.sla.calendar import BusinessCalendar
from shared.sla.clock import Pause, SlaClock

RESPONSE, RESOLUTION, ESCALATION = "response", "resolution", "escalation"


@dataclass(frozen=True)
class Milestone:
    key: str  # "response-warning-50", "resolution-breach", "escalation-2" (Firestore field names)
    kind: str  # warning, breach or escalation
    clock: str  # response or resolution (escalation: the deadline it escalates)
    due: datetime
    percent: int | None = None
    level: int | None = None


@dataclass(frozen=True)
class SlaTerms:
    """What the policy promises, in business time."""

    response_time: timedelta
    resolution_time: timedelta
    warnings: Sequence[int]
    escalation_after: Sequence[timedelta]  # one per level, counted from the missed deadline


@dataclass(frozen=True)
class SlaState:
    """What happened on the ticket so far."""

    started_at: datetime
    pauses: Sequence[Pause] = ()
    responded_at: datetime | None = None
    resolved_at: datetime | None = None


def deadlines(
    terms: SlaTerms, state: SlaState, calendar: BusinessCalendar
) -> tuple[datetime, datetime | None]:
    """Response due (never paused) and resolution due (None while paused)."""
    response_due = SlaClock(calendar, state.started_at).due(terms.response_time)
    resolution_due = SlaClock(calendar, state.started_at, state.pauses).due(terms.resolution_time)
    assert response_due is not None
    return response_due, resolution_due


def milestones(terms: SlaTerms, state: SlaState, calendar: BusinessCalendar) -> list[Milestone]:
    """The milestones still ahead of a ticket (in no particular order)."""
    if state.resolved_at is not None:
        return []
    found: list[Milestone] = []
    response_clock = SlaClock(calendar, state.started_at)
    response_due = response_clock.due(terms.response_time)
    if state.responded_at is None:
        for percent in terms.warnings:
            due = response_clock.due(terms.response_time * percent / 100)
            found.append(
                Milestone(f"response-warning-{percent}", "warning", RESPONSE, due, percent=percent)
            )
        found.append(Milestone("response-breach", "breach", RESPONSE, response_due))
    resolution_clock = SlaClock(calendar, state.started_at, state.pauses)
    resolution_due = resolution_clock.due(terms.resolution_time)
    if resolution_due is not None:
        for percent in terms.warnings:
            due = resolution_clock.due(terms.resolution_time * percent / 100)
            found.append(
                Milestone(
                    f"resolution-warning-{percent}", "warning", RESOLUTION, due, percent=percent
                )
            )
        found.append(Milestone("resolution-breach", "breach", RESOLUTION, resolution_due))
    # Escalation counts from the first deadline missed: the response's when it was (or is
    # still being) missed, else the resolution's.
    responded_late = state.responded_at is None or state.responded_at > response_due
    base, clock = (response_due, RESPONSE) if responded_late else (resolution_due, RESOLUTION)
    if base is not None:
        for level, after in enumerate(terms.escalation_after, start=1):
            found.append(
                Milestone(
                    f"escalation-{level}",
                    "escalation",
                    clock,
                    calendar.add(base, after),
                    level=level,
                )
            )
    return found
