"""One message of the help desk's mailbox, applied: a reply to a ticket, a bounce, a new
ticket, or nothing (and never an answer to anything automatic).

Loops and forgeries stop here, before anything is read into a ticket: the help desk's own
messages, auto-replies, mailing lists and system mail change nothing and are never answered;
a message whose DMARC or DKIM verdict fails is not trusted, whatever its From says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from shared.log import get_logger, pseudonym
from shared.mail.inbound import Bounce, InboundMail, parse
from shared.mail.reply_address import ReplyAddresses
from shared.mailbox.replies import ReplyChannel

log = get_logger("mailbox")


class Bounces(Protocol):
    def record(self, bounce: Bounce) -> bool:
        """Mark the bounced message's delivery failed on its ticket; False when the bounce is
        of no message the help desk sent."""
        ...


class NewMail(Protocol):
    """A message with no reply token: a new ticket from a known person, or an answer."""

    def apply(self, key: str, mail: InboundMail) -> str: ...


@dataclass(frozen=True)
class MailboxService:
    addresses: ReplyAddresses
    own_addresses: frozenset[str]  # the help desk's sending address(es)
    replies: ReplyChannel
    bounces: Bounces
    new_mail: NewMail | None = None

    def apply(self, raw: bytes) -> str:
        """What the message did (logged, and kept on its claim)."""
        mail = parse(raw)
        outcome = self._apply(mail)
        log.info(
            "mail applied",
            extra={"outcome": outcome, "sender": pseudonym(mail.sender) if mail.sender else ""},
        )
        return outcome

    def _apply(self, mail: InboundMail) -> str:
        if mail.sender in self.own_addresses or self.addresses.is_mailbox(mail.sender):
            return "ignored:own"
        if mail.bounce is not None:
            return "bounce:recorded" if self.bounces.record(mail.bounce) else "bounce:unknown"
        if mail.automatic:
            return f"ignored:{mail.automatic}"
        if not mail.sender:
            return "ignored:no_sender"
        if mail.authentication_failed:
            return "ignored:untrusted"
        token = self.addresses.token_in(list(mail.recipients))
        if token is not None:
            return self.replies.apply(mail.message_id, mail, token)
        if self._answers_the_help_desk(mail):
            # a reply to an answer (which carries no token), or to a message whose reply
            # address the client dropped: no new ticket, and no answer to an answer
            return "ignored:reply_to_help_desk"
        if self.new_mail is None:
            return "ignored:no_token"
        return self.new_mail.apply(mail.message_id, mail)

    def _answers_the_help_desk(self, mail: InboundMail) -> bool:
        domain = re.escape(self.addresses.mailbox.rpartition("@")[2])
        own = re.compile(rf"<(?:[0-9a-f]{{32}}|ticket-[0-9a-f]{{24}})@{domain}>", re.IGNORECASE)
        return any(own.fullmatch(reference) for reference in mail.references)
