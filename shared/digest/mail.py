"""The digest as an e-mail, in the person's language: a text and an HTML part."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from babel.dates import format_date

from shared import texts
from shared.digest.content import Digest
from shared.links import PersonalLinks
from shared.mail import OutgoingMail
from shared.mail.templates import mail_templates

_templates = mail_templates(Path(__file__).parent / "templates")


class DigestMail:
    def __init__(
        self,
        sender: tuple[str, str],
        organisation: Callable[[], str],
        personal: PersonalLinks,
        console_url: str = "",
    ) -> None:
        self._sender, self._org, self._personal = sender, organisation, personal
        self._console_url = console_url

    def compose(self, digest: Digest, key: str, now: datetime) -> OutgoingMail:
        person = digest.person
        locale = person.locale
        day = format_date(digest.day, format="long", locale=locale.replace("-", "_"))
        subject = texts.ui("digest_subject", locale, day=day)
        lists = self._personal.url(person.email)
        context = {
            "t": lambda key, **kw: texts.ui(key, locale, **kw),
            "locale": locale,
            "digest": digest,
            "day": day,
            "subject": subject,
            "lists_link": lists,
            "off_link": lists + "#digest",
            "console_link": self._console_url if digest.leads else "",
            "org": self._org(),
        }
        domain = self._sender[0].rpartition("@")[2] or "helpdesk.local"
        return OutgoingMail(
            sender=self._sender[0],
            sender_name=self._sender[1],
            to=person.email,
            to_name=person.name,
            subject=subject,
            text=_templates.get_template("digest.txt").render(context),
            html=_templates.get_template("digest.html").render(context),
            message_id=f"<digest-{key}@{domain}>",
            thread_id=f"<digest-{key}@{domain}>",
            sent_at=now,
            headers={
                "X-Helpdesk-Digest": digest.day.isoformat(),
                "Auto-Submitted": "auto-generated",
            },
        )
