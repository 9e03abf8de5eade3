"""Handing a ticket over: to another person of the responsible department, or to another
department (its head receives it), with a reason. The SLA clock keeps running (a transfer
changes who works, not what was agreed); the report's figures follow the new responsible's
area and department, since every change moves the ticket's share."""

from __future__ import annotations

from datetime import datetime

from shared.actions.parties import party_of
from shared.domain.change import Change, Decide
from shared.domain.organisation import Person
from shared.domain.ticket import OPEN_STATUSES, EventType, Ticket
from shared.errors import InvalidInput, NotAllowedNow
from shared.repositories.directory import Directory, person_of


def receiver(
    ticket: Ticket, to: str, department_id: str, directory: Directory
) -> tuple[Person, str]:
    """Who receives the ticket and in which department (InvalidInput naming the field)."""
    department_id = department_id or ticket.responsible_department_id
    department = directory.department(department_id)
    if department is None:
        raise InvalidInput("unknown_department", field="department")
    email = to or department.head or ""
    person = person_of(directory, email) if email else None
    if person is None or not person.active:
        raise InvalidInput("transfer_nobody", field="to")
    if person.department != department.id and person.email != department.head:
        raise InvalidInput("transfer_other_department", field="to")
    return person, department.id


def transfer(
    who: str, person: Person, department_id: str, reason: str, directory: Directory, now: datetime
) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status not in OPEN_STATUSES:
            raise NotAllowedNow("the ticket is not open")
        current = ticket.responsible.email if ticket.responsible else None
        if current == person.email and ticket.responsible_department_id == department_id:
            raise InvalidInput("transfer_same", field="to")
        party = party_of(person, directory)
        data = {
            "from": current or "",
            "to": person.email,
            "department": department_id,
            "reason": reason,
        }
        updates = {"responsible": party.model_dump(), "responsible_department_id": department_id}
        return Change(updates, [(EventType.TRANSFERRED, who, data)])

    return decide
