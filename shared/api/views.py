"""How a ticket looks in API answers: instants in ISO 8601 with the calendar's own offset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.ticket import Party, Ticket
from shared.sla import BusinessCalendar


def ticket_view(ticket: Ticket, calendar: BusinessCalendar | None) -> dict[str, Any]:
    def when(instant: datetime | None) -> str | None:
        if instant is None:
            return None
        return (calendar.localize(instant) if calendar else instant).isoformat()

    return {
        "id": ticket.id,
        "number": ticket.number,
        "type": ticket.type,
        "status": ticket.status,
        "title": ticket.title,
        "description": ticket.description,
        "policy": ticket.policy_id,
        "category": ticket.category,
        "priority": ticket.priority,
        "requester": _party(ticket.requester),
        "responsible": _party(ticket.responsible) if ticket.responsible else None,
        "asset": ticket.asset.model_dump() if ticket.asset else None,
        "fields": ticket.fields,
        "attachments": [item.model_dump() for item in ticket.attachments],
        "source": ticket.source,
        "submission_id": ticket.submission_id,
        "created_at": when(ticket.created_at),
        "sla": {
            "calendar": ticket.calendar_id,
            "clock_started_at": when(ticket.clock_started_at),
            "response_due": when(ticket.response_due),
            "resolution_due": when(ticket.resolution_due),
        },
        "links": {"self": f"/tickets/{ticket.id}"},
    }


def _party(party: Party) -> dict[str, Any]:
    return {
        "email": party.email,
        "name": party.name,
        "guest": party.guest,
        "area": {"id": party.area_id, "name": party.area_name} if party.area_id else None,
        "department": {"id": party.department_id, "name": party.department_name}
        if party.department_id
        else None,
    }
