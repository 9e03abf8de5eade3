"""Actions that move a ticket's SLA clock: first response, waiting on the requester, resuming,
and a change of policy or priority. Deadlines are recomputed from the original start with
all pauses, and the clock version moves on so that timers scheduled before become stale.
"""

from __future__ import annotations

from datetime import datetime

from shared.domain.change import Change, Decide, state_of, terms_of
from shared.domain.organisation import SlaPolicy
from shared.domain.ticket import EventType, PauseRecord, Status, Ticket, check_transition
from shared.repositories.directory import Directory
from shared.sla import Pause, SlaClock
from shared.sla.milestones import SlaState, deadlines


def acknowledge(actor: str, now: datetime) -> Decide:
    """The responsible's first response: it stops the response clock."""

    def decide(ticket: Ticket) -> Change | None:
        if ticket.responded_at is not None or ticket.status != Status.ASSIGNED:
            return None
        check_transition(ticket.status, Status.IN_PROGRESS)
        return Change(
            {"status": Status.IN_PROGRESS, "responded_at": now},
            [(EventType.ACKNOWLEDGED, actor, {})],
        )

    return decide


def wait_on_requester(actor: str, text: str, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status == Status.WAITING_ON_REQUESTER:
            return None
        check_transition(ticket.status, Status.WAITING_ON_REQUESTER)
        pauses = [*ticket.pauses, PauseRecord(start=now)]
        updates = {
            "status": Status.WAITING_ON_REQUESTER,
            "pauses": [p.model_dump() for p in pauses],
            "clock_version": ticket.clock_version + 1,
        }
        if ticket.responded_at is None:
            updates["responded_at"] = now  # asking the requester is a response
        return Change(updates, [(EventType.WAITING_ON_REQUESTER, actor, {"text": text})])

    return decide


def resume(
    actor: str,
    now: datetime,
    directory: Directory,
    *,
    event: EventType = EventType.RESUMED,
    text: str = "",
) -> Decide:
    """Start the resolution clock again: the requester answered, or the responsible resumed."""

    def decide(ticket: Ticket) -> Change | None:
        if ticket.status != Status.WAITING_ON_REQUESTER or not ticket.pauses:
            return None
        check_transition(ticket.status, Status.IN_PROGRESS)
        pauses = [*ticket.pauses[:-1], ticket.pauses[-1].model_copy(update={"end": now})]
        resumed = ticket.model_copy(update={"pauses": pauses})
        calendar = directory.calendar(ticket.calendar_id)
        policy = directory.policy(ticket.policy_id, include_withdrawn=True)
        assert calendar is not None
        assert policy is not None
        clock = SlaClock(calendar, ticket.clock_started_at, [Pause(p.start, p.end) for p in pauses])
        _, resolution_due = deadlines(terms_of(policy), state_of(resumed), calendar)
        updates = {
            "status": Status.IN_PROGRESS,
            "pauses": [p.model_dump() for p in pauses],
            "paused_seconds": int(clock.paused_business_time(now).total_seconds()),
            "resolution_due": resolution_due,
            "clock_version": ticket.clock_version + 1,
        }
        return Change(updates, [(event, actor, {"text": text} if text else {})])

    return decide


def change_policy(new: SlaPolicy, actor: str, reason: str, directory: Directory) -> Decide:
    """Another policy (or priority) mid-flight: deadlines as if it had applied from the start."""

    def decide(ticket: Ticket) -> Change | None:
        if ticket.policy_id == new.id:
            return None
        calendar = directory.calendar(new.calendar)
        assert calendar is not None
        state: SlaState = state_of(ticket)
        response_due, resolution_due = deadlines(terms_of(new), state, calendar)
        # Breaches already recorded stay facts; warnings and escalations start over.
        kept = {k: v for k, v in ticket.milestones_done.items() if k.endswith("-breach")}
        updates = {
            "policy_id": new.id,
            "priority": new.priority,
            "category": new.category,
            "calendar_id": new.calendar,
            "response_due": response_due,
            "resolution_due": resolution_due or ticket.resolution_due,
            "clock_version": ticket.clock_version + 1,
            "milestones_done": kept,
        }
        return Change(
            updates,
            [
                (
                    EventType.POLICY_CHANGED,
                    actor,
                    {"from": ticket.policy_id, "to": new.id, "reason": reason},
                )
            ],
        )

    return decide
