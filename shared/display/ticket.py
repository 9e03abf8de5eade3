"""A ticket's facts as a person reads them, in their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared import texts
from shared.domain.closing import auto_close_times
from shared.domain.organisation import Asset, FieldType, SlaPolicy
from shared.domain.ticket import Party, Status, Ticket
from shared.formatting import format_business_time, format_when
from shared.sla import BusinessCalendar, Pause, SlaClock

SYSTEM_ACTORS = ("helpdesk", "")


# The names of every status, priority and type, which pages, e-mails and the report show.
STATUSES = texts.N_(
    "status",
    "new",
    "assigned",
    "in_progress",
    "waiting_on_requester",
    "resolved",
    "closed",
    "cancelled",
)
PRIORITIES = texts.N_("priority", "critical", "high", "medium", "low")
TYPES = texts.N_("ui", "incident", "request")


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def resolution_clock(ticket: Ticket, calendar: BusinessCalendar) -> SlaClock:
    """The clock the SLA counts: business time from the start, waiting on the requester
    excluded."""
    pauses = [Pause(p.start, p.end) for p in ticket.pauses]
    return SlaClock(calendar, ticket.clock_started_at, pauses)


def elapsed(ticket: Ticket, calendar: BusinessCalendar, at: datetime, locale: str) -> str:
    """Business time net of pauses, with calendar time beside it."""
    business = resolution_clock(ticket, calendar).elapsed(at)
    wall = max(at - ticket.clock_started_at, timedelta(0))
    return texts.ui(
        "elapsed_value",
        locale,
        business=format_business_time(business),
        calendar=format_business_time(wall),
    )


def is_paused(ticket: Ticket) -> bool:
    return ticket.status == Status.WAITING_ON_REQUESTER and any(
        p.end is None for p in ticket.pauses
    )


def resolution_due(ticket: Ticket, calendar: BusinessCalendar, locale: str) -> str:
    """The resolution deadline, or that it is paused while the ticket waits on the requester."""
    if is_paused(ticket):
        return texts.ui("paused", locale)
    return format_when(ticket.resolution_due, calendar, locale)


def captured_fields(
    ticket: Ticket, policy: SlaPolicy | None, assets: dict[str, Asset], locale: str
) -> list[Fact]:
    """Every answer to the policy's capture format, labelled as the form asked it: choices by
    their label, assets by tag and name, numbers and dates as the reader writes them."""
    if policy is None:
        return [Fact(name, str(value)) for name, value in ticket.fields.items()]
    facts = []
    for capture in policy.capture_format:
        value = ticket.fields.get(capture.name)
        if value is None or value == "":
            continue
        facts.append(Fact(capture.label.get(locale), _value(capture, value, assets, locale)))
    known = {capture.name for capture in policy.capture_format}
    facts += [Fact(name, str(value)) for name, value in ticket.fields.items() if name not in known]
    return facts


def asset_tags(ticket: Ticket, policy: SlaPolicy | None) -> list[str]:
    """The assets a ticket's answers name (to look up their names once)."""
    if policy is None:
        return []
    return [
        str(ticket.fields[c.name])
        for c in policy.capture_format
        if c.type is FieldType.ASSET and ticket.fields.get(c.name)
    ]


def _value(capture, value: Any, assets: dict[str, Asset], locale: str) -> str:
    from babel.dates import format_date
    from babel.numbers import format_decimal

    babel_locale = locale.replace("-", "_")
    match capture.type:
        case FieldType.CHOICE:
            choice = next((c for c in capture.choices if c.value == value), None)
            return choice.label.get(locale) if choice else str(value)
        case FieldType.ASSET:
            asset = assets.get(str(value))
            return f"{value} — {asset.name}" if asset else str(value)
        case FieldType.NUMBER:
            return format_decimal(value, locale=babel_locale)
        case FieldType.DATE:
            try:
                return format_date(date.fromisoformat(str(value)), "medium", locale=babel_locale)
            except ValueError:
                return str(value)
    return str(value)


def written_text(event) -> str:
    """What the person who acted wrote with an entry (a response, a reason, a note)."""
    for key in ("text", "comment", "reason", "note"):
        if event.data.get(key):
            return str(event.data[key])
    return ""


def awaiting_upload(ticket: Ticket) -> list[str]:
    """Files the form announced that have not arrived (or not passed their checks) yet."""
    return [item.filename for item in ticket.attachments if item.status != "uploaded"]


def actor_name(actor: str, ticket: Ticket, names: dict[str, str], locale: str) -> str:
    """Who wrote an entry: a party of the ticket, a person of the directory, or the help desk."""
    if actor in SYSTEM_ACTORS or actor.startswith("intake:"):
        return texts.ui("helpdesk", locale)
    parties: list[Party | None] = [ticket.requester, ticket.responsible, *ticket.watchers]
    for party in parties:
        if party is not None and party.email == actor:
            return party.name
    return names.get(actor, actor)


class TicketFacts:
    """The directory's knowledge a reader needs: the policy's labels, assets' and people's
    names (read through the directory's cache)."""

    def __init__(self, directory) -> None:
        self._directory = directory

    def policy(self, ticket: Ticket) -> SlaPolicy | None:
        return self._directory.policy(ticket.policy_id, include_withdrawn=True)

    def closes_at(self, ticket: Ticket) -> datetime | None:
        """When a resolved ticket closes by itself (shared/domain/closing.py)."""
        policy = self.policy(ticket)
        calendar = self._directory.calendar(ticket.calendar_id)
        times = auto_close_times(ticket, policy, calendar) if policy and calendar else None
        return times[1] if times else None

    def captured(self, ticket: Ticket, locale: str) -> list[Fact]:
        policy = self.policy(ticket)
        tags = asset_tags(ticket, policy)
        assets = self._directory.lookup([], tags)[1] if tags else {}
        return captured_fields(ticket, policy, assets, locale)

    def pending(self, ticket: Ticket, locale: str) -> list[str]:
        """The labels of the required fields a ticket by e-mail still lacks."""
        policy = self.policy(ticket)
        labels = {c.name: c.label.get(locale) for c in policy.capture_format} if policy else {}
        return [labels.get(name, name) for name in ticket.pending_fields]

    def names(self, emails: set[str]) -> dict[str, str]:
        wanted = {email for email in emails if "@" in email}
        people = self._directory.lookup(wanted, [])[0] if wanted else {}
        return {email: person.name for email, person in people.items()}

    def why_told(self, event, ticket: Ticket, role: str, locale: str) -> str:
        """Why a manager receives a message no action of theirs caused (a breach goes to the
        responsible department's head)."""
        if role != "manager" or event.type != "breached":
            return ""
        department = self._directory.department(ticket.responsible_department_id)
        name = department.name if department else ticket.responsible_department_id
        return texts.ui("why_head", locale, department=name)

    def assignment_reason(self, event, ticket: Ticket, locale: str) -> str:
        """Why this person received the ticket, in words."""
        reason = event.data.get("reason")
        if reason == "asset_responsible" and ticket.asset is not None:
            asset = f"{ticket.asset.tag} — {ticket.asset.name}"
            return texts.ui("reason_asset_responsible", locale, asset=asset)
        policy = self.policy(ticket)
        if reason == "policy_default" and policy is not None:
            name = policy.name.get(locale)
            return texts.ui("reason_policy_default", locale, policy=name)
        return texts.ui("reason_other", locale)
