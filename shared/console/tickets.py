"""The console's tickets: the newest first, searched by number, by a person (address or
name), by asset, or by words of the title and description (accents folded), and filtered as
the dashboard is plus status, the SLA's state now, requester and responsible; a page at a time.
Each row opens the ticket's page as its manager (the timeline, the evidence, the costs, the
breaches, the deliveries that failed, and the manager's actions: transfer, priority, cancel).
A department head finds their departments' tickets only."""

from __future__ import annotations

import flask

from shared import texts
from shared.console.filters import (
    TICKET_FILTERS,
    choices,
    headed_by,
    read_filters,
    wrong_notice,
)
from shared.console.render import render
from shared.domain.keywords import words_of
from shared.errors import BadRequest

PAGE = 25
texts.N_("ui", "console_tickets", "console_search", "console_search_hint", "console_no_tickets")
texts.N_("ui", "console_opened_on", "console_more", "console_csv", "console_more_filters")


def page(request: flask.Request, app, person, session, locale: str) -> flask.Response:
    from shared.console.render import message

    typed = request.args.get("q", "")[:200]
    words = words_of(typed)[:8]
    headed = headed_by(app, person) or None
    options = choices(app.directory, locale, headed or [])
    filters = read_filters(request.args, TICKET_FILTERS, options)
    context = {"person": person, "csrf": session.csrf, "typed": typed, "choices": options}
    context |= {"filters": filters.typed, "notice": "", "more": "", "csv": ""}
    if filters.wrong:  # nothing listed, what was typed shown again, the wrong fields named
        context |= {"rows": [], "notice": wrong_notice(filters, locale)}
        return render("tickets.html", context, locale, 400)
    try:
        found = app.search.search(
            words, headed, PAGE, request.args.get("after") or None, filters.values
        )
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
            "sla": texts.ui(f"console_sla_{row['sla_flag']}", locale)
            if row.get("sla_flag") in ("breached", "at_risk")
            else "",
            "opened": _day(row["created_at"], calendar, locale),
            "url": app.links.url(row["id"], person.email, "manager"),
        }
        for row in found.rows
    ]
    more = "/tickets?" + filters.query(q=typed, after=found.next or "") if found.next else ""
    context |= {"rows": rows, "more": more, "csv": "/tickets.csv?" + filters.query(q=typed)}
    return render("tickets.html", context, locale)


def _day(instant, calendar, locale: str) -> str:
    from babel.dates import format_date

    local = calendar.localize(instant) if calendar else instant
    return format_date(local.date(), format="medium", locale=locale.replace("-", "_"))


CSV_COLUMNS = (
    "number",
    "type",
    "status",
    "priority",
    "title",
    "requester",
    "responsible",
    "responsible_department",
    "asset",
    "created_at",
    "response_due",
    "resolution_due",
)
CSV_PAGE, CSV_MAX = 200, 10_000
texts.N_("ui", "console_csv_number", "console_csv_type", "console_csv_status")
texts.N_("ui", "console_csv_priority", "console_csv_title", "console_csv_requester")
texts.N_("ui", "console_csv_responsible", "console_csv_responsible_department")
texts.N_("ui", "console_csv_asset", "console_csv_created_at", "console_csv_response_due")
texts.N_("ui", "console_csv_resolution_due")


def _headers(locale: str) -> dict[str, str]:
    """The columns' names in the reader's language (the values are in it too)."""
    return {column: texts.ui(f"console_csv_{column}", locale) for column in CSV_COLUMNS}


def csv(request: flask.Request, app, person, locale: str) -> flask.Response:
    """What the list shows for the same search, every page of it (up to 10,000 rows), as a
    spreadsheet in the reader's notation (shared/reports/spreadsheet.py)."""
    from zoneinfo import ZoneInfo

    from shared.reports.spreadsheet import csv_lines, dialect_for, spreadsheet_time

    words = words_of(request.args.get("q", "")[:200])[:8]
    headed = headed_by(app, person) or None
    filters = read_filters(
        request.args, TICKET_FILTERS, choices(app.directory, locale, headed or [])
    )
    if filters.wrong:
        from shared.console.render import message_text

        return message_text(wrong_notice(filters, locale), locale, 400, "/tickets")
    calendar = app.directory.calendar(app.directory.settings().default_calendar)
    when = spreadsheet_time(calendar.zone if calendar else ZoneInfo("UTC"))

    def rows():
        cursor, sent = None, 0
        while sent < CSV_MAX:
            found = app.search.search(words, headed, CSV_PAGE, cursor, filters.values)
            for row in found.rows:
                sent += 1
                department = app.directory.department((row.get("work") or {}).get("department", ""))
                yield {
                    "number": row.get("number") or "",
                    "type": texts.ui(row["type"], locale) if row.get("type") else "",
                    "status": texts.text("status", row.get("status", "new"), locale),
                    "priority": texts.text("priority", row.get("priority", "medium"), locale),
                    "title": row.get("title", ""),
                    "requester": (row.get("requester") or {}).get("email", ""),
                    "responsible": (row.get("responsible") or {}).get("email", ""),
                    "responsible_department": department.name if department else "",
                    "asset": (row.get("asset") or {}).get("tag", ""),
                    "created_at": when(row.get("created_at")),
                    "response_due": when(row.get("response_due")),
                    "resolution_due": when(row.get("resolution_due")),
                }
            if not found.next:
                return
            cursor = found.next

    answer = flask.Response(
        flask.stream_with_context(
            csv_lines(CSV_COLUMNS, rows(), dialect_for(locale), _headers(locale))
        ),
        mimetype="text/csv",
    )
    answer.headers["Content-Disposition"] = 'attachment; filename="chamados.csv"'
    answer.headers["Cache-Control"] = "no-store"
    answer.headers["X-Content-Type-Options"] = "nosniff"
    return answer
