"""The one polite answer a person gets when their message changed nothing: what happened and
what to do instead, in their language, threaded under their message.

Each answer is sent once per message (the deliveries' claim, keyed by the message's
Message-ID), and at most `PER_DAY` of one kind a day to one address, so that two mail systems
answering each other stop at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from shared import texts
from shared.links import LinkSigner
from shared.log import get_logger, pseudonym
from shared.mail import Mailer, OutgoingMail
from shared.mail.inbound import REPLY_PREFIXES, InboundMail
from shared.mail.templates import mail_templates

log = get_logger("mailbox")

_templates = mail_templates(Path(__file__).parent / "templates")

texts.N_(
    "ui",
    "mail_not_yours",
    "mail_ticket_closed",
    "mail_empty",
    "mail_refused",
    "mail_files_refused",
    "mail_unknown_sender",
    "mail_unknown_sender_no_form",
    "mail_answer_subject",
    "mail_files_only",
)


class AnswerRecords(Protocol):
    """shared/repositories/mail_messages.py"""

    def allow(self, sender: str, kind: str, key: str, now: datetime) -> bool:
        """Whether this message may be answered (its sender's allowance of the day)."""
        ...

    def deliver(self, key: str, mail: OutgoingMail, mailer: Mailer) -> None:
        """Send once for the message `key`."""
        ...


class MailAnswers:
    def __init__(
        self,
        records: AnswerRecords,
        mailer: Mailer,
        links: LinkSigner,
        sender: tuple[str, str],  # address, name
        organisation: Callable[[], str],
        form_url: str | None,
        now: Callable[[], datetime],
    ) -> None:
        self._records, self._mailer, self._links = records, mailer, links
        self._sender, self._organisation, self._form_url, self._now = (
            sender,
            organisation,
            form_url,
            now,
        )

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
        now = self._now()
        if not self._records.allow(mail.sender, kind, key, now):
            log.info("answer withheld: the day's allowance is spent", extra={"kind": kind})
            return
        answer = self.compose(key, kind, mail, locale, link, now, name, **values)
        self._records.deliver(key, answer, self._mailer)
        log.info("answered", extra={"kind": kind, "to": pseudonym(mail.sender)})

    def _worded(self, kind: str) -> str:
        """The unknown sender's answer names the form only where the organisation has one."""
        if kind == "mail_unknown_sender" and not self._form_url:
            return "mail_unknown_sender_no_form"
        return kind

    def compose(
        self,
        key: str,
        kind: str,
        mail: InboundMail,
        locale: str,
        link: tuple[str, str] | None,
        now: datetime,
        name: str | None = None,
        **values: object,
    ) -> OutgoingMail:
        t = lambda key, **kw: texts.ui(key, locale, **kw)  # noqa: E731
        reason = ""
        if kind == "mail_refused":
            found = str(values.pop("reason", ""))
            reason = t(found, **values) if texts.has("ui", found) else ""
        original = REPLY_PREFIXES.sub("", mail.subject).strip()
        subject = f"Re: {original}" if original else t("mail_answer_subject")
        context = {
            "t": t,
            "locale": locale,
            "name": name or mail.sender_name or mail.sender,
            "text": t(self._worded(kind), **values),
            "reason": reason,
            "link": self._links.url(link[0], mail.sender, link[1]) if link else None,
            "form_url": self._form_url if kind == "mail_unknown_sender" else None,
            "org": self._organisation(),
            "subject": subject,
        }
        address, name = self._sender
        digest = hashlib.sha256(f"{key}\x00answer".encode()).hexdigest()[:32]
        domain = address.rpartition("@")[2] or "helpdesk"
        return OutgoingMail(
            sender=address,
            sender_name=name,
            to=mail.sender,
            to_name=mail.sender_name,
            subject=subject,
            text=_templates.get_template("answer.txt").render(context),
            html=_templates.get_template("answer.html").render(context),
            message_id=f"<{digest}@{domain}>",
            thread_id=mail.message_id,
            sent_at=now,
            headers={"X-Helpdesk-Answer": kind},
        )
