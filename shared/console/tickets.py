"""The console's tickets: the newest first, searched by number, by a person (address or
name), by asset, or by words of the title and description (accents folded), a page at a time.
Each row opens the ticket's page as its manager (the timeline, the evidence, the costs, the
breaches, the deliveries that failed, and the manager's actions: transfer, priority, cancel).
A department head finds their departments' tickets only."""

from __future__ import annotations

from urllib.parse import urlencode

import flask

from shared import texts
from shared.console.render import render
from shared.domain.keywords import words_of
from shared.domain.types import Role
from shared.errors import BadRequest

PAGE = 25
texts.N_("ui", "console_tickets", "console_search", "console_search_hint", "console_no_tickets")
texts.N_("ui", "console_opened_on", "console_more")


def page(request: flask.Request, app, person, session, locale: str) -> flask.Response:
    from shared.console.handlers import departments_headed
    from shared.console.render import message

    typed = request.args.get("q", "")[:200]
    words = words_of(typed)[:8]
    headed = (
        None if person.role == Role.MANAGER else departments_headed(person.email, app.directory)
    )
    try:
        found = app.search.search(words, headed, PAGE, request.args.get("after") or None)
    except BadRequest:
        return message(locale, "link_invalid", 400, "/tickets")
    calendar = app.directory.calendar(app.directory.settings().default_calendar)
    rows = [
        {
            "number": row.get("number") or "",
            "title": row.get("title", ""),
            "status": texts.text("status", row.get("status", "new"), locale),
            "priority": texts.text("priority", row.get("priority", "medium"), locale),
            "responsible": (row.get("responsible") or {}).get("name", ""),
            "requester": (row.get("requester") or {}).get("name", ""),
            "asset": (row.get("asset") or {}).get("tag", ""),
            "opened": _day(row["created_at"], calendar, locale),
            "url": app.links.url(row["id"], person.email, "manager"),
        }
        for row in found.rows
    ]
    more = "/tickets?" + urlencode({"q": typed, "after": found.next}) if found.next else ""
    context = {"person": person, "csrf": session.csrf, "typed": typed, "rows": rows, "more": more}
    return render("tickets.html", context, locale)


def _day(instant, calendar, locale: str) -> str:
    from babel.dates import format_date

    local = calendar.localize(instant) if calendar else instant
    return format_date(local.date(), format="medium", locale=locale.replace("-", "_"))
