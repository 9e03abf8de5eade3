"""The colleagues who follow a ticket: the requester or the responsible adds one; a watcher
stops following from the link in their e-mail. Watchers are told of responses, status news
and the resolution, and may comment."""

from __future__ import annotations

from datetime import datetime

from shared.actions.parties import party_of
from shared.domain.change import Change, Decide
from shared.domain.organisation import Person
from shared.domain.ticket import CLOSED_STATUSES, EventType, Ticket
from shared.errors import InvalidInput, NotAllowedNow
from shared.repositories.directory import Directory, person_of

MAX_WATCHERS = 10


def colleague(typed: str, directory: Directory) -> Person:
    """The active person of the directory a typed address names (InvalidInput otherwise)."""
    email = typed.strip().lower()
    if not email:
        raise InvalidInput("required", field="email")
    person = person_of(directory, email)
    if person is None or not person.active:
        raise InvalidInput("watcher_unknown", field="email")
    return person


def add_watcher(who: str, person: Person, directory: Directory, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if ticket.status in CLOSED_STATUSES:
            raise NotAllowedNow("the ticket is closed")
        if any(w.email == person.email for w in ticket.watchers):
            return None
        parties = {ticket.requester.email, ticket.responsible.email if ticket.responsible else ""}
        if person.email in parties:
            raise InvalidInput("watcher_already_party", field="email")
        if len(ticket.watchers) >= MAX_WATCHERS:
            raise InvalidInput("watchers_full", field="email", limit=MAX_WATCHERS)
        party = party_of(person, directory)
        watchers = [w.model_dump() for w in ticket.watchers] + [party.model_dump()]
        data = {"watcher": person.email}
        return Change({"watchers": watchers}, [(EventType.WATCHER_ADDED, who, data)])

    return decide


def remove_watcher(who: str, now: datetime) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        kept = [w.model_dump() for w in ticket.watchers if w.email != who]
        if len(kept) == len(ticket.watchers):
            return None
        return Change({"watchers": kept}, [(EventType.WATCHER_REMOVED, who, {"watcher": who})])

    return decide
