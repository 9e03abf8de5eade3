"""Who is told of each ticket event.

The person who acted is not told of their own act, except the requester who opened the
ticket: the confirmation, with its number and deadlines, is their receipt.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.domain.ticket import EventType, Party, Ticket, TicketEvent
from shared.repositories.directory import Directory

REQUESTER, RESPONSIBLE, MANAGER, WATCHER = "requester", "responsible", "manager", "watcher"
ADDED_WATCHER = "added_watcher"  # only the watcher the event added (told as a watcher)

RULES: dict[EventType, tuple[str, ...]] = {
    EventType.CREATED: (REQUESTER,),
    EventType.ASSIGNED: (RESPONSIBLE,),
    EventType.ACKNOWLEDGED: (REQUESTER,),
    EventType.RESPONDED: (REQUESTER, WATCHER),
    EventType.WAITING_ON_REQUESTER: (REQUESTER,),
    EventType.INFORMATION_ADDED: (RESPONSIBLE,),
    EventType.STATUS_REQUESTED: (RESPONSIBLE,),
    EventType.STATUS_PROVIDED: (REQUESTER, WATCHER),
    EventType.WARNING: (RESPONSIBLE,),
    EventType.BREACHED: (RESPONSIBLE, MANAGER),
    EventType.ESCALATED: (MANAGER, RESPONSIBLE),
    EventType.RESOLVED: (REQUESTER, WATCHER),
    EventType.REOPENED: (RESPONSIBLE,),
    EventType.CLOSED: (REQUESTER, RESPONSIBLE),
    EventType.RATED: (RESPONSIBLE,),
    EventType.RESUMED: (REQUESTER,),
    EventType.POLICY_CHANGED: (REQUESTER, RESPONSIBLE),
    EventType.STATUS_REQUEST_UNANSWERED: (MANAGER, RESPONSIBLE),
    # Costs are recorded for the audit trail and the reports, not mailed.
    EventType.COST_ADDED: (),
    EventType.COST_CORRECTED: (),
    EventType.LOSS_RECORDED: (),
    EventType.COMMENTED: (RESPONSIBLE,),
    # A bounce is shown on the ticket's page, where the responsible sees it: mailing it
    # could bounce again.
    EventType.DELIVERY_FAILED: (),
    EventType.DETAILS_COMPLETED: (RESPONSIBLE,),
    EventType.TRANSFERRED: (RESPONSIBLE,),  # the new one, with the ticket's facts
    EventType.CANCELLED: (REQUESTER, RESPONSIBLE, WATCHER),
    EventType.WATCHER_ADDED: (ADDED_WATCHER,),  # with the ticket's facts
    EventType.WATCHER_REMOVED: (),
    EventType.CLOSE_REMINDER: (REQUESTER,),
}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    locale: str
    role: str  # requester, responsible, manager or watcher: decides the link and the wording


def recipients_for(event: TicketEvent, ticket: Ticket, directory: Directory) -> list[Recipient]:
    found: dict[str, Recipient] = {}

    tell_actor = event.type is EventType.CREATED

    def add(party: Party | None, role: str) -> None:
        if party is None or party.email in found:
            return
        if tell_actor or party.email != event.actor:
            found[party.email] = Recipient(party.email, party.name, party.locale, role)

    candidates = [ticket.requester, ticket.responsible, *ticket.watchers]
    current, _ = directory.lookup({party.email for party in candidates if party}, [])

    def add_current(party: Party | None, role: str) -> None:
        """Name and language as the person has them now (the ticket keeps a snapshot)."""
        person = current.get(party.email) if party else None
        if person is not None and not person.active:
            return
        if person is not None:
            party = party.model_copy(update={"name": person.name, "locale": person.locale})
        add(party, role)

    for role in RULES[event.type]:
        if role == REQUESTER:
            add_current(ticket.requester, REQUESTER)
        elif role == RESPONSIBLE:
            add_current(ticket.responsible, RESPONSIBLE)
        elif role == WATCHER:
            for watcher in ticket.watchers:
                add_current(watcher, WATCHER)
        elif role == ADDED_WATCHER:
            for watcher in ticket.watchers:
                if watcher.email == event.data.get("watcher"):
                    add_current(watcher, WATCHER)
        elif role == MANAGER:
            for email in _managers(event, ticket, directory):
                people, _ = directory.lookup([email], [])
                person = people.get(email)
                if person is not None and person.active:
                    add(Party(email=person.email, name=person.name, locale=person.locale), MANAGER)
    return list(found.values())


def _managers(event: TicketEvent, ticket: Ticket, directory: Directory) -> list[str]:
    """Escalation names its target; a breach goes to the responsible department's head."""
    if event.type in (EventType.ESCALATED, EventType.STATUS_REQUEST_UNANSWERED):
        target = event.data.get("notify")
        return [target] if isinstance(target, str) and "@" in target else []
    department = directory.department(ticket.responsible_department_id)
    return [department.head] if department and department.head else []
