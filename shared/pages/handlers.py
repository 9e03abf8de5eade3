"""The pages behind e-mailed links: show a ticket (GET) and act on it (POST, with a form token).

GET never changes anything: mail scanners follow links. An action that succeeds redirects to
the ticket's page with a notice; one that is refused shows the page again with the reason and
what the person typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flask

from shared.actions.status import NotOpen, TooSoon
from shared.actions.work import NotAllowedNow
from shared.config import Config
from shared.domain.ticket import InvalidTransition, Ticket
from shared.formatting import format_when
from shared.links import InvalidLink, LinkClaims, LinkSigner
from shared.pages import answers, catalog, forms
from shared.pages.access import ACTIONS, may_act, may_edit_costs, may_open, page_role
from shared.pages.csrf import FormRefused, FormTokens
from shared.pages.views import ticket_context
from shared.repositories.directory import Directory, person_of
from shared.repositories.tickets import FirestoreTickets


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
    static = answers.static_file(request.path)
    if static is not None:
        return static
    answers.set_content_security_policy(app.media_url, app.storage_origin)
    locale = catalog.negotiate(request.headers.get("Accept-Language"))
    parts = request.path.strip("/").split("/")
    if len(parts) not in (2, 3) or parts[0] != "t":
        return answers.message(locale, "link_invalid", 404)
    token, action = parts[1], (parts[2] if len(parts) == 3 else None)
    try:
        claims = app.links.verify(token)
    except InvalidLink as error:
        key = "link_expired" if error.reason == "expired" else "link_invalid"
        return answers.message(locale, key, 403)
    ticket = app.tickets.get(claims.ticket_id)
    if ticket is None:
        return answers.message(locale, "link_invalid", 404)
    person = person_of(app.directory, claims.email)
    locale = person.locale if person else locale
    base = f"/t/{token}"
    role = page_role(ticket, claims, app.directory)
    if not may_open(ticket, claims, person):
        return answers.message(locale, "link_person_inactive", 403)
    if role == "viewer":  # the ticket moved on: another responsible, another requester
        return answers.message(locale, "link_role_gone", 403)
    if action is None:
        if request.method not in ("GET", "HEAD"):
            return answers.message(locale, "method_not_allowed", 405, base)
        notice = _done_notice(request.args.get("done"), locale)
        before = request.args.get("before", "")
        return _ticket_page(
            ticket,
            claims,
            role,
            token,
            locale,
            app,
            notice=notice,
            before=int(before) if before.isdigit() and len(before) < 10 else None,
        )
    if action not in ACTIONS:
        return answers.message(locale, "link_invalid", 404, base)
    if request.method != "POST":
        return answers.message(locale, "method_not_allowed", 405, base)
    if not may_act(action, ticket, role, claims.email, app.directory):
        return answers.message(locale, "wrong_role", 403, base)
    typed = {action: _typed(request.form)}
    try:
        nonce = app.forms.nonce(request.form.get("form_token"), token, action)
    except FormRefused as refused:
        answers.refused(403, refused.reason, action)
        notice = _refusal(refused.reason, locale)
        return _ticket_page(ticket, claims, role, token, locale, app, notice, typed, 403)
    try:
        _act(action, ticket, claims.email, request.form, app, nonce, locale)
    except _Refusal as refused:
        answers.refused(refused.status, refused.key, action)
        notice = _refusal(refused.key, locale, action=action, **refused.values)
        return _ticket_page(ticket, claims, role, token, locale, app, notice, typed, refused.status)
    return answers.with_headers(flask.redirect(f"{base}?done={action}", code=303))


class _Refusal(Exception):
    def __init__(self, key: str, status: int, **values: object) -> None:
        super().__init__(key)
        self.key, self.status, self.values = key, status, values


def _act(
    action: str, ticket: Ticket, who: str, form, app: PageServices, nonce: str, locale: str
) -> None:
    """Apply the form's decision once (the nonce), in one guarded write."""
    now = app.now()
    calendar = app.directory.calendar(ticket.calendar_id)
    try:
        decide = forms.decision(action, ticket, who, form, now, calendar, app, locale)
        files = [item for item in form.get("uploads", "").split(",") if item]
        app.tickets.apply(ticket.id, _once(nonce, decide, files), now)
    except forms.Refused as refused:
        raise _Refusal(refused.key, refused.status, **refused.values) from None
    except TooSoon as refused:
        raise _Refusal(
            "too_soon",
            429,
            asked=format_when(refused.asked_at, calendar, locale),
            next=format_when(refused.next_allowed, calendar, locale),
        ) from None
    except NotAllowedNow as refused:
        values = {
            name: format_when(value, calendar, locale) if hasattr(value, "tzinfo") else value
            for name, value in refused.values.items()
        }
        status = 429 if refused.reason == "information_too_often" else 409
        raise _Refusal(refused.reason, status, **values) from None
    except (NotOpen, InvalidTransition):
        raise _Refusal("not_now", 409) from None


KEPT_NONCES = 50
KEPT_UPLOADS = 200  # above a ticket's upload quota: every upload it ever used


def _once(nonce: str, decide, uploads: list[str] = ()):
    """Apply a form's change unless this very form was applied already; the files it brings
    join one action only (another form sending the same upload ids is refused)."""

    def once(ticket: Ticket):
        if nonce in ticket.form_nonces:
            return None
        if set(uploads) & set(ticket.attached_uploads):
            raise NotAllowedNow("these files belong to another entry already", "files_used")
        change = decide(ticket)
        if change is not None:
            change.updates["form_nonces"] = [*ticket.form_nonces[-(KEPT_NONCES - 1) :], nonce]
            if uploads:
                attached = [*ticket.attached_uploads, *uploads]
                change.updates["attached_uploads"] = attached[-KEPT_UPLOADS:]
        return change

    return once


def _typed(form) -> dict[str, str]:
    """What the person typed and the files they had sent, to show again when the form is
    refused (never the token)."""
    return {
        name: value[:20000]
        for name, value in form.items()
        if name != "form_token" and isinstance(value, str)
    }


def _done_notice(done: str | None, locale: str) -> dict | None:
    """The notice after an action; an unknown value (a hand-edited address) shows none."""
    if done not in ACTIONS:
        return None
    return {"kind": "ok", "text": catalog.text(f"done_{done.replace('-', '_')}", locale)}


def _refusal(key: str, locale: str, action: str | None = None, **values: object) -> dict:
    if "field" in values:
        values["field"] = catalog.field_label(str(values["field"]), action, locale)
    return {"kind": "refused", "text": catalog.text(key, locale, **values), "action": action}


def _ticket_page(
    ticket: Ticket,
    claims: LinkClaims,
    role: str,
    token: str,
    locale: str,
    app: PageServices,
    notice: dict | None = None,
    typed: dict | None = None,
    status: int = 200,
    before: int | None = None,
) -> flask.Response:
    context = ticket_context(
        ticket,
        role,
        token,
        locale,
        app,
        notice=notice,
        typed=typed,
        may_edit_costs=may_edit_costs(ticket, role, claims.email, app.directory),
        before=before,
    )
    return answers.render("ticket.html", context, status)
