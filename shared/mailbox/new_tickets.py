"""A message to the help desk's address (or to an alias the organisation maps to a policy)
opens a ticket: the subject is its title, the text its description, the files its evidence.

Only for a known, active person of the directory: anyone else gets one answer pointing to the
form (at most three a day per address) and nothing is stored but a log line. The required
fields of the policy's capture format that a message cannot carry are left for the requester
to complete on the ticket's page (its e-mail says so, with the link). The SLA clock starts when
the message reached the mailbox, as for a form: the problem was reported then.

The ticket's id follows from the message's Message-ID (intake's idempotency), so a message
applied twice opens one ticket.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from pydantic import ValidationError

from shared.domain.ticket import Evidence, Ticket
from shared.errors import BadRequest
from shared.intake.schema import Submission
from shared.intake.service import ticket_id_for
from shared.log import get_logger, pseudonym
from shared.mail.inbound import REPLY_PREFIXES, InboundMail
from shared.mail.reply_address import ReplyAddresses
from shared.mailbox.replies import Answers, Files
from shared.media.received import Received, ReceivedFile
from shared.repositories.directory import Directory, person_of

log = get_logger("mailbox")
CLIENT = "email"  # the intake client a ticket by e-mail is opened as

TITLE = 200


class OpenTicket(Protocol):
    def __call__(
        self, submission: Submission, client_id: str, evidence: list[Evidence]
    ) -> tuple[Ticket, bool]: ...


@dataclass(frozen=True)
class NewTicketsByMail:
    addresses: ReplyAddresses
    directory: Directory
    open_ticket: OpenTicket  # shared/intake/service.py's, with missing fields allowed
    files: Files
    answers: Answers
    default_locale: Callable[[], str]

    def apply(self, key: str, mail: InboundMail) -> str:
        policy_id = self._policy_for(mail.recipients)
        if policy_id is None:
            return "ignored:no_policy"
        person = person_of(self.directory, mail.sender)
        if person is None or not person.active:
            log.info("mail from an unknown sender", extra={"sender": pseudonym(mail.sender)})
            self.answers.send(key, "mail_unknown_sender", mail, self.default_locale())
            return "answered:unknown_sender"
        policy = self.directory.policy(policy_id)
        if policy is None:
            log.error("the mail policy is withdrawn", extra={"policy": policy_id})
            return "ignored:no_policy"
        text = mail.text.strip()
        subject = REPLY_PREFIXES.sub("", mail.subject).strip()
        title = subject or (text.splitlines()[0] if text else "") or "E-mail"
        submission_id = "mail-" + hashlib.sha256(key.encode()).hexdigest()[:40]
        received = Received([], [])
        if mail.files:  # checked first: the ticket's first events carry them
            files = [ReceivedFile(f.filename, f.data) for f in mail.files]
            ticket_id = ticket_id_for(CLIENT, submission_id)
            received = self.files.receive(ticket_id, key, files, mail.sender)
        try:
            submission = Submission.model_validate(
                {
                    "submission_id": submission_id,
                    "source": "email",
                    "type": policy.type,
                    "policy": policy.id,
                    "title": title[:TITLE],
                    "description": text[:5000],
                    "requester": {"email": person.email},
                }
            )
            ticket, created = self.open_ticket(submission, CLIENT, received.evidence)
        except (ValidationError, BadRequest) as error:
            log.warning("mail could not open a ticket", extra={"error": str(error)[:300]})
            self.answers.send(key, "mail_refused", mail, person.locale, reason="not_now")
            return "answered:not_opened"
        if received.refused:
            names = ", ".join(r.filename for r in received.refused)
            link = (ticket.id, "requester")
            self.answers.send(
                key, "mail_files_refused", mail, person.locale, link, files=names, name=person.name
            )
        log.info("ticket opened by e-mail", extra={"ticket_id": ticket.id, "new": created})
        return "ticket:created" if created else "ticket:exists"

    def _policy_for(self, recipients: tuple[str, ...]) -> str | None:
        """An alias's policy, or the help desk address's (mail only to someone else: none)."""
        settings = self.directory.settings().mail
        for address in recipients:
            if address in settings.aliases:
                return settings.aliases[address]
        if any(self.addresses.is_mailbox(address) for address in recipients):
            return settings.policy
        return None
