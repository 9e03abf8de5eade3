"""Sending e-mail: one message type, two transports (Gmail API and SMTP) behind one port."""

from shared.mail.message import Attachment, OutgoingMail
from shared.mail.transport import Mailer, PermanentMailError, TransientMailError

__all__ = ["Attachment", "Mailer", "OutgoingMail", "PermanentMailError", "TransientMailError"]
