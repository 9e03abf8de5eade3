"""The open tickets now, by status and responsible department: counters that every change of a
ticket moves in the same write as the change (one down where it was, one up where it is), so
the console reads a fixed number of small documents however many tickets there are."""

from __future__ import annotations

from shared.domain.ticket import OPEN_STATUSES, Ticket

Place = tuple[str, str]  # (status, responsible department)


def place_of(ticket: Ticket | None) -> Place | None:
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return None
    return str(ticket.status), ticket.responsible_department_id


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
