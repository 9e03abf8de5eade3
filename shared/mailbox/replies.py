"""A reply to one of the help desk's messages becomes its sender's action on the ticket, through
the same service as the pages (shared/actions/service.py), keyed by the mail's Message-ID.

The reply address names the ticket, the role and the person it was sent to. From that person:
the requester's reply adds information (which ends a wait on them) or, on a resolved ticket,
reopens it; the responsible's is a response; a watcher's or a manager's, a comment. The files
it carries become evidence first (shared/media/received.py). Anything refused is answered once,
politely, in the person's language, with what to do instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared import texts
from shared.actions.service import Actor, Command, TicketActions
from shared.domain.organisation import Person
from shared.domain.ticket import CLOSED_STATUSES, Status, Ticket
from shared.errors import Refused
from shared.formatting import format_when
from shared.log import get_logger, pseudonym
from shared.mail.inbound import InboundMail
from shared.mail.reply_address import ReplyAddresses, ReplyToken
from shared.media.received import Received, ReceivedFile
from shared.pages import catalog
from shared.repositories.directory import Directory

log = get_logger("mailbox")


class Tickets(Protocol):
    def get(self, ticket_id: str) -> Ticket | None: ...


class Files(Protocol):
    def receive(self, ticket_id: str, key: str, files: list[ReceivedFile], by: str) -> Received: ...


class Answers(Protocol):
    """One polite answer per message (shared/mailbox/answers.py)."""

    def send(
        self,
        key: str,
        kind: str,
        mail: InboundMail,
        locale: str,
        link: tuple[str, str] | None = None,
        name: str | None = None,
        **values: object,
    ) -> None:
        """Answer `mail` with the text `kind`, greeting `name` (else the sender's display
        name); `link` is the (ticket id, role) of the page the person may open, signed for
        them."""
        ...


@dataclass(frozen=True)
class ReplyChannel:
    addresses: ReplyAddresses
    actions: TicketActions
    tickets: Tickets
    directory: Directory
    files: Files
    answers: Answers
    default_locale: Callable[[], str]

    def apply(self, key: str, mail: InboundMail, token: ReplyToken) -> str:
        ticket = self.tickets.get(token.ticket_id)
        if ticket is None:
            return "ignored:unknown_token"
        if not self.addresses.belongs(token, mail.sender):
            owner = self._owner(ticket, token)
            if owner is None:
                log.warning("reply with a token nobody was given", extra={"ticket_id": ticket.id})
                return "ignored:unknown_token"
            locale, name = self._reader(mail.sender, owner)
            self.answers.send(key, "mail_not_yours", mail, locale, name=name)
            return "answered:not_yours"
        locale, name = self._reader(mail.sender, None)

        def answer(kind: str, link: tuple[str, str] | None = None, **values: object) -> None:
            self.answers.send(key, kind, mail, locale, link, name, **values)

        actor = Actor(mail.sender, token.role)
        link = (ticket.id, token.role)
        if self.actions.role(ticket, actor) == "viewer":  # handed over since: nothing stored
            answer("mail_refused", reason="link_role_gone")
            return "answered:link_role_gone"
        action = _action(token.role, ticket)
        if action is None:
            answer("mail_ticket_closed", link, number=ticket.number)
            return "answered:closed"
        received = self.files.receive(
            ticket.id, key, [ReceivedFile(f.filename, f.data) for f in mail.files], mail.sender
        )
        text = mail.text or (texts.ui("mail_files_only", locale) if mail.files else "")
        if not text:
            answer("mail_empty", link)
            return "answered:empty"
        try:
            self._act(ticket, actor, action, key, text, received, locale)
        except Refused as refused:
            values = self._worded(refused.values, ticket, action, locale)
            answer("mail_refused", link, reason=refused.reason, **values)
            return f"answered:{refused.reason}"
        if received.refused:
            answer(
                "mail_files_refused", link, files=", ".join(r.filename for r in received.refused)
            )
        log.info(
            "reply applied",
            extra={"ticket_id": ticket.id, "action": action, "sender": pseudonym(mail.sender)},
        )
        return f"applied:{action}"

    def _act(
        self,
        ticket: Ticket,
        actor: Actor,
        action: str,
        key: str,
        text: str,
        received: Received,
        locale: str,
    ) -> None:
        uploads = ",".join(received.upload_ids)
        if action == "reopen":
            self.actions.act(Command(ticket.id, actor, "reopen", key, {"reason": text}, locale))
            if uploads:  # the files join the reopened ticket as information
                fields = {"text": text, "uploads": uploads}
                self.actions.act(Command(ticket.id, actor, "information", f"{key}#files", fields))
            return
        fields = {"text": text, "uploads": uploads}
        self.actions.act(Command(ticket.id, actor, action, key, fields, locale))

    def _worded(self, values: dict, ticket: Ticket, action: str, locale: str) -> dict:
        """A refusal's values as the person reads them: a field by its label, an instant in
        the ticket's calendar."""
        calendar = self.directory.calendar(ticket.calendar_id)
        worded = {}
        for name, value in values.items():
            if name == "field":
                value = catalog.field_label(str(value), action, locale)
            elif isinstance(value, datetime) and calendar is not None:
                value = format_when(value, calendar, locale)
            worded[name] = value
        return worded

    def _owner(self, ticket: Ticket, token: ReplyToken) -> str | None:
        """The person the token was made for, among those the ticket names in its role."""
        candidates: list[str] = []
        if token.role == "requester":
            candidates = [ticket.requester.email]
        elif token.role == "responsible" and ticket.responsible:
            candidates = [ticket.responsible.email]
        elif token.role == "watcher":
            candidates = [watcher.email for watcher in ticket.watchers]
        elif token.role == "manager":
            for department_id in (ticket.responsible_department_id, ticket.requester.department_id):
                department = self.directory.department(department_id or "")
                if department and department.head:
                    candidates.append(department.head)
        return next((c for c in candidates if self.addresses.belongs(token, c)), None)

    def _reader(self, sender: str, owner: str | None) -> tuple[str, str | None]:
        """The language and name the answer uses: the sender's when the directory knows them,
        else the token's person's language."""
        for email in (sender, owner):
            if email:
                people, _ = self.directory.lookup([email], [])
                person: Person | None = people.get(email)
                if person is not None:
                    return person.locale, person.name if email == sender else None
        return self.default_locale(), None


def _action(role: str, ticket: Ticket) -> str | None:
    """What a reply does, for the role it was sent to and the ticket as it is now (None: the
    ticket takes no more replies from that role)."""
    if ticket.status in CLOSED_STATUSES:
        return None
    if role == "requester":
        return "reopen" if ticket.status == Status.RESOLVED else "information"
    if role == "responsible":  # a note after the resolution, while it awaits confirmation
        return "comment" if ticket.status == Status.RESOLVED else "respond"
    return "comment"
