"""Reports too long to render while the manager waits: queued, rendered in the background,
stored in the bucket and sent to the manager as signed links (PDF and CSV).

The job's id comes from who asked, what and on which day, so asking twice the same day queues
one job; Cloud Tasks may deliver it twice, and the job then finds its files already stored
and its e-mail already claimed (`deliveries`): the manager gets one message.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from shared import texts
from shared.errors import BadRequest
from shared.mail.message import OutgoingMail
from shared.reports.sla.query import ReportQuery, parse_report_query

LINK_TTL = timedelta(days=7)


@dataclass(frozen=True)
class JobRequest:
    job_id: str
    manager: str
    locale: str
    args: dict[str, str]

    def encode(self) -> bytes:
        return json.dumps(
            {"job": self.job_id, "manager": self.manager, "locale": self.locale, "args": self.args}
        ).encode()

    @classmethod
    def decode(cls, body: bytes) -> JobRequest:
        try:
            data = json.loads(body)
            job = cls(data["job"], data["manager"], data["locale"], dict(data["args"]))
            if not re.fullmatch(r"report-[0-9a-f]{24}", job.job_id):
                raise ValueError("not a report job")
            return job
        except (ValueError, KeyError, TypeError):
            raise BadRequest("the body is not a report job") from None


def job_id(manager: str, query: ReportQuery, locale: str, today: str) -> str:
    text_ = json.dumps([manager, query.to_args(), locale, today], sort_keys=True)
    return "report-" + hashlib.sha256(text_.encode()).hexdigest()[:24]


class ReportJobs(Protocol):
    """The record of queued jobs (shared/repositories/report_jobs.py)."""

    def record(self, job_id: str, manager: str, args: dict, locale: str, now: datetime) -> None: ...

    def started(self, job_id: str, now: datetime) -> None: ...

    def path(self, job_id: str) -> str: ...


def queue_job(
    jobs: ReportJobs,
    enqueue: Callable[[str, bytes], None],
    manager: str,
    query: ReportQuery,
    locale: str,
    now: datetime,
) -> JobRequest:
    key = job_id(manager, query, locale, now.date().isoformat())
    job = JobRequest(key, manager, locale, query.to_args())
    # Asked again the same day: the record exists and the named task is the same task.
    jobs.record(job.job_id, manager, job.args, locale, now)
    enqueue(job.job_id, job.encode())
    return job


@dataclass(frozen=True)
class JobFiles:
    pdf: str
    csv: str


def files_of(job: JobRequest) -> JobFiles:
    return JobFiles(f"reports/{job.job_id}/relatorio-sla.pdf", f"reports/{job.job_id}/chamados.csv")


def run_job(
    job: JobRequest,
    *,
    jobs: ReportJobs,
    store: Any,
    render: Callable[[ReportQuery, str, str], tuple[bytes, bytes]],
    compose: Callable[[JobRequest, ReportQuery, str, str], OutgoingMail],
    deliver: Callable[[str, OutgoingMail], Any],
    today: Any,
    now: datetime | None = None,
) -> str:
    """Render (unless already stored), then mail the links once. The PDF links to its CSV."""
    query = parse_report_query(job.args, today)
    files = files_of(job)
    csv_url = store.signed_url(files.csv, LINK_TTL)
    if store.head(files.pdf, 1) is None:
        if now is not None:
            jobs.started(job.job_id, now)  # the console shows it being prepared
        pdf, csv_bytes = render(query, job.locale, csv_url)
        store.write(files.csv, csv_bytes, "text/csv; charset=utf-8")
        store.write(files.pdf, pdf, "application/pdf")  # last: its presence means done
    mail = compose(job, query, store.signed_url(files.pdf, LINK_TTL), csv_url)
    return str(deliver(jobs.path(job.job_id), mail))


def report_mail(
    job: JobRequest,
    query: ReportQuery,
    pdf_url: str,
    csv_url: str,
    *,
    sender: tuple[str, str, str],
    manager_name: str,
    now: datetime,
    expires: str,
    console_url: str = "",
) -> OutgoingMail:
    """A short message with the two links (`sender`: address, name, domain)."""
    from shared.reports.sla.render import templates

    values = {
        "greeting": texts.ui("hello", job.locale, name=manager_name),
        "intro": texts.report("mail_body", job.locale, expires=expires),
        "links": [
            (texts.report("mail_pdf", job.locale), pdf_url),
            (texts.report("mail_csv", job.locale), csv_url),
            *([(texts.ui("console_link", job.locale), console_url)] if console_url else []),
        ],
        "locale": job.locale,
    }
    subject = texts.report("mail_subject", job.locale, start=query.start, end=query.end)
    plain = templates.get_template("mail.txt").render(values)
    html = templates.get_template("mail.html").render(values)
    address, name, domain = sender
    return OutgoingMail(
        sender=address,
        sender_name=name,
        to=job.manager,
        to_name=manager_name,
        subject=subject,
        text=plain,
        html=html,
        message_id=f"<{job.job_id}@{domain}>",
        thread_id=f"<{job.job_id}@{domain}>",
        sent_at=now,
    )
