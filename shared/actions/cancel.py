"""Cancelling a ticket opened by mistake, or one that duplicates another (which it names).

A cancelled ticket leaves the SLA's compliance figures (the report counts it as cancelled),
its timers find it closed and do nothing, and the requester is told why. The original's page
lists its duplicates (found by `duplicate_of.id`, never kept on the original itself).
"""

from __future__ import annotations

import re
from datetime import datetime

from shared.domain.change import Change, Decide
from shared.domain.ticket import OPEN_STATUSES, EventType, Status, Ticket, TicketRef
from shared.domain.types import TicketType
from shared.errors import InvalidInput, NotAllowedNow

_NUMBER = re.compile(r"(?:(INC|REQ)\s*-?\s*)?0*(\d{1,9})")


def ticket_number(typed: str, default_type: TicketType) -> str | None:
    """A ticket's number as people type it ("INC-000012", "inc 12", "12"): the stored form,
    or None when it is not a number. A bare number is of the ticket's own type."""
    found = _NUMBER.fullmatch(typed.strip().upper())
    if found is None:
        return None
    prefix = found.group(1) or default_type.number_prefix
    return f"{prefix}-{int(found.group(2)):06d}"


def cancel(who: str, reason: str, original: Ticket | None, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status == Status.CANCELLED:
            return None
        if ticket.status not in OPEN_STATUSES:
            raise NotAllowedNow("only an open ticket can be cancelled")
        data: dict = {"reason": reason}
        updates: dict = {"status": Status.CANCELLED, "closed_at": now}
        if original is not None:
            if original.id == ticket.id:
                raise InvalidInput("duplicate_of_itself", field="original")
            ref = TicketRef(id=original.id, number=original.number or "", title=original.title)
            updates["duplicate_of"] = ref.model_dump()
            data |= {"original": ref.number, "original_title": ref.title[:200]}
        return Change(updates, [(EventType.CANCELLED, who, data)])

    return decide
