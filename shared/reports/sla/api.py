"""The SLA report over HTTP (the `reports` function): a manager's request answered at once or
queued, and Cloud Tasks' delivery of a queued job. See functions/reports.py for the endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import flask

from shared.api.http import json_response, read_body
from shared.auth.managers import authenticate_manager, parse_manager_keys
from shared.domain.types import Role
from shared.errors import MethodNotAllowed, NotFound
from shared.reports.sla import deliver
from shared.reports.sla.jobs import JobRequest, run_job
from shared.reports.sla.query import parse_report_query
from shared.repositories.directory import departments_headed, person_of
from shared.timers.auth import authenticate_timer

if TYPE_CHECKING:
    from shared.bootstrap import Services
    from shared.links import LinkSigner
    from shared.mail import Mailer
    from shared.reports.assets import TicketQueries
    from shared.reports.sla.jobs import ReportJobs
    from shared.reports.sla.service import RollupReader
    from shared.repositories.deliveries import FirestoreDeliveries
    from shared.storage.evidence import EvidenceStore
    from shared.timers.queue import TaskQueue


@dataclass(frozen=True)
class ReportServices:
    base: Services
    rollups: RollupReader
    queries: TicketQueries
    jobs: ReportJobs
    store: EvidenceStore
    queue: TaskQueue
    mailer: Mailer
    deliveries: FirestoreDeliveries
    links: LinkSigner

    @property
    def jobs_url(self) -> str:
        return self.base.config.reports_url.rstrip("/") + "/jobs"

    @property
    def fold_url(self) -> str:
        return self.base.config.reports_url.rstrip("/") + "/rollups/fold"


def handle(request: flask.Request, app: ReportServices) -> flask.Response:
    path = request.path.rstrip("/")
    if path == "/jobs":
        return _job(request, app)
    if path == "/rollups/fold":
        return _fold(request, app)
    if path != "/sla":
        raise NotFound(f"no endpoint at {request.path}")
    if request.method != "GET":
        raise MethodNotAllowed("the report is read with GET")
    directory = app.base.directory
    manager = authenticate_manager(
        request.headers,
        directory,
        parse_manager_keys(app.base.config.manager_keys_json),
        app.base.config.manager_audience,
    )
    zone = deliver.zone_of(app)
    query = parse_report_query(request.args, app.base.now().astimezone(zone).date())
    locale = query.locale or manager.locale
    if deliver.must_queue(query):
        job = deliver.queue_report(app, manager, query, locale)
        return json_response(
            {"status": "queued", "job": job.job_id, "email": manager.email, "days": query.days},
            202,
        )
    name = f"relatorio-sla-{query.start}-{query.end}"
    if query.format == "csv":
        return flask.Response(
            deliver.csv_of(app, query, zone, locale),
            mimetype="text/csv",
            headers=_download(f"{name}.csv", "attachment"),
        )
    report = deliver.report_for(app, manager, query, locale)
    if query.format == "json":
        return json_response({**report.figures, "documents_read": report.documents_read})
    return flask.Response(
        deliver.pdf_of(report),
        mimetype="application/pdf",
        headers=_download(f"{name}.pdf", "inline"),
    )


def _fold(request: flask.Request, app: ReportServices) -> flask.Response:
    """Cloud Scheduler, hourly: the rollups' quiet live shards folded (shared/repositories/
    rollup_fold.py); safe to run twice or at once."""
    if request.method != "POST":
        raise MethodNotAllowed("the fold is POSTed by Cloud Scheduler")
    authenticate_timer(request.headers, app.base.config, audience=app.fold_url)
    done = app.rollups.fold()
    return json_response({"periods": done.periods, "shards": done.shards, "left": done.contended})


def _job(request: flask.Request, app: ReportServices) -> flask.Response:
    if request.method != "POST":
        raise MethodNotAllowed("report jobs are POSTed by Cloud Tasks")
    authenticate_timer(request.headers, app.base.config, audience=app.jobs_url)
    job = JobRequest.decode(read_body(request, 8192))
    manager = person_of(app.base.directory, job.manager)
    if not _may_read(manager, job, app.base.directory):
        # Queued while they were a manager (or the head of the report's department); no longer
        # one: nothing is rendered or sent.
        return json_response({"outcome": "manager gone", "job": job.job_id})
    zone = deliver.zone_of(app)
    outcome = run_job(
        job,
        jobs=app.jobs,
        store=app.store,
        render=lambda query, locale, csv_url: deliver.render_job(
            app, manager, query, locale, csv_url
        ),
        compose=lambda job_, query, pdf, csv: deliver.job_mail(
            app, job_, query, pdf, csv, manager.name
        ),
        deliver=lambda ref, mail: app.deliveries.deliver(ref, mail, app.mailer),
        today=app.base.now().astimezone(zone).date(),
        now=app.base.now(),
    )
    return json_response({"outcome": outcome, "job": job.job_id})


def _may_read(person, job: JobRequest, directory) -> bool:
    """An active manager, or the active head of the department the report is limited to (the
    console queues a head's report with their department as its filter)."""
    if person is None or not person.active:
        return False
    if person.role == Role.MANAGER:
        return True
    department = job.args.get("department")
    return bool(department) and department in departments_headed(person.email, directory)


def _download(filename: str, disposition: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
