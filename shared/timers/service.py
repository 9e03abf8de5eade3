"""Schedule a ticket's SLA milestones, and fire one when its task arrives.

Firing is idempotent and stale-proof: the milestone is recomputed from the ticket as it is
now, and nothing changes when the task's clock version is old, the milestone is done or no
longer applies, the ticket is no longer open, or the task came early (the 30-day horizon, or
a clock that moved): an early task enqueues itself again for the real due instant. A resolved
ticket's auto-close and its reminder (shared/timers/closing.py) follow the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from shared.domain.change import Change, state_of, terms_of
from shared.domain.organisation import EscalationTarget
from shared.domain.ports import TicketStore
from shared.domain.status_rules import StatusRequestRules
from shared.domain.ticket import OPEN_STATUSES, EventType, Ticket
from shared.log import get_logger
from shared.repositories.directory import Directory, person_of
from shared.sla.milestones import Milestone, milestones
from shared.timers.closing import closing_change, closing_milestones, is_closing
from shared.timers.payload import TimerPayload
from shared.timers.queue import HORIZON, TaskQueue

log = get_logger("timers")
EARLY_TOLERANCE = timedelta(seconds=1)


def ticket_milestones(ticket: Ticket, directory: Directory) -> list[Milestone]:
    policy = directory.policy(ticket.policy_id, include_withdrawn=True)
    calendar = directory.calendar(ticket.calendar_id)
    if policy is None or calendar is None or ticket.status not in OPEN_STATUSES:
        return []
    return milestones(terms_of(policy), state_of(ticket), calendar)


def schedule(ticket: Ticket, directory: Directory, queue: TaskQueue, now: datetime) -> int:
    """Enqueue a task for every milestone still ahead (a past one fires at once)."""
    count = 0
    for milestone in [
        *ticket_milestones(ticket, directory),
        *closing_milestones(ticket, directory),
    ]:
        if milestone.key in ticket.milestones_done:
            continue
        enqueue(
            TimerPayload(ticket.id, milestone.key, ticket.clock_version, milestone.due.isoformat()),
            queue,
            now,
        )
        count += 1
    return count


def enqueue(payload: TimerPayload, queue: TaskQueue, now: datetime) -> None:
    at = min(max(payload.due_at, now), now + HORIZON)
    queue.enqueue(payload.task_name(at), payload.encode(), at)


STATUS_PREFIX = "status-request-"


def status_request_milestone(
    ticket: Ticket, directory: Directory, rules: StatusRequestRules
) -> Milestone | None:
    """The escalation of the requester's pending status request, if one is pending."""
    calendar = directory.calendar(ticket.calendar_id)
    if (
        not ticket.status_request_pending
        or ticket.status_requested_at is None
        or calendar is None
        or ticket.status not in OPEN_STATUSES
    ):
        return None
    due = calendar.add(ticket.status_requested_at, rules.escalate_after)
    return Milestone(f"{STATUS_PREFIX}{ticket.status_request_count}", "status", "status", due)


def schedule_status_request(
    ticket: Ticket,
    directory: Directory,
    queue: TaskQueue,
    rules: StatusRequestRules,
    now: datetime,
) -> bool:
    milestone = status_request_milestone(ticket, directory, rules)
    if milestone is None:
        return False
    payload = TimerPayload(
        ticket.id, milestone.key, ticket.clock_version, milestone.due.isoformat()
    )
    enqueue(payload, queue, now)
    return True


def fire(
    payload: TimerPayload,
    *,
    tickets: TicketStore,
    directory: Directory,
    queue: TaskQueue,
    now: Callable[[], datetime],
    rules: StatusRequestRules | None = None,
) -> str:
    """What the timer did: fired, early (enqueued again), or nothing (stale, done, closed)."""
    moment = now()
    early: list[Milestone] = []
    rules = rules or StatusRequestRules()

    def current_milestone(ticket: Ticket) -> Milestone | None:
        if is_closing(payload.milestone):  # keyed by the resolution it follows
            return {m.key: m for m in closing_milestones(ticket, directory)}.get(payload.milestone)
        if payload.milestone.startswith(STATUS_PREFIX):  # not tied to the SLA clock's version
            found = status_request_milestone(ticket, directory, rules)
            return found if found and found.key == payload.milestone else None
        if ticket.clock_version != payload.version:
            return None
        return {m.key: m for m in ticket_milestones(ticket, directory)}.get(payload.milestone)

    def decide(ticket: Ticket) -> Change | None:
        if payload.milestone in ticket.milestones_done:
            return None
        current = current_milestone(ticket)
        if current is None:
            return None
        if current.due > moment + EARLY_TOLERANCE:
            early.append(current)
            return None
        if is_closing(current.key):
            return closing_change(current, closing_milestones(ticket, directory), moment)
        return _change_for(current, ticket, directory, moment)

    _, change = tickets.apply(payload.ticket_id, decide, moment)
    if early:
        again = TimerPayload(
            payload.ticket_id, payload.milestone, payload.version, early[0].due.isoformat()
        )
        enqueue(again, queue, moment)
        return "early"
    if change is None:
        return "nothing"
    log.info(
        "milestone reached", extra={"ticket_id": payload.ticket_id, "milestone": payload.milestone}
    )
    return "fired"


def _change_for(
    milestone: Milestone, ticket: Ticket, directory: Directory, now: datetime
) -> Change:
    change = Change(updates={f"milestones_done.{milestone.key}": now})
    data = {"milestone": milestone.clock, "due": milestone.due.isoformat()}
    if milestone.kind == "warning":
        if ticket.sla_flag == "on_time":
            change.updates["sla_flag"] = "at_risk"
        # `due` is when the warning fell due; the message states the deadline it warns of.
        deadline = ticket.response_due if milestone.clock == "response" else ticket.resolution_due
        data["deadline"] = deadline.isoformat()
        change.events.append(
            (EventType.WARNING, "helpdesk", {**data, "percent": milestone.percent})
        )
    elif milestone.kind == "status":
        asked = ticket.status_requested_at
        change.events.append(
            (
                EventType.STATUS_REQUEST_UNANSWERED,
                "helpdesk",
                {
                    "asked_at": asked.isoformat() if asked else None,
                    "notify": status_escalation_target(ticket, directory),
                    "request": ticket.status_request_count,
                },
            )
        )
    elif milestone.kind == "breach":
        change.updates[f"{milestone.clock}_breached_at"] = milestone.due
        change.updates["sla_flag"] = "breached"
        change.events.append((EventType.BREACHED, "helpdesk", data))
    else:
        target = escalation_target(ticket, milestone.level or 1, directory)
        change.events.append(
            (EventType.ESCALATED, "helpdesk", {**data, "level": milestone.level, "notify": target})
        )
    return change


def status_escalation_target(ticket: Ticket, directory: Directory) -> str | None:
    """The responsible's manager, else the head of the responsible department."""
    if ticket.responsible is not None:
        person = person_of(directory, ticket.responsible.email)
        if person is not None and person.manager:
            return person.manager
    department = directory.department(ticket.responsible_department_id)
    return department.head if department else None


def escalation_target(ticket: Ticket, level: int, directory: Directory) -> str | None:
    """The e-mail of the person a level of the policy's chain names."""
    policy = directory.policy(ticket.policy_id, include_withdrawn=True)
    if policy is None or level > len(policy.escalation):
        return None
    notify = policy.escalation[level - 1].notify
    department = directory.department(ticket.responsible_department_id)
    if notify == EscalationTarget.DEPARTMENT_HEAD:
        return department.head if department else None
    if notify == EscalationTarget.AREA_MANAGER:
        area = directory.area(department.area) if department else None
        return area.manager if area else None
    if notify == EscalationTarget.RESPONSIBLE_MANAGER:
        if ticket.responsible is None:
            return None
        person = person_of(directory, ticket.responsible.email)
        return person.manager if person else None
    return str(notify)
