"""What a ticket's page shows to the person whose link it is: the ticket, its description and
answers, its history with who wrote each entry, and the forms of their role."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from shared import texts
from shared.actions.access import ACTIONS
from shared.actions.costs import costs_editable
from shared.actions.details import pending_inputs
from shared.actions.inputs import LIMITS
from shared.display.ticket import (
    TicketFacts,
    actor_name,
    awaiting_upload,
    elapsed,
    is_paused,
    resolution_due,
    written_text,
)
from shared.domain.costs import CostLine, Loss
from shared.domain.ticket import OPEN_STATUSES, EventType, Evidence, Ticket, TicketEvent
from shared.formatting import clock, format_business_time, format_when
from shared.pages import catalog

EVIDENCE_LINK_TTL = timedelta(hours=1)  # a page is read now; links in e-mails last longer
TIMELINE_PAGE = 50  # entries a page reads at once; older ones behind a link
RATING_LABELS = texts.N_("ui", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5")


def ticket_context(
    ticket: Ticket,
    role: str,
    token: str,
    locale: str,
    app: Any,
    *,
    notice: dict | None = None,
    typed: dict[str, dict[str, str]] | None = None,
    may_edit_costs: bool = False,
    before: int | None = None,
    may_change_policy: bool = False,
) -> dict:
    """Everything ticket.html needs. `typed`: what the person typed in a refused form (per
    action), shown again so that nothing is lost."""
    calendar = app.directory.calendar(ticket.calendar_id)
    facts = TicketFacts(app.directory)
    now = app.now()
    t = lambda key, **kw: texts.ui(key, locale, **kw)  # noqa: E731
    events, older = app.tickets.latest_events(ticket.id, TIMELINE_PAGE, before)
    return {
        "locale": locale,
        "t": t,
        "ticket": ticket,
        "role": role,
        "console_url": app.config.console_url if role == "manager" else "",  # back to it
        "base": f"/t/{token}",
        "notice": notice,
        "typed": typed or {},
        "kept_files": _kept_files(ticket, typed or {}, app),
        "timeline": _timeline(ticket, _shown_to(role, events), calendar, locale, facts, app),
        "older": f"?before={events[0].seq}" if older and events else "",
        "facts": facts.captured(ticket, locale),
        "awaiting": awaiting_upload(ticket),
        "type_label": texts.ui(ticket.type, locale),
        "status_label": texts.text("status", ticket.status, locale),
        "priority_label": texts.text("priority", ticket.priority, locale),
        "response_due": format_when(ticket.response_due, calendar, locale),
        "resolution_due": resolution_due(ticket, calendar, locale),
        "paused": is_paused(ticket),
        "elapsed": elapsed(ticket, calendar, _clock_end(ticket, now), locale),
        "breaches": _breaches(ticket, calendar, locale),
        "pending_since": format_when(ticket.status_requested_at, calendar, locale)
        if ticket.status_request_pending and ticket.status_requested_at
        else "",
        "forms": {action: app.forms.issue(token, action) for action in ACTIONS},
        "is_open": ticket.status in OPEN_STATUSES,
        "show_costs": role in ("responsible", "manager")
        and not (ticket.status == "cancelled" and not ticket.cost_lines and not ticket.loss),
        "closes_at": format_when(closes, calendar, locale)
        if role == "requester" and (closes := facts.closes_at(ticket))
        else "",
        "can_edit_costs": may_edit_costs
        and costs_editable(ticket, now, app.config.cost_edit_after_closing),
        "costs": _costs_view(ticket, locale, app, calendar),
        "rating_choices": [(n, t(RATING_LABELS[n - 1])) for n in range(1, 6)],
        "limits": LIMITS,
        "media_url": app.media_url,
        "link_token": token,
        "upload_texts": _upload_texts(locale, app),
        "transfer": _transfer_choices(ticket, app.directory, role)
        if (role == "responsible" or may_change_policy) and ticket.status in OPEN_STATUSES
        else None,
        "policy_choices": _policy_choices(ticket, app.directory, locale)
        if may_change_policy and ticket.status in OPEN_STATUSES
        else [],
        "can_cancel": ticket.status in OPEN_STATUSES
        and (role in ("requester", "responsible") or may_change_policy),
        "can_watch": role in ("requester", "responsible") and ticket.status in OPEN_STATUSES,
        "duplicates": app.tickets.duplicates_of(ticket.id) if ticket.status != "cancelled" else [],
        "pending_inputs": pending_inputs(ticket, app.directory, locale)
        if role == "requester" and ticket.status in OPEN_STATUSES
        else [],
    }


def _transfer_choices(ticket: Ticket, directory, role: str) -> dict[str, list]:
    """Whom the ticket may go to: the responsible department's people, or another
    department (its head receives it)."""
    current = ticket.responsible.email if ticket.responsible else None
    people = [
        (p.email, p.name)
        for p in directory.people_in(ticket.responsible_department_id)
        if p.email != current
    ]
    departments = []
    for department_id in directory.department_ids():
        department = directory.department(department_id)
        if department and department.head and department_id != ticket.responsible_department_id:
            departments.append((department_id, department.name))
    return {"people": people, "departments": departments}


def _policy_choices(ticket: Ticket, directory, locale: str) -> list[tuple[str, str]]:
    """The other active policies of the ticket's type: name, priority and times."""
    found = []
    for policy in directory.policies():
        if not policy.active or policy.type != ticket.type or policy.id == ticket.policy_id:
            continue
        times = texts.ui(
            "policy_times",
            locale,
            response=format_business_time(policy.response_time),
            resolution=format_business_time(policy.resolution_time),
        )
        priority = texts.text("priority", policy.priority, locale)
        found.append((policy.id, f"{policy.name.get(locale)} · {priority} · {times}"))
    return found


def _clock_end(ticket: Ticket, now: datetime) -> datetime:
    """Elapsed time stops with the resolution."""
    return ticket.resolved_at or ticket.closed_at or now


def _kept_files(ticket: Ticket, typed: dict[str, dict[str, str]], app: Any) -> dict:
    """The files already accepted for a refused form: they stay with it, like its text."""
    kept = {}
    for action, fields in typed.items():
        ids = [item for item in fields.get("uploads", "").split(",") if item]
        if ids:
            accepted = app.uploads.accepted(ticket.id, ids)
            kept[action] = [{"id": i, "filename": e.filename} for i, e in accepted]
    return kept


def _breaches(ticket: Ticket, calendar, locale: str) -> list[str]:
    found = []
    for key, at in (
        (texts.N_("ui", "breach_response")[0], ticket.response_breached_at),
        (texts.N_("ui", "breach_resolution")[0], ticket.resolution_breached_at),
    ):
        if at is not None:
            found.append(texts.ui(key, locale, due=format_when(at, calendar, locale)))
    if not found and ticket.sla_flag == "at_risk" and ticket.status in OPEN_STATUSES:
        found.append(texts.ui("at_risk", locale))
    return found


def _shown_to(role: str, events: list[TicketEvent]) -> list[TicketEvent]:
    """A bounce is the responsible's (and the managers') to act on, not the requester's."""
    if role in ("responsible", "manager"):
        return events
    return [event for event in events if event.type != EventType.DELIVERY_FAILED]


def _timeline(
    ticket: Ticket, events: list[TicketEvent], calendar, locale: str, facts: TicketFacts, app
) -> list[dict]:
    named = {event.actor for event in events}  # and the people events name: by name, always
    named |= {
        event.data[key]
        for event in events
        for key in ("responsible", "to", "watcher")
        if isinstance(event.data.get(key), str)
    }
    names = facts.names(named)
    items = []
    for event in events:
        items.append(
            {
                "label": catalog.event_label(event.type, locale),
                "author": actor_name(event.actor, ticket, names, locale),
                "when": format_when(event.at, calendar, locale),
                "elapsed": elapsed(ticket, calendar, event.at, locale),
                "detail": _detail(event, ticket, calendar, locale, names),
                "text": _event_text(event),
                # a ticket by e-mail's files: shown with its opening, not again with its assignment
                "evidence": []
                if event.type == EventType.ASSIGNED
                else _evidence_views(event.data.get("evidence") or [], app),
                "type": str(event.type),
            }
        )
    return items


def _event_text(event: TicketEvent) -> str:
    if event.type in (EventType.ASSIGNED, EventType.CREATED):
        return ""  # their data holds codes (the reason of an assignment), not words
    return written_text(event)


def _detail(
    event: TicketEvent, ticket: Ticket, calendar, locale: str, names: dict[str, str]
) -> str:
    """One line that says what an entry changed, beyond its label."""
    data = event.data
    t = lambda key, **kw: texts.ui(key, locale, **kw)  # noqa: E731
    when = lambda value: format_when(_instant(value), calendar, locale)  # noqa: E731
    milestone = texts.ui(f"milestone_{data.get('milestone', 'resolution')}", locale)
    match event.type:
        case EventType.ASSIGNED if data.get("responsible"):
            name = actor_name(data["responsible"], ticket, names, locale)
            return t("assigned_to", name=name)
        case EventType.WARNING if data.get("percent"):
            deadline = data.get("deadline") or data.get("due")
            percent = data["percent"]
            return t("warning_detail", percent=percent, milestone=milestone, due=when(deadline))
        case EventType.BREACHED if data.get("due"):
            return t("breached_detail", milestone=milestone, due=when(data["due"]))
        case EventType.ESCALATED:
            return t("escalated_detail", level=data.get("level", 1))
        case EventType.RATED:
            return f"{data.get('score', '')}/5"
        case EventType.COST_ADDED:
            line = CostLine.model_validate(data)
            return f"{_line_text(line, locale)} · {_money(line.amount, line.currency, locale)}"
        case EventType.COST_CORRECTED:
            old, new = CostLine.model_validate(data["old"]), CostLine.model_validate(data["new"])
            return t(
                "cost_corrected_detail",
                description=new.description,
                old=_money(old.amount, old.currency, locale),
                new=_money(new.amount, new.currency, locale),
            )
        case EventType.LOSS_RECORDED:
            counted = Loss.model_validate(data).counted()
            return t("loss_detail", amount=_money(*counted, locale)) if counted else ""
        case EventType.TRANSFERRED if data.get("to"):
            name = actor_name(data["to"], ticket, names, locale)
            return t("transferred_to", name=name)
        case EventType.CANCELLED if data.get("original"):
            return t("duplicate_of", number=data["original"])
        case EventType.WATCHER_ADDED | EventType.WATCHER_REMOVED if data.get("watcher"):
            return actor_name(data["watcher"], ticket, names, locale)
        case EventType.CLOSED if data.get("auto"):
            return t("auto_closed_text", days=data.get("days") or 3)
        case EventType.CLOSE_REMINDER if data.get("closes_at"):
            return t("closes_at_detail", when=when(data["closes_at"]))
        case EventType.DELIVERY_FAILED:
            return t("delivery_failed_detail", recipient=data.get("recipient", ""))
    return ""


def _instant(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _money(value: Decimal, currency: str, locale: str) -> str:
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=locale.replace("-", "_"))


def _line_text(line: CostLine, locale: str) -> str:
    """A line as the page and the timeline show it, with a labour line's working."""
    from babel.numbers import format_decimal

    parts = [texts.ui(line.category, locale), line.description]
    if line.hours is not None and line.rate is not None:
        hours = format_decimal(line.hours, locale=locale.replace("-", "_"))
        rate = _money(line.rate, line.currency, locale)
        parts.append(texts.ui("hours_times_rate", locale, hours=hours, rate=rate))
    return " · ".join(parts)


def _costs_view(ticket: Ticket, locale: str, app: Any, calendar) -> dict:
    from babel.numbers import get_currency_symbol

    lines = [CostLine.model_validate(item) for item in ticket.cost_lines]
    currency = app.directory.settings().currency
    view: dict[str, Any] = {
        "lines": [
            {
                "id": line.id,
                "text": _line_text(line, locale),
                "amount": _money(line.amount, line.currency, locale),
                "superseded": line.superseded_by is not None,
            }
            for line in lines
        ],
        "totals": [
            _money(Decimal(cents) / 100, code, locale)
            for code, cents in sorted(ticket.cost_cents.items())
        ],
        "categories": [
            (key, texts.ui(key, locale))
            for key in texts.N_("ui", "labour", "parts", "external_service", "other")
        ],
        "currency": currency,
        "symbol": get_currency_symbol(currency, locale=locale.replace("-", "_")),
        "loss": "",
        "counts": "downtime",
        "recorded": {},
    }
    if ticket.loss:
        loss = Loss.model_validate(ticket.loss)
        counted = loss.counted()
        view["recorded"] = _recorded_loss(loss, calendar, locale)

        def amount(value, code) -> str:
            return _money(value, code, locale) if value is not None and code else "—"

        view["counts"] = loss.counts
        view["loss"] = texts.ui(
            "loss_summary",
            locale,
            hours=format_business_time(timedelta(seconds=loss.downtime_seconds)),
            rate=amount(loss.rate_per_hour, loss.currency),
            downtime=amount(loss.downtime_amount, loss.currency),
            manual=amount(loss.manual_amount, loss.manual_currency),
            counted=amount(*counted) if counted else "—",
        )
    return view


def _recorded_loss(loss: Loss, calendar, locale: str) -> dict[str, str]:
    """The loss form's fields as recorded, so that changing one keeps the others."""
    from babel.numbers import format_decimal

    recorded = {"manual_reason": loss.manual_reason or ""}
    if loss.restored_at is not None:
        local = calendar.localize(loss.restored_at)
        recorded["restored_at"] = local.strftime("%Y-%m-%dT%H:%M")
    if loss.manual_amount is not None:
        number = format_decimal(loss.manual_amount, "#,##0.00", locale=locale.replace("-", "_"))
        recorded["manual_amount"] = number
    return recorded


def _evidence_views(items: list[dict], app: Any) -> list[dict]:
    """Thumbnails, players and links through short-lived signed URLs (the bucket is private)."""
    if app.evidence is None:
        return []
    views = []
    for raw in items:
        item = Evidence.model_validate(raw)
        kind = item.content_type.split("/")[0]
        thumb = item.thumbnail_object
        views.append(
            {
                "filename": item.filename,
                "kind": kind if kind in ("image", "video") else "document",
                "url": app.evidence.signed_url(item.object_name, EVIDENCE_LINK_TTL),
                "thumb": app.evidence.signed_url(thumb, EVIDENCE_LINK_TTL) if thumb else None,
                "duration": clock(item.duration_seconds) if item.duration_seconds else None,
            }
        )
    return views


def _upload_texts(locale: str, app: Any) -> dict[str, str]:
    """The upload script's messages, in the person's language (the media function answers
    with a code; the page says what it means)."""
    from babel.numbers import format_decimal

    from shared.domain.attachments import MB

    limits = app.config.attachment_limits
    sizes = {  # 1.024 MB for a Brazilian, 1,024 MB in English
        kind: format_decimal(size // MB, locale=locale.replace("-", "_"))
        for kind, size in (
            ("image", limits.image_bytes),
            ("video", limits.video_bytes),
            ("document", limits.document_bytes),
        )
    }
    keys = [key for key in texts.keys("ui") if key.startswith("upload")]  # upload.js's texts
    found = {key: texts.ui(key, locale) for key in keys if key != "upload_too_large"}
    found["upload_too_large"] = texts.ui("upload_too_large", locale, **sizes)
    return found
