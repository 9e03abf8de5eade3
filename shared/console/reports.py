"""The console's reports: a period and filters, then the SLA report's PDF or the CSV of its
tickets, downloaded at once (up to `INLINE_DAYS` days, as the `reports` function answers);
a longer period is queued (a POST, with the session's CSRF token) and its page shows the job's
progress, then the links to its files. A department head's report is their department's."""

from __future__ import annotations

import re

import flask

from shared import texts
from shared.console.filters import choices, headed_by, read_report_query
from shared.console.render import message, render
from shared.reports.sla import deliver
from shared.reports.sla.jobs import LINK_TTL, files_of
from shared.reports.sla.query import INLINE_DAYS, ReportQuery

FORMATS = ("pdf", "csv")
texts.N_("ui", "console_reports", "console_reports_intro", "console_download_pdf")
texts.N_("ui", "console_download_csv", "console_bad_period", "console_long_period")
texts.N_("ui", "console_prepare", "console_job_title", "console_job_queued")
texts.N_("ui", "console_job_rendering", "console_job_ready", "console_job_links_expire")
texts.N_("ui", "console_job_mail", "console_job_unknown", "console_job_done_title")


def handle(request: flask.Request, app, person, session, locale: str, path: str):
    if path == "/reports":
        if request.method not in ("GET", "HEAD"):
            return message(locale, "method_not_allowed", 405, "/reports")
        return _form(request, app, person, session, locale, request.args)
    if path == "/reports/download":
        if request.method not in ("GET", "HEAD"):
            return message(locale, "method_not_allowed", 405, "/reports")
        return _download(request, app, person, session, locale)
    if path == "/reports/jobs":
        if request.method != "POST":
            return message(locale, "method_not_allowed", 405, "/reports")
        return _queue(request, app, person, session, locale)
    found = re.fullmatch(r"/reports/jobs/(report-[0-9a-f]{24})", path)
    if found and request.method in ("GET", "HEAD"):
        return _job(app, person, session, locale, found.group(1))
    return message(locale, "link_invalid", 404, "/reports")


def _form(request, app, person, session, locale, args):
    _, typed, notice = read_report_query(app, person, locale, args)
    return _page(app, person, session, locale, typed, notice)


def _page(app, person, session, locale, typed, notice="", long: ReportQuery | None = None):
    """The form, with what was typed; `notice` names what is wrong (400); `long`: a period to
    prepare in the background, offered as a button."""
    from shared.console.handlers import today_in

    headed = headed_by(app, person)
    today = today_in(app)
    context = {
        "person": person,
        "csrf": session.csrf,
        "notice": notice,
        "typed": typed,
        "start": typed.get("from") or today.replace(day=1).isoformat(),
        "end": typed.get("to") or today.isoformat(),
        "choices": choices(app.directory, locale, headed),
        "only_own": len(headed) == 1,
        "inline_days": INLINE_DAYS,
        "long": {"days": long.days, "args": long.to_args()} if long else None,
    }
    return render("reports.html", context, locale, 400 if notice else 200)


def _download(request, app, person, session, locale):
    query, typed, notice = read_report_query(app, person, locale, request.args)
    if query is None:
        return _page(app, person, session, locale, typed, notice)
    if deliver.must_queue(query):  # a long period: offered to be prepared (a POST)
        return _page(app, person, session, locale, typed, long=query)
    reports = app.reports()
    name = f"relatorio-sla-{query.start}-{query.end}"
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if query.format == "csv":
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        zone = deliver.zone_of(reports)
        lines = deliver.csv_of(reports, query, zone, locale)
        return flask.Response(flask.stream_with_context(lines), 200, headers, mimetype="text/csv")
    report = deliver.report_for(reports, person, query, locale)
    headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return flask.Response(deliver.pdf_of(report), 200, headers, mimetype="application/pdf")


def _queue(request, app, person, session, locale):
    if not app.cookies.csrf_ok(session, request.form.get("csrf")):
        return message(locale, "form_forged", 403, "/reports")
    query, typed, notice = read_report_query(app, person, locale, request.form)
    if query is None:
        return _page(app, person, session, locale, typed, notice)
    job = deliver.queue_report(app.reports(), person, query, locale)
    return flask.redirect(f"/reports/jobs/{job.job_id}", code=303)


def _job(app, person, session, locale, job_id: str):
    reports = app.reports()
    record = reports.jobs.read(job_id)
    if record is None or record.get("manager") != person.email:
        return message(locale, "console_job_unknown", 404, "/reports")
    from shared.reports.sla.jobs import JobRequest

    job = JobRequest(job_id, person.email, record.get("locale", locale), record.get("args", {}))
    files = files_of(job)
    ready = reports.store.head(files.pdf, 1) is not None
    state = "ready" if ready else ("rendering" if record.get("started_at") else "queued")
    links = (
        {
            "pdf": reports.store.signed_url(files.pdf, LINK_TTL),
            "csv": reports.store.signed_url(files.csv, LINK_TTL),
        }
        if ready
        else None
    )
    context = {
        "person": person,
        "csrf": session.csrf,
        "state": state,
        "links": links,
        "period": _period_text(app, record["args"], locale),
        "requested": record.get("requested_at"),
    }
    return render("report_job.html", context, locale)


def _period_text(app, args: dict, locale: str) -> str:
    from shared.reports.sla.render import Formats

    formats = Formats(locale, deliver.zone_of(app.reports()))
    try:
        return f"{formats.day(args['from'])} – {formats.day(args['to'])}"
    except (KeyError, ValueError):
        return ""
