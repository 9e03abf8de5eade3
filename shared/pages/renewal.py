"""A fresh link when one is refused, and a person's own link on request.

An expired link (a ticket's or a person's) still says, under its signature, whom it was
issued for: its page offers to send a new one to that address (a POST; GET changes nothing).
`/me` asks for an address and sends that person their own link; it answers the same whatever
the address, so nobody learns who is in the directory. Both are rate-limited per address
(three a day) and per client (twenty an hour).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import flask

from shared import texts
from shared.domain.email import normalize_email
from shared.errors import InvalidLink
from shared.links import LinkClaims, LinkSigner, PersonalLinks
from shared.log import get_logger, pseudonym
from shared.mail import Mailer, OutgoingMail, TransientMailError
from shared.pages import answers
from shared.repositories.directory import Directory, person_of

log = get_logger("pages")

PER_ADDRESS_DAY = 3
PER_CLIENT_HOUR = 20
texts.N_("ui", "new_link_sent", "new_link_asked", "new_link_too_many", "new_link_subject")


class Allowances(Protocol):
    def take(self, name: str, most: int, expires_at: datetime) -> bool: ...


@dataclass(frozen=True)
class RenewalServices:
    directory: Directory
    links: LinkSigner
    personal: PersonalLinks
    mailer: Mailer
    allowances: Allowances
    sender: tuple[str, str]  # address, name
    organisation: Callable[[], str]
    now: Callable[[], datetime]


def masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def expired_ticket_page(token: str, claims: LinkClaims, locale: str) -> flask.Response:
    return _offer(f"/t/{token}/new-link", claims.email, locale)


def expired_personal_page(token: str, email: str, locale: str) -> flask.Response:
    return _offer(f"/me/{token}/new-link", email, locale)


def _offer(action: str, email: str, locale: str) -> flask.Response:
    answers.refused(403, "link_expired")
    context = {
        "t": lambda key, **kw: texts.ui(key, locale, **kw),
        "locale": locale,
        "action": action,
        "address": masked(email),
        "ask": False,
        "typed": "",
        "notice": None,
    }
    return answers.render("renewal.html", context, 403)


def ask_page(locale: str, notice: dict | None = None, typed: str = "", status: int = 200):
    context = {
        "t": lambda key, **kw: texts.ui(key, locale, **kw),
        "locale": locale,
        "action": "/me",
        "address": "",
        "ask": True,
        "typed": typed,
        "notice": notice,
    }
    return answers.render("renewal.html", context, status)


def renew_ticket_link(
    request: flask.Request, app: RenewalServices, token: str, locale: str
) -> flask.Response:
    try:
        claims = app.links.signed_claims(token)
    except InvalidLink:
        return answers.message(locale, "link_invalid", 403)
    url = app.links.url(claims.ticket_id, claims.email, claims.role)
    return _send(request, app, claims.email, locale, url)


def renew_personal_link(
    request: flask.Request, app: RenewalServices, token: str, locale: str
) -> flask.Response:
    try:
        email = app.personal.signed_email(token)
    except InvalidLink:
        return answers.message(locale, "link_invalid", 403)
    return _send(request, app, email, locale, None)


def ask_for_personal_link(
    request: flask.Request, app: RenewalServices, locale: str
) -> flask.Response:
    typed = request.form.get("email", "")[:320]
    try:
        email = normalize_email(typed)
    except ValueError:
        notice = {"kind": "refused", "text": texts.ui("new_link_bad_address", locale)}
        return ask_page(locale, notice, typed, 400)
    if not _client_allowed(request, app):
        notice = {"kind": "refused", "text": texts.ui("new_link_too_many", locale)}
        return ask_page(locale, notice, typed, 429)
    person = person_of(app.directory, email)
    if person is not None and person.active and _address_allowed(app, email):
        _deliver(app, email, person.name, person.locale, None)
    # the same answer whoever the address is
    return ask_page(locale, {"kind": "ok", "text": texts.ui("new_link_asked", locale)})


def _send(
    request: flask.Request, app: RenewalServices, email: str, locale: str, ticket_url: str | None
) -> flask.Response:
    person = person_of(app.directory, email)
    if person is None or not person.active:
        return answers.message(locale, "link_person_inactive", 403)
    locale = person.locale
    if not _client_allowed(request, app) or not _address_allowed(app, email):
        return answers.message(locale, "new_link_too_many", 429)
    _deliver(app, email, person.name, locale, ticket_url)
    return answers.message(locale, "new_link_sent", 200, address=masked(email))


def _deliver(
    app: RenewalServices, email: str, name: str, locale: str, ticket_url: str | None
) -> None:
    now = app.now()
    context = {
        "t": lambda key, **kw: texts.ui(key, locale, **kw),
        "locale": locale,
        "name": name,
        "ticket_url": ticket_url,
        "lists_url": app.personal.url(email),
        "org": app.organisation(),
    }
    text = answers.render_text("new_link_mail.txt", context)
    html = answers.render_text("new_link_mail.html", context)
    address, sender_name = app.sender
    digest = hashlib.sha256(f"{email}\x00{now.isoformat()}".encode()).hexdigest()[:32]
    mail = OutgoingMail(
        sender=address,
        sender_name=sender_name,
        to=email,
        to_name=name,
        subject=texts.ui("new_link_subject", locale),
        text=text,
        html=html,
        message_id=f"<{digest}@{address.rpartition('@')[2] or 'helpdesk'}>",
        thread_id=f"<{digest}@{address.rpartition('@')[2] or 'helpdesk'}>",
        sent_at=now,
    )
    try:
        app.mailer.send(mail)
    except TransientMailError as error:
        log.warning("new link not sent", extra={"to": pseudonym(email), "error": str(error)})
        raise
    log.info("new link sent", extra={"to": pseudonym(email)})


def _client_allowed(request: flask.Request, app: RenewalServices) -> bool:
    forwarded = request.headers.get("X-Forwarded-For", "")
    client = forwarded.split(",")[0].strip() or request.remote_addr or "unknown"
    now = app.now()
    window = now.strftime("%Y-%m-%dT%H")
    name = f"new-link-client:{client}:{window}"
    return app.allowances.take(name, PER_CLIENT_HOUR, now + timedelta(hours=2))


def _address_allowed(app: RenewalServices, email: str) -> bool:
    now = app.now()
    name = f"new-link-address:{email}:{now.date().isoformat()}"
    return app.allowances.take(name, PER_ADDRESS_DAY, now + timedelta(days=2))
