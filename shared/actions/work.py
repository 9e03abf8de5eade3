"""The work on a ticket, as people do it from its pages: responses, information from the
requester, resolution, confirmation or reopening, and the rating of the service."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.actions.sla import resume
from shared.domain.change import Change, Decide
from shared.domain.ticket import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    EventType,
    Evidence,
    Response,
    Status,
    Ticket,
    check_transition,
)
from shared.errors import NotAllowedNow, TooOften
from shared.repositories.directory import Directory


def _evidence(items: list[Evidence]) -> list[dict]:
    return [item.model_dump() for item in items]


def respond(responsible: str, text: str, evidence: list[Evidence], now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status not in OPEN_STATUSES:
            raise NotAllowedNow("the ticket is not open")
        updates: dict = {
            "last_response": Response(
                at=now, by=responsible, text=text, evidence=evidence
            ).model_dump()
        }
        if ticket.responded_at is None:
            updates["responded_at"] = now
        if ticket.status == Status.ASSIGNED:
            updates["status"] = Status.IN_PROGRESS
        return Change(
            updates,
            [(EventType.RESPONDED, responsible, {"text": text, "evidence": _evidence(evidence)})],
        )

    return decide


def resolve(responsible: str, notes: str, evidence: list[Evidence], now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status == Status.RESOLVED:
            return None
        if ticket.status not in OPEN_STATUSES:
            raise NotAllowedNow("the ticket is not open")
        check_transition(ticket.status, Status.RESOLVED)
        updates: dict = {
            "status": Status.RESOLVED,
            "resolved_at": now,
            "last_response": Response(
                at=now, by=responsible, text=notes, evidence=evidence
            ).model_dump(),
        }
        if ticket.responded_at is None:
            updates["responded_at"] = now
        if ticket.status == Status.WAITING_ON_REQUESTER and ticket.pauses:
            closed = [*ticket.pauses[:-1], ticket.pauses[-1].model_copy(update={"end": now})]
            updates["pauses"] = [p.model_dump() for p in closed]
        return Change(
            updates,
            [(EventType.RESOLVED, responsible, {"text": notes, "evidence": _evidence(evidence)})],
        )

    return decide


INFORMATION_WINDOW = timedelta(hours=1)


def add_information(
    requester: str,
    text: str,
    evidence: list[Evidence],
    now: datetime,
    directory: Directory,
    per_hour: int | None = None,
) -> Decide:
    """The requester's answer; while the ticket waits on them, it starts the clock again.
    Each one mails the responsible, so a person sends at most `per_hour` in an hour."""

    def decide(ticket: Ticket) -> Change | None:
        if ticket.status not in OPEN_STATUSES:
            raise NotAllowedNow("the ticket is not open")
        recent = [at for at in ticket.information_times if at > now - INFORMATION_WINDOW]
        if per_hour is not None and len(recent) >= per_hour:
            raise TooOften(
                "information_too_often",
                "too much information in an hour",
                count=len(recent),
                next=min(recent) + INFORMATION_WINDOW,
            )
        data = {"text": text, "evidence": _evidence(evidence)}
        times = {"information_times": [*recent, now]}
        if ticket.status == Status.WAITING_ON_REQUESTER:
            resumed = resume(requester, now, directory, event=EventType.INFORMATION_ADDED)(ticket)
            assert resumed is not None
            resumed.events = [(EventType.INFORMATION_ADDED, requester, data)]
            resumed.updates |= times
            return resumed
        return Change(times, [(EventType.INFORMATION_ADDED, requester, data)])

    return decide


def comment(who: str, text: str, evidence: list[Evidence], now: datetime) -> Decide:
    """A watcher's or a manager's note on the ticket (by e-mail): told to the responsible,
    with no effect on the status or the clock."""

    def decide(ticket: Ticket) -> Change | None:
        if ticket.status in CLOSED_STATUSES:
            raise NotAllowedNow("the ticket is closed")
        data = {"text": text, "evidence": _evidence(evidence)}
        return Change({}, [(EventType.COMMENTED, who, data)])

    return decide


def confirm(requester: str, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status == Status.CLOSED:
            return None
        if ticket.status != Status.RESOLVED:
            raise NotAllowedNow("only a resolved ticket can be confirmed")
        return Change(
            {"status": Status.CLOSED, "closed_at": now},
            [(EventType.CLOSED, requester, {"confirmed_by": requester})],
        )

    return decide


def reopen(requester: str, reason: str, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status != Status.RESOLVED:
            raise NotAllowedNow("only a resolved ticket can be reopened")
        check_transition(ticket.status, Status.IN_PROGRESS)
        updates = {
            "status": Status.IN_PROGRESS,
            "resolved_at": None,
            "clock_version": ticket.clock_version + 1,
        }
        return Change(updates, [(EventType.REOPENED, requester, {"reason": reason})])

    return decide


def rate(requester: str, score: int, comment: str, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            raise NotAllowedNow("the service can be rated once the ticket is resolved")
        if ticket.rating is not None:
            raise NotAllowedNow("the service was already rated")
        rating = {"score": score, "comment": comment, "at": now}
        return Change(
            {"rating": rating}, [(EventType.RATED, requester, {"score": score, "comment": comment})]
        )

    return decide
