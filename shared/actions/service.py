"""Acting on a ticket, whichever channel the person uses (a page, a reply by e-mail, the
console): the one way an action is checked, decided and written.

The channel says who acts and in which role it reached them (`Actor`), the action and what
they typed (`fields`), and an idempotency key of its own (a form's nonce, a mail's message id,
a console request's id). The service checks the person against the directory and the role
against the ticket as it is now, decides, and writes the change in one guarded write; the same
key applied again changes nothing. It answers an `Outcome` or raises a `Refused` (see
shared/errors.py) whose reason the channel words in the person's language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from shared.actions import access
from shared.actions.inputs import Fields, decision, upload_ids
from shared.actions.ports import Context, TicketStore
from shared.domain.change import Change, Decide
from shared.domain.ticket import Ticket
from shared.errors import NotAllowedNow, NotPermitted, UnknownAction
from shared.repositories.directory import person_of

KEPT_KEYS = 50  # the keys of a ticket's latest actions: a channel's retry comes soon
KEPT_UPLOADS = 200  # above a ticket's upload quota: every upload it ever used


@dataclass(frozen=True)
class Actor:
    """A person as a channel vouches for them: their address and the role it reached them in
    (requester, responsible or manager)."""

    email: str
    role: str


@dataclass(frozen=True)
class Command:
    ticket_id: str
    actor: Actor
    action: str
    key: str  # the channel's idempotency key: the same key twice applies once
    fields: Fields = field(default_factory=dict)
    locale: str = "pt-BR"  # how the person writes numbers ("1.250" or "1,250")


@dataclass(frozen=True)
class Outcome:
    ticket: Ticket  # the ticket as the decision saw it, before the change
    change: Change | None  # None: nothing to do (the key was applied already, or no-op)


class TicketActions:
    def __init__(self, tickets: TicketStore, ctx: Context, now: Callable[[], datetime]) -> None:
        self._tickets, self._ctx, self._now = tickets, ctx, now

    def role(self, ticket: Ticket, actor: Actor) -> str:
        """The role the actor holds on the ticket now (viewer: none)."""
        return access.page_role(ticket, actor, self._ctx.directory)

    def may_edit_costs(self, ticket: Ticket, actor: Actor) -> bool:
        role = self.role(ticket, actor)
        return access.may_edit_costs(ticket, role, actor.email, self._ctx.directory)

    def act(self, command: Command) -> Outcome:
        if command.action not in access.ACTIONS:
            raise UnknownAction("unknown_action")
        ticket = self._tickets.get(command.ticket_id)
        if ticket is None:
            raise NotPermitted("link_invalid", "no such ticket")
        self._check(ticket, command)
        now = self._now()
        actor = command.actor
        decide = decision(
            command.action, ticket, actor.email, command.fields, now, self._ctx, command.locale
        )
        guarded = self._once(command, decide, upload_ids(command.fields))
        before, change = self._tickets.apply(ticket.id, guarded, now)
        if before is None:
            raise NotPermitted("link_invalid", "no such ticket")
        return Outcome(before, change)

    def _check(self, ticket: Ticket, command: Command) -> None:
        """The person is active in the directory (or is the ticket's guest requester) and holds
        a role on the ticket now that may take the action."""
        person = person_of(self._ctx.directory, command.actor.email)
        if not access.may_open(ticket, command.actor, person):
            raise NotPermitted("link_person_inactive", "the person is not active")
        role = self.role(ticket, command.actor)
        if role == "viewer":
            raise NotPermitted("link_role_gone", "the person no longer holds the role")
        if not access.may_act(
            command.action, ticket, role, command.actor.email, self._ctx.directory
        ):
            raise NotPermitted("wrong_role", "the role may not take this action")

    def _once(self, command: Command, decide: Decide, uploads: list[str]) -> Decide:
        return applied_once(
            command.key, decide, uploads, lambda ticket: self._check(ticket, command)
        )


def applied_once(
    key: str,
    decide: Decide,
    uploads: Sequence[str] = (),
    check: Callable[[Ticket], None] | None = None,
) -> Decide:
    """Apply the decision unless this key was applied already, after `check` on the ticket as
    it is when written (the actor still holds their role); the files it brings join one action
    only (another action naming the same upload ids is refused)."""
    kept = key_of(key)

    def once(ticket: Ticket) -> Change | None:
        if kept in ticket.form_nonces:
            return None
        if check is not None:
            check(ticket)
        if set(uploads) & set(ticket.attached_uploads):
            raise NotAllowedNow("these files belong to another entry already", "files_used")
        change = decide(ticket)
        if change is not None:
            change.updates["form_nonces"] = [*ticket.form_nonces[-(KEPT_KEYS - 1) :], kept]
            if uploads:
                attached = [*ticket.attached_uploads, *uploads]
                change.updates["attached_uploads"] = attached[-KEPT_UPLOADS:]
        return change

    return once


def key_of(key: str) -> str:
    """A channel's key as the ticket keeps it: short keys as they are (a form's nonce), long
    ones (a mail's message id) by their digest."""
    if len(key) <= 64:
        return key
    return "h:" + hashlib.sha256(key.encode()).hexdigest()[:40]
