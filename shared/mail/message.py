"""An outgoing message and its MIME form (multipart: text, HTML, inline images, attachments)."""

from __future__ import annotations

import email.policy
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from shared.domain.text import one_line


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None  # set: shown inline in the HTML part (cid:...)


@dataclass(frozen=True)
class OutgoingMail:
    sender: str
    sender_name: str
    to: str
    to_name: str
    subject: str
    text: str
    html: str
    message_id: str  # deterministic: a resent copy carries the same id
    thread_id: str  # the ticket's thread: replies and updates group together
    sent_at: datetime
    attachments: tuple[Attachment, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)

    def to_mime(self) -> EmailMessage:
        # Python folds a long subject onto a continuation line, which readers show with a
        # leading space; 998 is the real limit of a header line.
        mime = EmailMessage(policy=email.policy.SMTP.clone(max_line_length=998))
        # Names and subjects carry people's text: one line each, whatever they contain.
        mime["From"] = formataddr((one_line(self.sender_name), self.sender))
        mime["To"] = formataddr((one_line(self.to_name), self.to))
        mime["Subject"] = one_line(self.subject)
        mime["Date"] = format_datetime(self.sent_at)
        mime["Message-ID"] = self.message_id
        mime["References"] = self.thread_id
        mime["In-Reply-To"] = self.thread_id
        mime["Auto-Submitted"] = "auto-generated"
        for name, value in self.headers.items():
            mime[name] = one_line(value)
        mime.set_content(self.text)
        mime.add_alternative(self.html, subtype="html")
        html_part = mime.get_payload()[1]
        for item in self.attachments:
            maintype, subtype = item.content_type.split("/", 1)
            if item.content_id:
                html_part.add_related(
                    item.data,
                    maintype=maintype,
                    subtype=subtype,
                    cid=f"<{item.content_id}>",
                    disposition="inline",  # shown in the message, not listed as a file
                    filename=item.filename,
                )
            else:
                mime.add_attachment(
                    item.data, maintype=maintype, subtype=subtype, filename=item.filename
                )
        return mime
