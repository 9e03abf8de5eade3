"""The pages behind e-mailed links: show a ticket (GET) and act on it (POST, with a form token).

A link names one ticket, one person and one role, and acts only while that person still holds
that role on the ticket (a link of a former responsible shows the ticket but acts no more).
GET never changes anything: mail scanners follow links.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flask
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import ValidationError

from shared.actions import costs as cost_actions
from shared.actions import sla as sla_actions
from shared.actions import work
from shared.actions.status import NotOpen, TooSoon, provide_status, request_status
from shared.actions.work import NotAllowedNow
from shared.config import Config
from shared.domain.ticket import OPEN_STATUSES, Evidence, InvalidTransition, Ticket
from shared.errors import BadRequest
from shared.formatting import format_business_time, format_when
from shared.links import InvalidLink, LinkClaims, LinkSigner
from shared.media.uploads import accepted_evidence
from shared.notify import catalog as mail_catalog
from shared.pages import catalog
from shared.pages.csrf import FormTokens
from shared.repositories.directory import Directory
from shared.repositories.tickets import FirestoreTickets
from shared.sla import SlaClock

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)

EVIDENCE_LINK_TTL = timedelta(hours=1)  # a page is read now; links in e-mails last longer

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
        "media-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the link token is in the URL
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

# action -> the role that may take it
ACTIONS = {
    "status-request": "requester",
    "information": "requester",
    "confirm": "requester",
    "reopen": "requester",
    "rate": "requester",
    "status": "responsible",
    "acknowledge": "responsible",
    "respond": "responsible",
    "wait": "responsible",
    "resume": "responsible",
    "resolve": "responsible",
    "cost": "responsible",
    "correct-cost": "responsible",
    "loss": "responsible",
}


@dataclass(frozen=True)
class PageServices:
    config: Config
    directory: Directory
    tickets: FirestoreTickets
    links: LinkSigner
    forms: FormTokens
    now: Any
    evidence: Any = None  # EvidenceStore: signed links to evidence
    media_url: str = ""
    storage_origin: str = "https://storage.googleapis.com"


def handle(request: flask.Request, app: PageServices) -> flask.Response:
    if request.path == "/assets/upload.js":
        response = flask.Response(_UPLOAD_JS, mimetype="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    _csp.set(_content_security_policy(app))
    locale = catalog.negotiate(request.headers.get("Accept-Language"))
    parts = request.path.strip("/").split("/")
    if len(parts) not in (2, 3) or parts[0] != "t":
        return _message(locale, "link_invalid", 404)
    token, action = parts[1], (parts[2] if len(parts) == 3 else None)
    try:
        claims = app.links.verify(token)
    except InvalidLink as error:
        return _message(
            locale, "link_expired" if error.reason == "expired" else "link_invalid", 403
        )
    ticket = app.tickets.get(claims.ticket_id)
    if ticket is None:
        return _message(locale, "link_invalid", 404)
    person = app.directory.lookup([claims.email], [])[0].get(claims.email)
    locale = person.locale if person else locale
    base = f"/t/{token}"
    if action is None:
        if request.method not in ("GET", "HEAD"):
            return _message(locale, "wrong_role", 405)
        return _ticket_page(ticket, claims, token, locale, app, request.args.get("done"))
    if action not in ACTIONS or request.method != "POST":
        return _message(locale, "link_invalid", 404 if action not in ACTIONS else 405, base)
    if ACTIONS[action] != claims.role or not _holds_role(ticket, claims):
        return _message(locale, "wrong_role", 403, base)
    nonce = app.forms.nonce(request.form.get("form_token"), token, action)
    if nonce is None:
        return _message(locale, "form_expired", 403, base)
    return _act(action, ticket, claims, request, locale, base, app, nonce)


def _holds_role(ticket: Ticket, claims: LinkClaims) -> bool:
    if claims.role == "requester":
        return ticket.requester.email == claims.email
    if claims.role == "responsible":
        return ticket.responsible is not None and ticket.responsible.email == claims.email
    return False


def _act(
    action: str,
    ticket: Ticket,
    claims: LinkClaims,
    request: flask.Request,
    locale: str,
    base: str,
    app: PageServices,
    nonce: str,
) -> flask.Response:
    now = app.now()
    calendar = app.directory.calendar(ticket.calendar_id)
    form = request.form
    try:
        decide = _once(nonce, _decision(action, ticket, claims.email, form, now, calendar, app))
        app.tickets.apply(ticket.id, decide, now)
    except (MissingText, ValidationError, ValueError):
        return _message(locale, "text_required", 400, base)
    except TooSoon as refused:
        return _message(
            locale,
            "too_soon",
            429,
            base,
            asked=format_when(refused.asked_at, calendar, locale),
            next=format_when(refused.next_allowed, calendar, locale),
        )
    except (NotOpen, NotAllowedNow, InvalidTransition):
        return _message(locale, "not_now", 409, base)
    except BadRequest:
        return _message(locale, "files_not_ready", 400, base)
    return _with_headers(flask.redirect(f"{base}?done={action}", code=303))


KEPT_NONCES = 50


def _once(nonce: str, decide):
    """Apply a form's change unless this very form was applied already."""

    def once(ticket: Ticket):
        if nonce in ticket.form_nonces:
            return None
        change = decide(ticket)
        if change is not None:
            change.updates["form_nonces"] = [*ticket.form_nonces[-(KEPT_NONCES - 1) :], nonce]
        return change

    return once


class MissingText(Exception):
    pass


def _amount(form, name: str) -> Decimal:
    """ "1.340,90", "1340,90" and "1340.90" all mean 1340.90."""
    text = form.get(name, "").strip().replace(" ", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "")
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise MissingText(name) from None
    if not value.is_finite() or value < 0:
        raise MissingText(name)
    return value


def _text(form, name: str, limit: int = 5000, required: bool = True) -> str:
    value = form.get(name, "").strip()[:limit]
    if required and not value:
        raise MissingText(name)
    return value


def _decision(action: str, ticket: Ticket, who: str, form, now, calendar, app: PageServices):
    def files():
        ids = [item for item in form.get("uploads", "").split(",") if item]
        return accepted_evidence(app.tickets.db, ticket.id, ids)

    match action:
        case "status-request":
            return request_status(
                who,
                _text(form, "note", 2000, required=False),
                now,
                calendar,
                app.config.status_request_rules,
            )
        case "status":
            return provide_status(who, _text(form, "text"), now)
        case "information":
            return work.add_information(who, _text(form, "text"), files(), now, app.directory)
        case "confirm":
            return work.confirm(who, now)
        case "reopen":
            return work.reopen(who, _text(form, "reason", 2000), now)
        case "rate":
            try:
                score = int(form.get("score", ""))
            except ValueError:
                raise MissingText("score") from None
            if not 1 <= score <= 5:
                raise MissingText("score")
            return work.rate(who, score, _text(form, "comment", 2000, required=False), now)
        case "acknowledge":
            return sla_actions.acknowledge(who, now)
        case "respond":
            return work.respond(who, _text(form, "text"), files(), now)
        case "wait":
            return sla_actions.wait_on_requester(who, _text(form, "text"), now)
        case "resume":
            return sla_actions.resume(who, now, app.directory)
        case "resolve":
            return work.resolve(who, _text(form, "text"), files(), now)
        case "cost":
            fields = {
                "category": form.get("category", ""),
                "currency": form.get("currency", ""),
                "description": _text(form, "description", 500),
            }
            if form.get("hours"):
                fields |= {"hours": _amount(form, "hours"), "rate": _amount(form, "rate")}
            else:
                fields["amount"] = _amount(form, "amount")
            return cost_actions.add_cost(who, fields, now)
        case "correct-cost":
            fields = {"amount": _amount(form, "amount")}
            if form.get("description", "").strip():
                fields["description"] = _text(form, "description", 500)
            return cost_actions.correct_cost(who, form.get("line", ""), fields, now)
        case "loss":
            restored = form.get("restored_at", "").strip()
            restored_at = (
                datetime.fromisoformat(restored).replace(tzinfo=calendar.zone) if restored else None
            )
            asset = (
                app.directory.lookup([], [ticket.asset.tag])[1].get(ticket.asset.tag)
                if ticket.asset
                else None
            )
            manual = _amount(form, "manual_amount") if form.get("manual_amount") else None
            return cost_actions.record_loss(
                who,
                asset,
                now,
                restored_at=restored_at,
                manual_amount=manual,
                manual_currency=form.get("manual_currency") or None,
                manual_reason=form.get("manual_reason", "").strip()[:500] or None,
                counts="manual" if form.get("counts") == "manual" else "downtime",
            )
    raise MissingText(action)  # pragma: no cover - ACTIONS lists the actions


def _ticket_page(
    ticket: Ticket, claims: LinkClaims, token: str, locale: str, app: PageServices, done: str | None
) -> flask.Response:
    calendar = app.directory.calendar(ticket.calendar_id)
    clock = SlaClock(calendar, ticket.clock_started_at)
    timeline = []
    for event in app.tickets.events(ticket.id):
        label = catalog.EVENTS.get(event.type, {}).get(locale) or str(event.type)
        calendar_elapsed = format_business_time(event.at - ticket.created_at)
        timeline.append(
            {
                "evidence": _evidence_views(event.data.get("evidence") or [], app),
                "label": label,
                "when": format_when(event.at, calendar, locale),
                "elapsed": catalog.text(
                    "elapsed",
                    locale,
                    business=format_business_time(clock.elapsed(event.at)),
                    calendar=calendar_elapsed,
                ),
                "text": event.data.get("text") or event.data.get("note") or "",
            }
        )
    notice = None
    if done in ACTIONS:
        notice = {"kind": "ok", "text": catalog.text(f"done_{done.replace('-', '_')}", locale)}
    is_open = ticket.status in OPEN_STATUSES
    context = {
        "locale": locale,
        "t": lambda key, **kw: catalog.text(key, locale, **kw),
        "ticket": ticket,
        "role": claims.role if _holds_role(ticket, claims) else "viewer",
        "base": f"/t/{token}",
        "notice": notice,
        "timeline": timeline,
        "type_label": mail_catalog.text(mail_catalog.LABELS, ticket.type, locale),
        "status_label": mail_catalog.text(mail_catalog.STATUSES, ticket.status, locale),
        "priority_label": mail_catalog.text(mail_catalog.PRIORITIES, ticket.priority, locale),
        "response_due": format_when(ticket.response_due, calendar, locale),
        "resolution_due": format_when(ticket.resolution_due, calendar, locale),
        "can_ask": is_open,
        "can_answer": is_open,
        "pending_since": format_when(ticket.status_requested_at, calendar, locale)
        if ticket.status_request_pending and ticket.status_requested_at
        else "",
        "forms": {action: app.forms.issue(token, action) for action in ACTIONS},
        "is_open": is_open,
        "costs": _costs_view(ticket, locale, app),
        "media_url": app.media_url,
        "link_token": token,
    }
    return _page(_templates.get_template("ticket.html").render(context), 200)


def _costs_view(ticket: Ticket, locale: str, app: PageServices) -> dict:
    from babel.numbers import format_currency

    from shared.domain.costs import CostLine, Loss

    def amount(value, currency) -> str:
        return format_currency(value, currency, locale=locale.replace("-", "_"))

    lines = [CostLine.model_validate(item) for item in ticket.cost_lines]
    view = {
        "lines": [
            {
                "id": line.id,
                "description": line.description,
                "category": catalog.text(line.category, locale),
                "amount": amount(line.amount, line.currency),
                "superseded": line.superseded_by is not None,
            }
            for line in lines
        ],
        "totals": [
            amount(Decimal(cents) / 100, currency)
            for currency, cents in sorted(ticket.cost_cents.items())
        ],
        "categories": [
            (key, catalog.text(key, locale))
            for key in ("labour", "parts", "external_service", "other")
        ],
        "currency": app.directory.settings().currency,
        "loss": "",
        "counts": "downtime",
    }
    if ticket.loss:
        loss = Loss.model_validate(ticket.loss)
        counted = loss.counted()
        view["counts"] = loss.counts
        view["loss"] = catalog.text(
            "loss_summary",
            locale,
            hours=format_business_time(timedelta(seconds=loss.downtime_seconds)),
            rate=amount(loss.rate_per_hour, loss.currency) if loss.rate_per_hour else "—",
            downtime=amount(loss.downtime_amount, loss.currency) if loss.downtime_amount else "—",
            manual=amount(loss.manual_amount, loss.manual_currency) if loss.manual_amount else "—",
            counted=amount(*counted) if counted else "—",
        )
    return view


def _evidence_views(items: list[dict], app: PageServices) -> list[dict]:
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
            }
        )
    return views


def _message(
    locale: str, key: str, status: int, back: str | None = None, **values: object
) -> flask.Response:
    text = catalog.text(key, locale, **values)
    html = _templates.get_template("message.html").render(
        locale=locale,
        heading=text,
        text=text,
        kind="refused" if status >= 400 else "ok",
        back=back,
        back_label=catalog.text("back", locale),
    )
    return _page(html, status)


def _page(html: str, status: int) -> flask.Response:
    return _with_headers(flask.Response(html, status=status, mimetype="text/html"))


def _with_headers(response: flask.Response) -> flask.Response:
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Security-Policy"] = _csp.get()
    return response


_UPLOAD_JS = (Path(__file__).parent / "static" / "upload.js").read_text(encoding="utf-8")
_csp: contextvars.ContextVar[str] = contextvars.ContextVar(
    "csp", default=SECURITY_HEADERS["Content-Security-Policy"]
)


def _content_security_policy(app: PageServices) -> str:
    """Scripts only from here; uploads to the media function and the bucket; evidence from it."""
    media = _origin(app.media_url)
    storage = app.storage_origin
    return (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
        f"img-src 'self' {storage}; media-src {storage}; connect-src {media} {storage}; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "'self'"
