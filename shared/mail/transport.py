"""The mailer port and the errors that tell a retry from a give-up."""

from __future__ import annotations

from typing import Protocol

from shared.mail.message import OutgoingMail


class TransientMailError(Exception):
    """The mail service is down or busy: retrying later can succeed."""


class PermanentMailError(Exception):
    """The message can never be delivered as it is (invalid address, refused content)."""


class Mailer(Protocol):
    name: str

    def send(self, mail: OutgoingMail) -> str:
        """Send, returning the transport's message id; raise one of the two errors above."""
        ...

    def already_sent(self, mail: OutgoingMail) -> bool:
        """Whether a message with this Message-ID already left (False when it cannot tell)."""
        ...
