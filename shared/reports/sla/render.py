"""The SLA report as HTML (Jinja2, autoescaped) and as PDF (WeasyPrint, imported only here and
only when a PDF is wanted, so that no other function's cold start pays for it)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared import texts
from shared.reports.sla.catalog import value_label
from shared.reports.sla.charts import pareto_chart, trend_chart
from shared.reports.sla.figures import BREAKDOWNS
from shared.reports.sla.service import Report

TEMPLATES = Path(__file__).parent / "templates"
templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


# The report's texts its template names by pieces ("by_" ~ dimension, "filter_" ~ name).
texts.N_(
    "report",
    "by_area",
    "by_category",
    "by_policy",
    "by_requester_area",
    "by_requester_department",
    "by_responsible_area",
    "by_responsible_department",
    "by_type",
    "filter_area",
    "filter_asset",
    "filter_department",
    "filter_policy",
    "filter_type",
    "trend_month",
    "trend_week",
)


class Formats:
    """Numbers, money, durations and dates in the reader's language."""

    def __init__(self, locale: str, zone: ZoneInfo) -> None:
        self.locale = locale
        self._babel = locale.replace("-", "_")
        self._zone = zone

    def t(self, key: str, **values: Any) -> str:
        return texts.report(key, self.locale, **values)

    def number(self, value: float | int | None) -> str:
        return "—" if value is None else format_decimal(value, locale=self._babel)

    def percent(self, value: float | None) -> str:
        return "—" if value is None else f"{format_decimal(value, '0.0', locale=self._babel)}%"

    def money(self, cents_by_currency: dict[str, int]) -> str:
        if not cents_by_currency:
            return "—"
        return " + ".join(
            format_currency(cents / 100, currency, locale=self._babel)
            for currency, cents in sorted(cents_by_currency.items())
        )

    def minutes(self, value: float | None) -> str:
        if value is None:
            return "—"
        # Business time: hours, never "days" (a business day is not 24 hours).
        hours, minutes = divmod(round(value), 60)
        return f"{format_decimal(hours, locale=self._babel)} h {minutes:02d} min"

    def seconds(self, value: int | None) -> str:
        return "—" if value is None else self.minutes(value // 60)

    def day(self, value: date | str) -> str:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, format="medium", locale=self._babel)

    def short_day(self, value: str) -> str:
        return format_date(date.fromisoformat(value), format="d MMM", locale=self._babel)

    def month(self, value: str) -> str:
        return format_date(date.fromisoformat(value), format="MMM yyyy", locale=self._babel)

    def when(self, value: datetime | str) -> str:
        instant = datetime.fromisoformat(value) if isinstance(value, str) else value
        return format_datetime(instant.astimezone(self._zone), format="short", locale=self._babel)


def report_html(report: Report, csv_url: str | None = None) -> str:
    figures = report.figures
    formats = Formats(report.locale, ZoneInfo(report.zone))
    labels = report.labels
    trend = figures["trend"]
    bucket_label = formats.short_day if trend["by"] == "week" else formats.month
    pareto_labels = [row["asset"] for row in figures["pareto"]]
    return templates.get_template("report.html").render(
        r=report,
        f=figures,
        fmt=formats,
        labels=labels,
        filter_names=_filter_names(report),
        breakdowns=BREAKDOWNS,
        trend_chart=trend_chart(
            trend["points"], [bucket_label(p["start"]) for p in trend["points"]]
        ),
        pareto_chart=pareto_chart(figures["pareto"], pareto_labels),
        status_name=lambda value: value_label("status", value, report.locale) or value,
        expense_name=lambda value: value_label("expense", value, report.locale) or value,
        csv_url=csv_url,
    )


def _filter_names(report: Report) -> list[tuple[str, str]]:
    names = {"area": "requester_area", "department": "requester_department"}
    found = []
    for name, value in report.query.filters.items():
        label = report.labels.get(names.get(name, name), {}).get(value, value)
        found.append((name, label))
    return found


def report_pdf(report: Report, csv_url: str | None = None) -> bytes:
    from weasyprint import HTML  # heavy: only here

    return HTML(string=report_html(report, csv_url), base_url=str(TEMPLATES)).write_pdf()
