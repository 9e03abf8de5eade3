"""A person's own lists, behind the personal link in every e-mail's footer (GET /me/<link>).

What the person is for the help desk decides the lists: the tickets they are responsible for
(open, by urgency and next due instant; waiting on the requester; resolved and awaiting
confirmation), those of the departments they head, and those they asked for. Each row opens
the ticket's page for that person, in the role the list gives them. Filters (status, type,
priority, asset) apply to every list; "more" pages one list with a cursor.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import flask

from shared import texts
from shared.display.agreements import agreements
from shared.domain.organisation import Person
from shared.domain.types import Role
from shared.domain.work_lists import FILTERS
from shared.errors import InvalidLink
from shared.formatting import format_business_time
from shared.links import LinkSigner, PersonalLinks
from shared.pages import answers
from shared.pages.csrf import FormRefused, FormTokens
from shared.pages.renewal import expired_personal_page
from shared.repositories.directory import Directory, person_of

PAGE = 20
_VALUE = re.compile(r"[\w.-]{1,60}")

texts.N_(
    "ui",
    "lists_responsible_open",
    "lists_responsible_waiting",
    "lists_responsible_resolved",
    "lists_requester_open",
    "lists_requester_resolved",
    "next_open",
    "next_waiting",
    "next_resolved",
    "row_breached",
    "row_at_risk",
    "digest_off",
    "digest_on",
    "lists_responsible_closed",
    "lists_requester_closed",
    "lists_nothing",
)


class Lists(Protocol):
    """shared/repositories/personal_lists.py"""

    def page(
        self,
        who: str,
        value: str,
        phases: list[str],
        filters: dict[str, str],
        size: int,
        cursor: str | None,
    ) -> Any: ...


@dataclass(frozen=True)
class Section:
    name: str  # in the query string (?list=)
    title: str
    who: str  # responsible, requester, department
    value: str
    phases: list[str]
    role: str  # the role its rows' links carry


class DigestSettings(Protocol):
    """shared/repositories/digests.py"""

    def is_off(self, email: str) -> bool: ...
    def set_off(self, email: str, off: bool) -> None: ...


@dataclass(frozen=True)
class ListServices:
    directory: Directory
    lists: Lists
    personal: PersonalLinks
    links: LinkSigner
    now: Callable[[], datetime]
    forms: FormTokens | None = None  # the digest's setting is a form
    digests: DigestSettings | None = None


def receives_digest(person: Person, directory: Directory) -> bool:
    """Agents, managers and department heads get a daily digest (shared/digest/plan.py)."""
    if person.role in (Role.AGENT, Role.MANAGER):
        return True
    return any(
        (department := directory.department(d)) is not None and department.head == person.email
        for d in directory.department_ids()
    )


def _person(app: ListServices, token: str, locale: str) -> Person | flask.Response:
    """The person a personal link names, or the page that says why not."""
    try:
        email = app.personal.verify(token)
    except InvalidLink as error:
        if error.reason == "expired":  # say so, and offer a new one to the same address
            return expired_personal_page(token, app.personal.signed_email(token), locale)
        return answers.message(locale, "link_invalid", 403)
    person = person_of(app.directory, email)
    if person is None or not person.active:
        return answers.message(locale, "link_person_inactive", 403)
    return person


def agreements_page(
    request: flask.Request, app: ListServices, token: str, locale: str
) -> flask.Response:
    """GET /me/<link>/agreements: every service agreement, in the person's language."""
    found = _person(app, token, locale)
    if isinstance(found, flask.Response):
        return found
    locale = found.locale
    if request.method not in ("GET", "HEAD"):
        return answers.message(locale, "method_not_allowed", 405)
    context = {
        "t": lambda key, **kw: texts.ui(key, locale, **kw),
        "locale": locale,
        "agreements": agreements(app.directory, locale),
        "back": f"/me/{token}",
    }
    return answers.render("agreements.html", context)


def digest_setting(
    request: flask.Request, app: ListServices, token: str, locale: str
) -> flask.Response:
    """POST /me/<link>/digest: turn one's daily digest off (off=1) or on again (off=0)."""
    found = _person(app, token, locale)
    if isinstance(found, flask.Response):
        return found
    person, locale = found, found.locale
    if request.method != "POST":
        return answers.message(locale, "method_not_allowed", 405)
    if app.forms is None or app.digests is None:
        return answers.message(locale, "link_invalid", 404)
    try:
        app.forms.nonce(request.form.get("form_token"), token, "digest")
    except FormRefused as refused:
        return answers.message(locale, refused.reason, 403, f"/me/{token}")
    off = request.form.get("off") == "1"
    app.digests.set_off(person.email, off)
    done = "digest_off" if off else "digest_on"
    return answers.with_headers(flask.redirect(f"/me/{token}?done={done}#digest", code=303))


def handle(request: flask.Request, app: ListServices, token: str, locale: str) -> flask.Response:
    found = _person(app, token, locale)
    if isinstance(found, flask.Response):
        return found
    person, locale = found, found.locale
    if request.method not in ("GET", "HEAD"):
        return answers.message(locale, "method_not_allowed", 405)
    filters = {
        name: value
        for name in FILTERS
        if (value := request.args.get(name, "").strip()) and _VALUE.fullmatch(value)
    }
    only = request.args.get("list")
    sections = sections_for(person, app.directory, locale, filters.get("status"))
    if only is not None:
        sections = [s for s in sections if s.name == only]
        if not sections:
            return answers.message(locale, "link_invalid", 404)
    cursor = request.args.get("after") if only else None
    shown = []
    for section in sections:
        page = app.lists.page(section.who, section.value, section.phases, filters, PAGE, cursor)
        shown.append(
            {
                "name": section.name,
                "title": section.title,
                "rows": [_row(row, section, person, app, locale) for row in page.rows],
                "next": _more(token, section.name, page.next, filters) if page.next else None,
            }
        )
    # the lists the person has something in (a technician who never asked for anything sees no
    # empty "your requests"); with nothing anywhere, the first says so
    if not only:  # the lists the person has something in; with nothing anywhere, one line
        shown = [section for section in shown if section["rows"]] or [
            {"name": "none", "title": texts.ui("lists_nothing", locale), "rows": [], "next": None}
        ]
    context = {
        "t": lambda key, **kw: texts.ui(key, locale, **kw),
        "locale": locale,
        "person": person,
        "sections": shown,
        "filters": filters,
        "base": f"/me/{token}",
        "choices": _choices(locale),
        "only": only,
        "digest": _digest_form(person, token, app),
        "notice": texts.ui(done, locale)
        if (done := request.args.get("done")) in ("digest_off", "digest_on")
        else "",
    }
    return answers.render("lists.html", context)


def _digest_form(person: Person, token: str, app: ListServices) -> dict | None:
    if app.forms is None or app.digests is None or not receives_digest(person, app.directory):
        return None
    return {"off": app.digests.is_off(person.email), "token": app.forms.issue(token, "digest")}


def sections_for(
    person: Person, directory: Directory, locale: str, status: str | None = None
) -> list[Section]:
    t = lambda key, **kw: texts.ui(key, locale, **kw)  # noqa: E731
    email = person.email
    if status in ("closed", "cancelled"):  # the lists' closed tickets, asked for by status
        return [
            Section(
                "done",
                t("lists_responsible_closed"),
                "responsible",
                email,
                ["closed"],
                "responsible",
            ),
            Section(
                "asked-done",
                t("lists_requester_closed"),
                "requester",
                email,
                ["closed"],
                "requester",
            ),
        ]
    found = [
        Section("open", t("lists_responsible_open"), "responsible", email, ["open"], "responsible"),
        Section(
            "waiting",
            t("lists_responsible_waiting"),
            "responsible",
            email,
            ["waiting"],
            "responsible",
        ),
        Section(
            "resolved",
            t("lists_responsible_resolved"),
            "responsible",
            email,
            ["resolved"],
            "responsible",
        ),
    ]
    for department_id in directory.department_ids():
        department = directory.department(department_id)
        if department is not None and department.head == email:
            found.append(
                Section(
                    f"dept-{department_id}",
                    t("lists_department", department=department.name),
                    "department",
                    department_id,
                    ["open", "waiting"],
                    "manager",
                )
            )
    found += [
        Section(
            "mine", t("lists_requester_open"), "requester", email, ["open", "waiting"], "requester"
        ),
        Section(
            "confirm", t("lists_requester_resolved"), "requester", email, ["resolved"], "requester"
        ),
    ]
    return found


def _row(
    row: dict[str, Any], section: Section, person: Person, app: ListServices, locale: str
) -> dict[str, Any]:
    t = lambda key, **kw: texts.ui(key, locale, **kw)  # noqa: E731
    work = row.get("work") or {}
    calendar = app.directory.calendar(row.get("calendar_id", ""))
    due = row["response_due"] if row.get("responded_at") is None else row["resolution_due"]
    now = app.now()
    paused = any(p.get("end") is None for p in row.get("pauses") or [])
    if work.get("phase") != "open" or calendar is None:
        left = ""
    elif paused:
        left = t("paused")
    elif due >= now:
        left = t("due_in", time=format_business_time(calendar.between(now, due)))
    else:
        left = t("overdue_by", time=format_business_time(calendar.between(due, now)))
    responsible = (row.get("responsible") or {}).get("name", "")
    phase = work.get("phase", "open")
    return {
        "number": row.get("number") or "",
        "title": row.get("title", ""),
        "status": texts.text("status", row.get("status", "new"), locale),
        "priority": texts.text("priority", row.get("priority", "medium"), locale),
        "asset": (row.get("asset") or {}).get("tag", ""),
        "left": left,
        "flag": (flag := {"0": "breached", "1": "at_risk"}.get(str(work.get("order", "2"))[:1])),
        "flag_text": t(f"row_{flag}") if flag else "",
        "next": t(f"next_{phase}", responsible=responsible)
        if section.role == "requester" and phase in ("open", "waiting", "resolved")
        else "",
        "url": app.links.url(row["id"], person.email, section.role),
    }


def _more(token: str, name: str, cursor: str, filters: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return f"/me/{token}?" + urlencode({**filters, "list": name, "after": cursor})


def _choices(locale: str) -> dict[str, list[tuple[str, str]]]:
    from shared.domain.ticket import Status
    from shared.domain.types import Priority, TicketType

    return {
        "status": [(str(s), texts.text("status", s, locale)) for s in Status],
        "type": [(str(k), texts.ui(k, locale)) for k in TicketType],
        "priority": [(str(p), texts.text("priority", p, locale)) for p in Priority],
    }
