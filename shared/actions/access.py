"""Who may take which action on a ticket, from any channel.

A channel vouches for a person and the role it reached them in (a page's link names one
ticket, one person and one role; a reply's address does the same). The person acts only while
they still hold that role on the ticket (a link of a former responsible shows the ticket but
acts no more).
The head of the responsible department reaches the ticket with a manager's link (breaches,
escalations, the SLA report) and may record its expenses and loss as the responsible does.
"""

from __future__ import annotations

from typing import Protocol

from shared.domain.organisation import Person
from shared.domain.ticket import Ticket
from shared.repositories.directory import person_of

# action -> the roles that may take it
ACTIONS: dict[str, frozenset[str]] = {
    "status-request": frozenset({"requester"}),
    "information": frozenset({"requester"}),
    "confirm": frozenset({"requester"}),
    "reopen": frozenset({"requester"}),
    "rate": frozenset({"requester"}),
    "status": frozenset({"responsible"}),
    "acknowledge": frozenset({"responsible"}),
    "respond": frozenset({"responsible"}),
    "wait": frozenset({"responsible"}),
    "resume": frozenset({"responsible"}),
    "resolve": frozenset({"responsible"}),
    "cost": frozenset({"responsible", "manager"}),
    "correct-cost": frozenset({"responsible", "manager"}),
    "loss": frozenset({"responsible", "manager"}),
    "comment": frozenset({"manager", "watcher", "responsible"}),
    "details": frozenset({"requester"}),
    "policy": frozenset({"manager"}),
    "transfer": frozenset({"responsible", "manager"}),
    "cancel": frozenset({"requester", "responsible", "manager"}),
    "watch": frozenset({"requester", "responsible"}),
    "unwatch": frozenset({"watcher"}),
}
COST_ACTIONS = frozenset({"cost", "correct-cost", "loss"})


class Claimed(Protocol):
    """Who a channel vouches for: a person's address and the role it reached them in."""

    @property
    def email(self) -> str: ...

    @property
    def role(self) -> str: ...


def page_role(ticket: Ticket, claims: Claimed, directory) -> str:
    """The role the link's person holds on the ticket now: requester, responsible, manager,
    or viewer (who reads and does nothing)."""
    if claims.role == "requester" and ticket.requester.email == claims.email:
        return "requester"
    responsible = ticket.responsible.email if ticket.responsible else None
    if claims.role == "responsible" and responsible == claims.email:
        return "responsible"
    if claims.role == "manager" and _oversees(ticket, claims.email, directory):
        return "manager"
    if claims.role == "watcher" and any(w.email == claims.email for w in ticket.watchers):
        return "watcher"
    return "viewer"


def may_open(ticket: Ticket, claims: Claimed, person: Person | None) -> bool:
    """A link opens its page while its person is active in the directory (or is the ticket's
    guest requester, who is in no directory) and still holds the link's role on the ticket."""
    guest = ticket.requester.guest and ticket.requester.email == claims.email
    if person is None and not guest:
        return False
    return guest or (person is not None and person.active)


def may_edit_costs(ticket: Ticket, role: str, email: str, directory) -> bool:
    """The responsible, and the head of the responsible department."""
    if role == "responsible":
        return True
    department = directory.department(ticket.responsible_department_id)
    return role == "manager" and department is not None and department.head == email


def may_change_policy(ticket: Ticket, role: str, email: str, directory) -> bool:
    """The head of the responsible department, or a manager of the organisation."""
    if role != "manager":
        return False
    department = directory.department(ticket.responsible_department_id)
    if department is not None and department.head == email:
        return True
    person = person_of(directory, email)
    return person is not None and person.active and person.role == "manager"


def may_act(action: str, ticket: Ticket, role: str, email: str, directory) -> bool:
    if role not in ACTIONS.get(action, ()):
        return False
    if action == "policy" or (action in ("transfer", "cancel") and role == "manager"):
        return may_change_policy(ticket, role, email, directory)
    if action in COST_ACTIONS:
        return may_edit_costs(ticket, role, email, directory)
    return True


def _oversees(ticket: Ticket, email: str, directory) -> bool:
    """The help desk signed this manager's link itself (a breach, an escalation, the report):
    it reads the ticket while its person is active in the directory."""
    person = person_of(directory, email)
    return person is not None and person.active
