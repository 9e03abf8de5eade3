"""The pages behind e-mailed links: show a ticket (GET) and act on it (POST, with a form token).

GET never changes anything: mail scanners follow links. An action that succeeds redirects to
the ticket's page with a notice; one that is refused shows the page again with the reason and
what the person typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import flask

from shared import texts
from shared.actions.access import ACTIONS, may_act, may_change_policy, may_open, page_role
from shared.actions.ports import AcceptedUploads
from shared.actions.service import Actor, Command, TicketActions
from shared.config import Config
from shared.domain.ticket import Ticket
from shared.errors import InvalidLink, Refused
from shared.formatting import format_when
from shared.links import LinkClaims, LinkSigner
from shared.pages import answers, catalog, renewal
from shared.pages import lists as personal_lists
from shared.pages.csrf import FormRefused, FormTokens
from shared.pages.lists import ListServices
from shared.pages.renewal import RenewalServices
from shared.pages.views import ticket_context
from shared.repositories.directory import Directory, person_of
from shared.repositories.tickets import FirestoreTickets
from shared.storage.evidence import EvidenceStore


@dataclass(frozen=True)
class PageServices:
    config: Config
    directory: Directory
    tickets: FirestoreTickets  # reads: the ticket and its timeline
    actions: TicketActions  # every change
    uploads: AcceptedUploads
    links: LinkSigner
    forms: FormTokens
    now: Callable[[], datetime]
    evidence: EvidenceStore | None = None  # signed links to evidence
    media_url: str = ""
    storage_origin: str = "https://storage.googleapis.com"
    lists: ListServices | None = None  # a person's own lists (/me/<link>)
    renewal: RenewalServices | None = None  # new links for expired ones (/me, /.../new-link)


def handle(request: flask.Request, app: PageServices) -> flask.Response:
    static = answers.static_file(request.path)
    if static is not None:
        return static
    answers.set_content_security_policy(app.media_url, app.storage_origin)
    locale = texts.negotiate(request.headers.get("Accept-Language"))
    parts = request.path.strip("/").split("/")
    if parts[0] == "me" and app.lists is not None and app.renewal is not None:
        return _personal(request, app, parts, locale)
    if len(parts) not in (2, 3) or parts[0] != "t":
        return answers.message(locale, "link_invalid", 404)
    token, action = parts[1], (parts[2] if len(parts) == 3 else None)
    if action == "new-link" and app.renewal is not None:
        if request.method != "POST":
            return answers.message(locale, "method_not_allowed", 405)
        return renewal.renew_ticket_link(request, app.renewal, token, locale)
    try:
        claims = app.links.verify(token)
    except InvalidLink as error:
        if error.reason == "expired" and app.renewal is not None and action is None:
            return renewal.expired_ticket_page(token, app.links.signed_claims(token), locale)
        key = texts.N_("ui", "link_expired")[0] if error.reason == "expired" else "link_invalid"
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
        if action is None and claims.role == "watcher" and request.args.get("done") == "unwatch":
            return answers.message(locale, "done_unwatch", 200)
        if claims.role == "watcher":  # they stopped following it (or were taken off)
            return answers.message(locale, "link_watcher_gone", 403)
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
    actor = Actor(claims.email, claims.role)
    command = Command(ticket.id, actor, action, nonce, request.form, locale)
    try:
        app.actions.act(command)
    except Refused as refused:
        answers.refused(refused.status, refused.reason, action)
        calendar = app.directory.calendar(ticket.calendar_id)
        values = {
            name: format_when(value, calendar, locale) if isinstance(value, datetime) else value
            for name, value in refused.values.items()
        }
        notice = _refusal(refused.reason, locale, action=action, **values)
        return _ticket_page(ticket, claims, role, token, locale, app, notice, typed, refused.status)
    return answers.with_headers(flask.redirect(f"{base}?done={action}", code=303))


def _personal(
    request: flask.Request, app: PageServices, parts: list[str], locale: str
) -> flask.Response:
    """/me (ask for one's own link), /me/<link> (one's lists), /me/<link>/new-link."""
    assert app.lists is not None
    assert app.renewal is not None
    if parts == ["me"]:
        if request.method == "POST":
            return renewal.ask_for_personal_link(request, app.renewal, locale)
        if request.method in ("GET", "HEAD"):
            return renewal.ask_page(locale)
        return answers.message(locale, "method_not_allowed", 405)
    if len(parts) == 3 and parts[2] == "new-link":
        if request.method != "POST":
            return answers.message(locale, "method_not_allowed", 405)
        return renewal.renew_personal_link(request, app.renewal, parts[1], locale)
    if len(parts) == 3 and parts[2] == "digest":
        return personal_lists.digest_setting(request, app.lists, parts[1], locale)
    if len(parts) == 3 and parts[2] == "agreements":
        return personal_lists.agreements_page(request, app.lists, parts[1], locale)
    if len(parts) != 2:
        return answers.message(locale, "link_invalid", 404)
    return personal_lists.handle(request, app.lists, parts[1], locale)


def _typed(form) -> dict[str, str]:
    """What the person typed and the files they had sent, to show again when the form is
    refused (never the token)."""
    return {
        name: value[:20000]
        for name, value in form.items()
        if name != "form_token" and isinstance(value, str)
    }


# The notice after each action, and the refusals raised by name where no text is at hand.
texts.N_(
    "ui",
    "done_status_request",
    "done_information",
    "done_confirm",
    "done_reopen",
    "done_rate",
    "done_status",
    "done_acknowledge",
    "done_respond",
    "done_wait",
    "done_resume",
    "done_resolve",
    "done_cost",
    "done_correct_cost",
    "done_loss",
    "done_comment",
    "done_details",
    "done_policy",
    "done_transfer",
    "done_cancel",
    "done_watch",
    "done_unwatch",
    "link_watcher_gone",
    "too_soon",
)


def _done_notice(done: str | None, locale: str) -> dict | None:
    """The notice after an action; an unknown value (a hand-edited address) shows none."""
    if done not in ACTIONS:
        return None
    return {"kind": "ok", "text": texts.ui(f"done_{done.replace('-', '_')}", locale)}


def _refusal(key: str, locale: str, action: str | None = None, **values: object) -> dict:
    if "field" in values:
        values["field"] = catalog.field_label(str(values["field"]), action, locale)
    return {"kind": "refused", "text": texts.ui(key, locale, **values), "action": action}


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
        may_edit_costs=app.actions.may_edit_costs(ticket, Actor(claims.email, claims.role)),
        before=before,
        may_change_policy=may_change_policy(ticket, role, claims.email, app.directory),
    )
    return answers.render("ticket.html", context, status)
