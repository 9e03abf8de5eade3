"""What a use case decides about a ticket, before anything is written.

A use case is a `Decide`: given the ticket as it is now, the `Change` to make (fields to set
and events to append), or None when there is nothing left to do. A repository applies it in
one guarded write and, when the ticket changed under it, asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.domain.organisation import SlaPolicy
from shared.domain.ticket import EventType, Ticket
from shared.sla import Pause
from shared.sla.milestones import SlaState, SlaTerms


@dataclass
class Change:
    """What a use case decided: fields to set on the ticket and events to append."""

    updates: dict[str, Any] = field(default_factory=dict)
    events: list[tuple[EventType, str, dict[str, Any]]] = field(default_factory=list)


Decide = Callable[[Ticket], Change | None]


def terms_of(policy: SlaPolicy) -> SlaTerms:
    """The SLA clock's terms of a policy: its times, warnings and escalation levels."""
    return SlaTerms(
        policy.response_time,
        policy.resolution_time,
        tuple(policy.warnings),
        tuple(level.after for level in policy.escalation),
    )


def state_of(ticket: Ticket) -> SlaState:
    """Where a ticket's SLA clock stands: when it started, its pauses, its answers."""
    return SlaState(
        ticket.clock_started_at,
        tuple(Pause(p.start, p.end) for p in ticket.pauses),
        ticket.responded_at,
        ticket.resolved_at,
    )


def changed(ticket: Ticket, updates: dict[str, Any]) -> Ticket:
    """The ticket as it will be once `updates` (field paths, dotted as Firestore's) are
    written."""
    doc = ticket.model_dump(mode="python")
    for path, value in updates.items():
        *parents, leaf = path.split(".")
        target = doc
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return Ticket.model_validate(doc)
