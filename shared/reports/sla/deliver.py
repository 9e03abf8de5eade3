"""The report in the form asked for: JSON figures, the PDF, the CSV, or a queued job whose
links arrive by e-mail (periods longer than `INLINE_DAYS`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.domain.organisation import Person
from shared.reports.sla.jobs import LINK_TTL, JobRequest, queue_job, report_mail
from shared.reports.sla.query import INLINE_DAYS, ReportQuery
from shared.reports.sla.service import Report, build_report
from shared.reports.sla.tickets_csv import COLUMNS, ticket_row, tickets_in
from shared.reports.spreadsheet import csv_lines, dialect_for


def must_queue(query: ReportQuery) -> bool:
    return query.format != "json" and query.days > INLINE_DAYS


def report_for(app, manager: Person, query: ReportQuery, locale: str) -> Report:
    """The figures, with each listed ticket linked to its page (read-only for the manager)."""
    report = build_report(app.rollups, app.base.directory, query, locale, app.base.now())
    for section, key in (("breached", "worst"), ("at_risk", "soonest")):
        for line in report.figures[section][key]:
            line["link"] = app.links.url(line["id"], manager.email, "manager")
    return report


def pdf_of(report: Report, csv_url: str | None = None) -> bytes:
    from shared.reports.sla.render import report_pdf

    return report_pdf(report, csv_url)


def csv_of(app, query: ReportQuery, zone: ZoneInfo, locale: str) -> Iterator[str]:
    """Every ticket of the period, as the manager's spreadsheet reads it (their language's
    separator and decimal mark)."""
    currency = app.base.directory.settings().currency
    tickets = tickets_in(app.queries, query, zone)
    rows = (ticket_row(ticket, share, zone, currency) for ticket, share in tickets)
    return csv_lines(COLUMNS, rows, dialect_for(locale))


def queue_report(app, manager: Person, query: ReportQuery, locale: str) -> JobRequest:
    now = app.base.now()
    return queue_job(
        app.jobs,
        lambda name, body: app.queue.enqueue(name, body, now),
        manager.email,
        query,
        locale,
        now,
    )


def render_job(
    app, manager: Person, query: ReportQuery, locale: str, csv_url: str
) -> tuple[bytes, bytes]:
    zone = zone_of(app)
    report = report_for(app, manager, query, locale)
    csv_text = "".join(csv_of(app, query, zone, locale))
    return pdf_of(report, csv_url), csv_text.encode("utf-8")


def job_mail(app, job: JobRequest, query: ReportQuery, pdf_url: str, csv_url: str, name: str):
    from shared.reports.sla.render import Formats

    config = app.base.config
    now: datetime = app.base.now()
    formats = Formats(job.locale, zone_of(app))
    return report_mail(
        job,
        query,
        pdf_url,
        csv_url,
        sender=(
            config.mail.sender,
            config.mail.sender_name,
            config.mail.sender.rpartition("@")[2] or "helpdesk",
        ),
        manager_name=name,
        now=now,
        expires=formats.when(now + LINK_TTL),
        console_url=config.console_url,
    )


def zone_of(app) -> ZoneInfo:
    directory = app.base.directory
    return directory.calendar(directory.settings().default_calendar).zone
