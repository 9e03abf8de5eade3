"""The console's pages: sign in, sign out, and the dashboard.

GET never changes anything. Signing in is the one POST without a session: Google Identity
Services (or the local stand-in) posts the ID token with its double-submit CSRF token
(`g_csrf_token`, in a cookie and in the form). Every other POST carries the session's CSRF
token. A person who is not (or no longer) an active manager or department head is signed out.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import flask

from shared import texts
from shared.auth.sign_in import SignedIn, SignInRefused
from shared.config import Config
from shared.console import assets, dashboard, reports, tickets
from shared.console.render import message, render
from shared.console.session import COOKIE, Session, SessionCookies, cookie_options
from shared.display.agreements import agreements
from shared.domain.organisation import Person
from shared.repositories.directory import Directory, leads, person_of

STATE_COOKIE = "g_csrf_token"  # the name Google Identity Services gives its own


@dataclass(frozen=True)
class ConsoleServices:
    config: Config
    directory: Directory
    cookies: SessionCookies
    sign_in: Callable[[str], SignedIn]  # an ID token -> the person it names (or refused)
    figures: Callable[..., Any]  # dashboard.Figures
    now: Callable[[], datetime]
    search: Any = None  # shared/repositories/ticket_search.py
    links: Any = None  # the tickets' pages, signed for the manager
    reports: Callable[[], Any] | None = None  # the report's services (shared/reports/sla/api.py)
    registry: Callable[[], Any] | None = None  # the asset registry's (shared/reports/registry.py)


def handle(request: flask.Request, app: ConsoleServices) -> flask.Response:
    locale = texts.negotiate(request.headers.get("Accept-Language"))
    path = "/" + request.path.strip("/")
    if path == "/favicon.ico":  # browsers ask on every page: nothing, and not an error
        return flask.Response(status=204, headers={"Cache-Control": "max-age=86400"})
    if path == "/sign-in":
        return _sign_in_page(request, app, locale) if _is_get(request) else _method(locale)
    if path == "/auth":
        return _auth(request, app, locale) if request.method == "POST" else _method(locale)
    session = app.cookies.read(request.cookies.get(COOKIE))
    person = _console_person(app.directory, session.email) if session else None
    if session is None or person is None:
        if session is not None:
            app.cookies.end(session)  # no longer a manager or head: the session ends now
        if _is_get(request) and path == "/":
            return _to_sign_in()
        return message(locale, "console_signed_out", 401, "/sign-in")
    locale = person.locale
    if path == "/sign-out":
        if request.method != "POST":
            return _method(locale)
        if not app.cookies.csrf_ok(session, request.form.get("csrf")):
            return message(locale, "form_forged", 403, "/")
        app.cookies.end(session)
        answer = flask.redirect("/sign-in?done=signed_out", code=303)
        answer.delete_cookie(COOKIE, path="/")
        return answer
    if path == "/":
        if not _is_get(request):
            return _method(locale)
        return dashboard.page(request, app, person, session, locale)
    if path == "/tickets":
        if not _is_get(request):
            return _method(locale)
        return tickets.page(request, app, person, session, locale)
    if path == "/tickets.csv":
        return tickets.csv(request, app, person, locale) if _is_get(request) else _method(locale)
    if path == "/agreements":
        if not _is_get(request):
            return _method(locale)
        found = agreements(app.directory, locale)
        context = {"agreements": found, "person": person, "csrf": session.csrf}
        return render("agreements.html", context, locale)
    if path == "/reports" or path.startswith("/reports/"):
        return reports.handle(request, app, person, session, locale, path)
    if path == "/assets" or path.startswith("/assets/"):
        return assets.handle(request, app, person, session, locale, path)
    return message(locale, "link_invalid", 404, "/")


def _is_get(request: flask.Request) -> bool:
    return request.method in ("GET", "HEAD")


def _method(locale: str) -> flask.Response:
    return message(locale, "method_not_allowed", 405, "/")


def _to_sign_in() -> flask.Response:
    return flask.redirect("/sign-in", code=303)


def _console_person(directory: Directory, email: str) -> Person | None:
    """An active manager of the organisation, or an active department head."""
    return person_of(directory, email) if leads(directory, email) else None


def _sign_in_page(request: flask.Request, app: ConsoleServices, locale: str) -> flask.Response:
    state = secrets.token_urlsafe(24)
    login_uri = app.config.console_url.rstrip("/") + "/auth"
    stand_in = ""
    if app.config.dev_issuer_url:
        query = {"client_id": app.config.console_client_id, "login_uri": login_uri, "state": state}
        stand_in = f"{app.config.dev_issuer_url.rstrip('/')}/signin?{urlencode(query)}"
    done = request.args.get("done")
    context = {
        "client_id": app.config.console_client_id,
        "login_uri": login_uri,
        "stand_in": stand_in,
        "notice": texts.ui("console_signed_out_done", locale) if done == "signed_out" else "",
    }
    answer = render("signin.html", context, locale, google=not stand_in)
    answer.set_cookie(
        STATE_COOKIE,
        state,
        **{**cookie_options(app.config.console_url.startswith("https")), "max_age": 600},
    )
    return answer


def _auth(request: flask.Request, app: ConsoleServices, locale: str) -> flask.Response:
    state = request.cookies.get(STATE_COOKIE)
    if not state or request.form.get("g_csrf_token") != state:
        return message(locale, "signin_csrf", 403, "/sign-in")
    try:
        signed = app.sign_in(request.form.get("credential", ""))
    except SignInRefused as refused:
        return message(locale, refused.reason, 403, "/sign-in")
    person = _console_person(app.directory, signed.email)
    if person is None:
        return message(locale, "signin_not_allowed", 403, "/sign-in")
    _, value = app.cookies.start(person.email)
    answer = flask.redirect("/", code=303)
    answer.set_cookie(COOKIE, value, **cookie_options(app.config.console_url.startswith("https")))
    answer.delete_cookie(STATE_COOKIE, path="/")
    return answer


texts.N_(
    "ui",
    "console_signed_out",
    "console_signed_out_done",
    "signin_csrf",
    "signin_not_allowed",
    "signin_invalid",
    "signin_expired",
    "signin_unverified",
    "signin_other_domain",
)


def today_in(app: ConsoleServices) -> date:
    calendar = app.directory.calendar(app.directory.settings().default_calendar)
    return calendar.localize(app.now()).date() if calendar else app.now().date()


__all__ = ["ConsoleServices", "Session", "handle", "today_in"]
