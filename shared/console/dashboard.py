"""The dashboard: the service now (open tickets by status) and over a period (default this
month): opened, closed, cancelled, SLA compliance, mean and 90th percentile times in business
time, expenses and financial loss per currency, satisfaction, the weekly trend and the Pareto
of incidents per asset, drawn as the PDF draws them. Every figure comes from the report's
rollups and a few counting queries: its cost does not grow with the number of tickets.

A department head sees their departments only (the department filter is theirs); a manager
sees the organisation.
"""

from __future__ import annotations

from typing import Any, Protocol
from zoneinfo import ZoneInfo

import flask

from shared import texts
from shared.console.filters import choices, headed_by, read_report_query
from shared.console.render import render
from shared.domain.organisation import Person
from shared.domain.ticket import OPEN_STATUSES, Status
from shared.reports.sla.charts import pareto_chart, trend_chart
from shared.reports.sla.render import Formats

texts.N_("ui", "console_title", "console_back", "console_signin_hint", "console_signin_stand_in")
texts.N_("ui", "console_bad_filters", "console_breached_period")
texts.N_("ui", "console_filter_area", "console_filter_department", "console_filter_type")
texts.N_("ui", "console_filter_priority", "console_filter_policy")


class Figures(Protocol):
    def report(self, query, locale: str) -> Any: ...
    def open_now(self, departments: list[str] | None) -> Any: ...  # OpenNow


def page(request: flask.Request, app, person: Person, session, locale: str) -> flask.Response:

    headed = headed_by(app, person)
    query, typed, notice = read_report_query(app, person, locale, request.args, ("json",))
    if query is None:  # the month's figures below, what was typed and what is wrong above
        query, _, _ = read_report_query(app, person, locale, {}, ("json",))
    report = app.figures.report(query, locale)
    figures = report.figures
    formats = Formats(locale, ZoneInfo(report.zone))
    trend = figures["trend"]
    bucket_label = formats.short_day if trend["by"] == "week" else formats.month
    context = {
        "person": person,
        "csrf": session.csrf,
        "notice": notice,
        "query": query,
        "typed": typed,
        "f": figures,
        "o": figures["overall"],
        "fmt": formats,
        "open_now": app.figures.open_now(headed or None),
        "open_statuses": [str(s) for s in Status if s in OPEN_STATUSES],  # in life's order
        "status_name": lambda value: texts.text("status", value, locale),
        "choices": choices(app.directory, locale, headed),
        "trend_chart": trend_chart(
            trend["points"], [bucket_label(p["start"]) for p in trend["points"]]
        ),
        "pareto_chart": pareto_chart(
            figures["pareto"], [row["asset"] for row in figures["pareto"]]
        ),
    }
    return render("dashboard.html", context, locale, 400 if notice else 200)
