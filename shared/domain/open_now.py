"""The open tickets now, by status, responsible department and SLA state (breached, at risk, on
time): counters that every change of a ticket moves in the same write as the change (one down
where it was, one up where it is), so the console reads a fixed number of small documents
however many tickets there are."""

from __future__ import annotations

from shared.domain.ticket import OPEN_STATUSES, Ticket
from shared.domain.work_lists import sla_state

Place = tuple[str, str, str]  # (status, responsible department, SLA state)


def place_of(ticket: Ticket | None) -> Place | None:
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return None
    return str(ticket.status), ticket.responsible_department_id, sla_state(ticket)


def moves(before: Place | None, after: Place | None) -> dict[Place, int]:
    """What a change does to the counters: nothing when the ticket stays where it was."""
    if before == after:
        return {}
    found: dict[Place, int] = {}
    if before is not None:
        found[before] = -1
    if after is not None:
        found[after] = found.get(after, 0) + 1
    return found
