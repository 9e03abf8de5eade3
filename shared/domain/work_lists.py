"""Where a ticket stands in its people's lists: the keys the personal lists query and order by.

Every change of a ticket recomputes them in the same write (`work` on the ticket document,
like its share of the report): who it is for (responsible, requester, responsible
department), its phase (open, waiting on the requester, resolved and awaiting confirmation,
closed), and one order key: breached first, then at risk, then on track, each by its next due
instant. The lists' filters (status, type, priority, asset) are kept as `keys`; a query takes
one with `array-contains` and checks the others on the rows it reads.

The console's tickets are found the same way by `find`: the report's filters (area and
department either side, type, priority, policy, asset: shared/domain/report_share.py), plus
status, requester, responsible and the SLA's state now (breached, at risk, on time).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.domain.keywords import ticket_words
from shared.domain.report_share import filter_keys
from shared.domain.ticket import CLOSED_STATUSES, Status, Ticket

PHASES = ("open", "waiting", "resolved", "closed")
FILTERS = ("status", "type", "priority", "asset")
_SEPARATOR = "\x1f"


def phase_of(ticket: Ticket) -> str:
    if ticket.status in CLOSED_STATUSES:
        return "closed"
    if ticket.status == Status.RESOLVED:
        return "resolved"
    if ticket.status == Status.WAITING_ON_REQUESTER:
        return "waiting"
    return "open"


def urgency_of(ticket: Ticket) -> int:
    """0: breached, 1: at risk, 2: on track (an open ticket's place in a list)."""
    breached = ticket.response_breached_at or ticket.resolution_breached_at
    if ticket.sla_flag == "breached" or breached:
        return 0
    if ticket.sla_flag == "at_risk":
        return 1
    return 2


def next_due(ticket: Ticket) -> datetime:
    """The deadline the ticket works towards now: its first response's, then its resolution's."""
    return ticket.response_due if ticket.responded_at is None else ticket.resolution_due


def filter_key(name: str, value: str) -> str:
    return f"{name}{_SEPARATOR}{value}"


CONSOLE_FILTERS = ("status", "sla", "requester", "responsible")
SLA_STATES = ("breached", "at_risk", "on_time")


def sla_state(ticket: Ticket) -> str:
    return SLA_STATES[urgency_of(ticket)]


def console_keys(ticket: Ticket, dims: dict[str, str] | None) -> list[str]:
    values = {
        "status": str(ticket.status),
        "sla": sla_state(ticket),
        "requester": ticket.requester.email,
        "responsible": ticket.responsible.email if ticket.responsible else "",
    }
    found = {filter_key(name, value) for name, value in values.items() if value}
    return sorted(found | set(filter_keys(dims) if dims else ()))


def work_keys(ticket: Ticket, dims: dict[str, str] | None = None) -> dict[str, Any]:
    """`dims`: the ticket's report dimensions (its `report_share`), for the console's keys."""
    due = next_due(ticket).astimezone(UTC)
    values = {
        "status": str(ticket.status),
        "type": str(ticket.type),
        "priority": str(ticket.priority),
        "asset": ticket.asset.tag if ticket.asset else "",
    }
    return {
        "phase": phase_of(ticket),
        "responsible": ticket.responsible.email if ticket.responsible else "",
        "requester": ticket.requester.email,
        "department": ticket.responsible_department_id,
        "order": f"{urgency_of(ticket)}{due.strftime('%Y%m%dT%H%M%S')}",
        "keys": [filter_key(name, value) for name, value in values.items() if value],
        "words": ticket_words(ticket),  # the console's search (shared/domain/keywords.py)
        "find": console_keys(ticket, dims),
    }


def matches(work: dict[str, Any], filters: dict[str, str]) -> bool:
    return all(filter_key(name, value) in work.get("keys", []) for name, value in filters.items())
