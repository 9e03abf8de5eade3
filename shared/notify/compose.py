"""Compose the e-mail one recipient receives for one ticket event."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr
from pathlib import Path

from shared import texts
from shared.display.ticket import (
    TicketFacts,
    actor_name,
    awaiting_upload,
    elapsed,
    resolution_due,
    written_text,
)
from shared.domain.ticket import (
    CLOSED_STATUSES,
    EventType,
    Evidence,
    Status,
    Ticket,
    TicketEvent,
)
from shared.formatting import clock, format_business_time, format_when
from shared.links import LinkSigner, PersonalLinks
from shared.mail import Attachment, OutgoingMail
from shared.mail.reply_address import ReplyAddresses
from shared.mail.templates import mail_templates
from shared.notify.recipients import Recipient
from shared.sla import BusinessCalendar
from shared.storage.evidence import EvidenceStore

# Gmail refuses messages over 25 MB; base64 adds a third. Stay far below.
MAX_INLINE_IMAGE_BYTES = 3 * 1024 * 1024
MAX_ATTACHED_BYTES = 10 * 1024 * 1024
EVIDENCE_LINK_TTL = timedelta(days=7)
# Messages that introduce the ticket to someone: they carry its description and answers.
INTRODUCING_EVENTS = frozenset(
    {
        EventType.CREATED,
        EventType.ASSIGNED,
        EventType.ESCALATED,
        EventType.DETAILS_COMPLETED,
        EventType.TRANSFERRED,
        EventType.WATCHER_ADDED,
    }
)

_templates = mail_templates(Path(__file__).parent / "templates")


# Every mailed event has a subject and a first line, and every event a timeline's label (for
# `pybabel extract`; the costs' events are not mailed: shared/pages/catalog.py).
texts.N_(
    ("subject", "intro", "event"),
    "created",
    "assigned",
    "acknowledged",
    "responded",
    "waiting_on_requester",
    "information_added",
    "status_requested",
    "status_provided",
    "warning",
    "breached",
    "escalated",
    "resolved",
    "reopened",
    "closed",
    "rated",
    "resumed",
    "policy_changed",
    "status_request_unanswered",
    "commented",
    "details_completed",
    "transferred",
    "cancelled",
    "watcher_added",
    "close_reminder",
)
texts.N_("ui", "milestone_response", "milestone_resolution")
texts.N_("ui", "reply_hint_requester", "reply_hint_responsible", "reply_hint_manager")
texts.N_("ui", "reply_hint_watcher", "reply_hint_requester_resolved")
texts.N_("ui", "reply_hint_responsible_resolved", "unwatch_hint", "watcher_subject")
texts.N_("ui", "closes_unless", "reply_hint_closed")
# What a watcher reads instead of the requester's words (they confirm nothing).
WATCHER_INTROS = {
    EventType.RESPONDED,
    EventType.STATUS_PROVIDED,
    EventType.RESOLVED,
    EventType.CANCELLED,
}
texts.N_(
    "ui",
    "watcher_intro_responded",
    "watcher_intro_status_provided",
    "watcher_intro_resolved",
    "watcher_intro_cancelled",
)


@dataclass(frozen=True)
class Sender:
    email: str
    name: str
    domain: str  # Message-IDs are <...@domain>


@dataclass(frozen=True)
class EvidenceView:
    filename: str
    kind: str  # image, video or document
    content_id: str | None  # shown inline
    url: str | None  # downloaded through an expiring signed link
    duration: str | None = None  # a video's, as players show it (1:05)


class Composer:
    def __init__(
        self,
        sender: Sender,
        organisation_name: str,
        links: LinkSigner,
        evidence: EvidenceStore | None,
        link_ttl: timedelta,
        facts: TicketFacts,
        replies: ReplyAddresses | None = None,
        personal: PersonalLinks | None = None,
        console_url: str = "",
        leads: Callable[[str], bool] | None = None,
    ) -> None:
        self._sender, self._org, self._links = sender, organisation_name, links
        self._evidence, self._link_ttl, self._facts = evidence, link_ttl, facts
        self._replies = replies  # None: no mailbox reads the replies
        self._personal = personal  # the footer's link to the person's own lists
        self._console_url = console_url  # the managers' console, in their messages' footer
        self._leads = leads  # whether an address is a manager's or a department head's

    def message_id(self, event_doc_id: str, recipient: str) -> str:
        digest = hashlib.sha256(f"{event_doc_id}\x00{recipient}".encode()).hexdigest()[:32]
        return f"<{digest}@{self._sender.domain}>"

    def compose(
        self,
        event_doc_id: str,
        event: TicketEvent,
        ticket: Ticket,
        recipient: Recipient,
        calendar: BusinessCalendar,
    ) -> OutgoingMail:
        locale = recipient.locale
        when = lambda instant: format_when(instant, calendar, locale)  # noqa: E731
        milestone = event.data.get("milestone")
        due = _deadline_of(event, ticket)
        values = {
            "title": ticket.title,
            "responsible": ticket.responsible.name if ticket.responsible else "",
            "actor": actor_name(event.actor, ticket, self._facts.names({event.actor}), locale),
            "percent": event.data.get("percent", ""),
            "level": event.data.get("level", ""),
            "score": event.data.get("score", ""),
            "milestone": texts.ui(f"milestone_{milestone}", locale)
            if milestone in ("response", "resolution")
            else "",
            "due": when(due) if due else "",
            "left": format_business_time(calendar.between(event.at, due)) if due else "",
            "asked": when(_parse(event.data["asked_at"])) if event.data.get("asked_at") else "",
        }
        subject = f"[{ticket.number}] " + texts.text("subject", event.type, locale, **values)
        intro = texts.text("intro", event.type, locale, **values)
        if recipient.role == "watcher" and event.type in WATCHER_INTROS:  # not their ticket
            subject = f"[{ticket.number}] " + texts.ui("watcher_subject", locale, **values)
            intro = texts.ui(f"watcher_intro_{event.type}", locale, **values)
        attachments, evidence = self._evidence_views(event)
        introduces = event.type in INTRODUCING_EVENTS
        context = {
            "t": lambda key, **kw: texts.ui(key, locale, **kw),
            "locale": locale,
            "recipient": recipient,
            "intro": intro,
            "why": self._facts.why_told(event, ticket, recipient.role, locale),
            "closing": self._closing(event, ticket, recipient.role, when, locale),
            "event_text": _event_text(event, ticket, self._facts, locale),
            "description": ticket.description if introduces else "",
            "facts": self._facts.captured(ticket, locale) if introduces else [],
            "awaiting": awaiting_upload(ticket) if introduces else [],
            "pending": self._facts.pending(ticket, locale) if recipient.role == "requester" else [],
            "ticket": ticket,
            "type_label": texts.ui(ticket.type, locale),
            "status_label": texts.text("status", ticket.status, locale),
            "priority_label": texts.text("priority", ticket.priority, locale),
            "response_due": when(ticket.response_due),
            "resolution_due": resolution_due(ticket, calendar, locale),
            "elapsed": elapsed(ticket, calendar, event.at, locale),
            "latest": _latest_response(event, ticket),
            "latest_at": when(ticket.last_response.at) if ticket.last_response else "",
            "evidence": evidence,
            "link": self._links.url(ticket.id, recipient.email, recipient.role),
            "link_days": self._link_ttl.days,
            "evidence_days": EVIDENCE_LINK_TTL.days,
            "org": self._org,
            "subject": subject,
            "reply_marker": texts.ui("reply_marker", locale) if self._replies else "",
            "reply_hint": texts.ui(_reply_hint(recipient.role, ticket), locale),
            "lists_link": self._personal.url(recipient.email) if self._personal else "",
            "console_link": self._console_url
            if recipient.role == "manager" or (self._leads and self._leads(recipient.email))
            else "",
            "unwatch_link": self._links.url(ticket.id, recipient.email, recipient.role) + "#unwatch"
            if recipient.role == "watcher"
            else "",
        }
        headers = {"X-Helpdesk-Ticket": ticket.number or ticket.id, "X-Helpdesk-Event": event.type}
        if self._replies is not None:
            reply_to = self._replies.address(ticket.id, recipient.role, recipient.email)
            headers["Reply-To"] = formataddr((self._sender.name, reply_to))
        return OutgoingMail(
            sender=self._sender.email,
            sender_name=self._sender.name,
            to=recipient.email,
            to_name=recipient.name,
            subject=subject,
            text=_templates.get_template("message.txt").render(context),
            html=_templates.get_template("message.html").render(context),
            message_id=self.message_id(event_doc_id, recipient.email),
            thread_id=f"<ticket-{ticket.id}@{self._sender.domain}>",
            sent_at=event.at,
            attachments=tuple(attachments),
            headers=headers,
        )

    def _closing(self, event: TicketEvent, ticket: Ticket, role: str, when, locale: str) -> str:
        """The requester of a resolved ticket reads when it closes if they do not answer."""
        if event.type != EventType.RESOLVED or role != "requester":
            return ""
        closes_at = self._facts.closes_at(ticket)
        return texts.ui("closes_unless", locale, when=when(closes_at)) if closes_at else ""

    def _evidence_views(self, event: TicketEvent) -> tuple[list[Attachment], list[EvidenceView]]:
        """The files of the event this message reports, never an earlier event's."""
        items = [Evidence.model_validate(item) for item in event.data.get("evidence") or []]
        attachments: list[Attachment] = []
        views: list[EvidenceView] = []
        budget = MAX_ATTACHED_BYTES
        for index, item in enumerate(items):
            kind = (
                item.content_type.split("/")[0]
                if item.content_type.split("/")[0] in ("image", "video")
                else "document"
            )
            if self._evidence is None:
                continue
            source = item.thumbnail_object or item.object_name
            duration = clock(item.duration_seconds) if item.duration_seconds else None
            # an image's thumbnail, or a video's poster frame linking to the video
            small = (item.is_image or item.is_video) and (
                item.thumbnail_object or (item.is_image and item.size <= MAX_INLINE_IMAGE_BYTES)
            )
            if small:
                data = self._evidence.read(source)
                if len(data) <= budget:
                    budget -= len(data)
                    content_id = f"evidence-{index}@helpdesk"
                    content_type = "image/jpeg" if item.thumbnail_object else item.content_type
                    # A thumbnail is a JPEG whatever the original was: its name says so.
                    name = (
                        item.filename.rsplit(".", 1)[0] + ".jpg"
                        if item.thumbnail_object
                        else item.filename
                    )
                    attachments.append(Attachment(name, content_type, data, content_id))
                    url = self._evidence.signed_url(item.object_name, EVIDENCE_LINK_TTL)
                    views.append(EvidenceView(item.filename, kind, content_id, url, duration))
                    continue
            views.append(
                EvidenceView(
                    item.filename,
                    kind,
                    None,
                    self._evidence.signed_url(item.object_name, EVIDENCE_LINK_TTL),
                    duration,
                )
            )
        return attachments, views


def _reply_hint(role: str, ticket: Ticket) -> str:
    """What a reply to this message will do (a resolved ticket's requester reopens it)."""
    if role == "requester" and ticket.status == Status.RESOLVED:
        return "reply_hint_requester_resolved"
    if role == "responsible" and ticket.status == Status.RESOLVED:
        return "reply_hint_responsible_resolved"  # a note: the ticket awaits confirmation
    if ticket.status in CLOSED_STATUSES:
        return "reply_hint_closed"  # a reply changes nothing any more
    return f"reply_hint_{role}"


def _parse(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _deadline_of(event: TicketEvent, ticket: Ticket) -> datetime | None:
    """The deadline a warning, breach or escalation speaks of (a warning's `due` is the
    instant the warning fell due; events written before `deadline` existed use the ticket's)."""
    if event.type == EventType.CLOSE_REMINDER:
        return _parse(event.data["closes_at"]) if event.data.get("closes_at") else None
    if event.type not in (EventType.WARNING, EventType.BREACHED, EventType.ESCALATED):
        return None
    if event.data.get("deadline"):
        return _parse(event.data["deadline"])
    if event.type == EventType.WARNING:
        milestone = event.data.get("milestone")
        return ticket.response_due if milestone == "response" else ticket.resolution_due
    return _parse(event.data["due"]) if event.data.get("due") else None


def _event_text(event: TicketEvent, ticket: Ticket, facts: TicketFacts, locale: str) -> str:
    """What the person who acted wrote, or why this recipient receives the ticket."""
    if event.type == EventType.ASSIGNED:
        return facts.assignment_reason(event, ticket, locale)
    if event.type == EventType.CLOSED and event.data.get("auto"):
        return texts.ui("auto_closed_text", locale, days=event.data.get("days") or 3)
    if event.type == EventType.CLOSE_REMINDER:
        return texts.ui("close_reminder_text", locale, days=event.data.get("days") or 3)
    if event.type == EventType.CANCELLED and event.data.get("original"):
        number = event.data["original"]
        if event.data.get("original_title"):
            number = f"{number} — {event.data['original_title']}"
        original = texts.ui("duplicate_of", locale, number=number)
        return f"{written_text(event)}\n\n{original}"
    return written_text(event)


def _latest_response(event: TicketEvent, ticket: Ticket):
    """The latest response, unless this message is that response (never say it twice)."""
    latest = ticket.last_response
    if latest is None or event.type in (EventType.RESPONDED, EventType.RESOLVED):
        return None
    if latest.at == event.at and latest.by == event.actor:
        return None
    return latest
