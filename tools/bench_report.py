"""The SLA report's benchmark: seed 1,000 and 10,000 finished tickets over the same 90 days
into the Firestore emulator (each in a project of its own), then time the report.

Seeding writes what the help desk itself would have written: each ticket is drafted by
intake's own code, given a plausible life (response, resolution, breaches, costs, rating),
and its share of the rollups is computed by the rollup's own code and summed per day and week;
so are its lists' keys and the open-now counters (the console's benchmark uses the same data).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tools.stack import ROOT

DAYS = 90
COUNTS = (1_000, 10_000, 100_000)  # the last in full mode only
END = date(2026, 11, 20)
POLICY_SHAPES = {
    "inc-linha-parada": ("incident", ["CNC-01", "CNC-02", "PRENSA-01", "ROBO-SOLDA-01"]),
    "inc-degradacao": ("incident", ["TORNO-03", "PRENSA-02", "COMPRESSOR-01", "CMM-01"]),
    "inc-sistema-fora": ("incident", ["ERP-PROTHEUS", "MES-CHAO-FABRICA"]),
    "req-manutencao-preventiva": ("request", ["CNC-01", "PRENSA-02", "EMPILHADEIRA-02"]),
}
FIELDS = {
    "inc-linha-parada": lambda tag: {"linha": "usinagem-1", "maquina": tag, "sintoma": "parou"},
    "inc-degradacao": lambda tag: {"maquina": tag, "sintoma": "lento"},
    "inc-sistema-fora": lambda tag: {"sistema": tag},
    "req-manutencao-preventiva": lambda tag: {"maquina": tag, "servico": "lubrificar"},
}
REQUESTERS = [
    "lucas.oliveira@metalvale.com.br",
    "fernanda.gomes@metalvale.com.br",
    "paulo.ribeiro@metalvale.com.br",
    "ana.souza@metalvale.com.br",
    "mariana.rocha@metalvale.com.br",
    "joao.ferreira@metalvale.com.br",
]


def synthetic_ticket(directory, index: int, rng: random.Random):
    """A ticket as intake drafts it, then moved to a plausible end state."""
    from shared.config import Config
    from shared.domain.change import changed
    from shared.domain.ticket import Status
    from shared.intake.schema import Submission
    from shared.intake.service import draft_ticket

    policy = rng.choice(sorted(POLICY_SHAPES))
    kind, assets = POLICY_SHAPES[policy]
    tag = rng.choice(assets)
    first = datetime.combine(END - timedelta(days=DAYS - 1), datetime.min.time(), UTC)
    opened = first + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
    submission = Submission.model_validate(
        {
            "submission_id": f"bench-{index}",
            "source": "api",
            "type": kind,
            "policy": policy,
            "title": f"Chamado sintético {index}",
            "requester": {"email": rng.choice(REQUESTERS)},
            "asset": tag,
            "fields": FIELDS[policy](tag),
        }
    )
    ticket, _ = draft_ticket(f"bench{index:08d}", submission, "api", directory, Config(), opened)
    responded = opened + timedelta(minutes=rng.randrange(2, 600))
    updates: dict[str, Any] = {
        "number": f"{ticket.type.number_prefix}-{index:06d}",
        "responded_at": responded,
        "status": Status.IN_PROGRESS,
    }
    if responded > ticket.response_due:
        updates |= {"response_breached_at": ticket.response_due, "sla_flag": "breached"}
    if rng.random() < 0.85:
        resolved = responded + timedelta(minutes=rng.randrange(10, 3000))
        updates |= {"status": Status.CLOSED, "resolved_at": resolved, "closed_at": resolved}
        if resolved > ticket.resolution_due:
            updates |= {"resolution_breached_at": ticket.resolution_due, "sla_flag": "breached"}
        if rng.random() < 0.6:
            updates["rating"] = {
                "score": rng.choice([3, 4, 4, 5, 5]),
                "comment": "",
                "at": resolved,
            }
    if rng.random() < 0.5:
        cents = rng.randrange(5_000, 900_000)
        updates["cost_cents"] = {"BRL": cents}
        updates["cost_lines"] = [
            {
                "id": "l1",
                "category": rng.choice(["labour", "parts", "external_service"]),
                "amount": f"{cents / 100:.2f}",
                "currency": "BRL",
                "description": "gasto",
                "by": "carlos.mendes@metalvale.com.br",
                "at": responded,
            }
        ]
    if kind == "incident" and rng.random() < 0.6:
        downtime = rng.randrange(600, 30_000)
        updates |= {"downtime_seconds": downtime, "downtime_recorded": True}
        updates |= {"loss_cents": downtime * 90, "loss_currency": "BRL"}
    return changed(ticket, updates)  # validated: the ratings and lines as models


def seed(project: str, count: int) -> tuple[float, int]:
    """Seed `count` tickets and their rollups into `project`; the seconds it took and the
    largest rollup document's size in bytes."""
    from google.cloud import firestore

    from shared.domain.open_now import place_of
    from shared.domain.report_share import Rollup
    from shared.domain.work_lists import work_keys
    from shared.orgconfig import read_organisation
    from shared.repositories import rollup_fold
    from shared.repositories.directory import StaticDirectory
    from shared.repositories.firestore import TICKETS
    from shared.repositories.open_now import BASE, OPEN_NOW
    from shared.repositories.organisation_load import load_organisation
    from tools.rollup_documents import RollupTotals, largest

    started = time.perf_counter()
    organisation = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    db = firestore.Client(project=project)
    load_organisation(db, organisation)
    directory = StaticDirectory(organisation)
    rollup = Rollup(directory)
    rng = random.Random(count)
    totals = RollupTotals()
    open_now: dict[str, dict[str, dict[str, int]]] = {}
    batch, pending = db.batch(), 0
    for index in range(1, count + 1):
        ticket = synthetic_ticket(directory, index, rng)
        share = rollup.share(ticket)
        totals.add(share)
        place = place_of(ticket)
        if place is not None:  # counted as the tickets' writes count them
            status, department, sla = place
            states = open_now.setdefault(status, {}).setdefault(department, {})
            states[sla] = states.get(sla, 0) + 1
        update = {"report_share": share.to_doc(), "work": work_keys(ticket, share.dims)}
        stored = ticket.model_copy(update=update)
        batch.set(db.collection(TICKETS).document(ticket.id), stored.model_dump(mode="python"))
        pending += 1
        if pending == 150:
            batch.commit()
            batch, pending = db.batch(), 0
    batch.set(db.collection(OPEN_NOW).document(BASE), {"counts": open_now})
    documents = totals.documents()
    for (collection, key), fields in documents.items():
        batch.set(db.collection(collection).document(key), fields)
        pending += 5
        if pending >= 150:
            batch.commit()
            batch, pending = db.batch(), 0
    if pending:
        batch.commit()
    # the tickets are all a week old or more: the hourly fold has run since
    quiet, rollup_fold.QUIET = rollup_fold.QUIET, timedelta(0)
    try:
        rollup_fold.fold(db)
    finally:
        rollup_fold.QUIET = quiet
    size = max(largest(documents)[0], largest(totals.documents(folded=True))[0])
    return time.perf_counter() - started, size


class ReportClient:
    """The reports function (functions-framework's WSGI app) pointed at one seeded project."""

    def __init__(self, project: str, **args: str) -> None:
        import functions_framework

        from tools.devconfig import DEV_MANAGER_KEY

        self.project, self.args = project, args
        self.headers = {"X-Helpdesk-Key": DEV_MANAGER_KEY}
        self.period = {"from": (END - timedelta(days=DAYS - 1)).isoformat(), "to": END.isoformat()}
        self.client = functions_framework.create_app(
            "reports", str(ROOT / "functions" / "reports.py")
        ).test_client()

    def use(self) -> None:
        """Point the function's cached services at this project, and warm them."""
        from shared.bootstrap import report_services, services

        os.environ["GOOGLE_CLOUD_PROJECT"] = self.project
        services.cache_clear()
        report_services.cache_clear()
        self.get("pdf")  # the directory cache, WeasyPrint's import and fonts

    def get(self, kind: str):
        answer = self.client.get(
            "/sla", query_string={**self.period, **self.args, "format": kind}, headers=self.headers
        )
        if answer.status_code != 200:
            raise SystemExit(f"the report answered {answer.status_code}: {answer.data[:300]!r}")
        return answer

    def timed(self, kind: str) -> float:
        started = time.perf_counter()
        self.get(kind)
        return time.perf_counter() - started


def time_reports(clients: dict[str, ReportClient], rounds: int) -> dict:
    """Each report's median time, the reports taking turns so that the machine's noise falls
    on all of them alike."""
    samples: dict[str, dict[str, list[float]]] = {name: {"pdf": [], "json": []} for name in clients}
    found: dict = {}
    for _ in range(rounds):
        for name, client in clients.items():
            client.use()
            samples[name]["pdf"].append(client.timed("pdf"))
            samples[name]["json"].append(client.timed("json"))
    for name, client in clients.items():
        client.use()
        figures = client.get("json").json
        found[f"report_{name}_pdf_s"] = statistics.median(samples[name]["pdf"])
        found[f"report_{name}_figures_s"] = statistics.median(samples[name]["json"])
        found[f"report_{name}_documents_read"] = figures["documents_read"]
        found[f"report_{name}_tickets"] = figures["overall"]["tickets"]
    return found


def bench_report(quick: bool) -> dict:
    from tools.devconfig import DEV_FUNCTION_ENV

    os.environ.update(DEV_FUNCTION_ENV)
    os.environ["HELPDESK_LOG_LEVEL"] = "WARNING"
    saved = os.environ["GOOGLE_CLOUD_PROJECT"]
    found: dict[str, Any] = {"report_counts": COUNTS if not quick else COUNTS[:2]}
    try:
        for count in found["report_counts"]:
            seconds, size = seed(f"helpdesk-bench-report-{count}", count)
            found[f"report_seed_{count}_s"] = seconds
            found[f"report_{count}_largest_document_bytes"] = size
        clients = {
            str(count): ReportClient(f"helpdesk-bench-report-{count}")
            for count in found["report_counts"]
        }
        clients["empty"] = ReportClient("helpdesk-bench-report-1000", asset="NO-SUCH-ASSET")
        found |= time_reports(clients, 5 if quick else 11)
    finally:
        os.environ["GOOGLE_CLOUD_PROJECT"] = saved
    found["report_10k_over_1k"] = found["report_10000_pdf_s"] / found["report_1000_pdf_s"]
    if 100_000 in found["report_counts"]:
        found["report_100k_over_10k"] = found["report_100000_pdf_s"] / found["report_10000_pdf_s"]
    return found


def summary(f: dict) -> str:
    lines = []
    for count in f["report_counts"]:
        lines.append(
            f"\nSLA report, {count:>7,} tickets over {DAYS} days:"
            f" PDF {f[f'report_{count}_pdf_s']:.2f} s"
            f"  (figures alone {f[f'report_{count}_figures_s']:.3f} s;"
            f" Firestore documents read: {f[f'report_{count}_documents_read']};"
            f" largest rollup document"
            f" {f[f'report_{count}_largest_document_bytes'] / 1024:.0f} KiB)"
        )
    lines.append(
        f"\n  10,000 / 1,000 tickets = {f['report_10k_over_1k']:.2f}x   (goal: at most 1.5x;"
        f" 10,000 in at most 5 s)"
    )
    if "report_100k_over_10k" in f:
        lines.append(
            f"\n  100,000 / 10,000 tickets = {f['report_100k_over_10k']:.2f}x"
            "   (goal: at most 1.3x, the same documents read)"
        )
    lines.append(
        f"\n  1,000 tickets / the same report with no ticket ({f['report_empty_pdf_s']:.2f} s)"
        f" = {f['report_1000_pdf_s'] / f['report_empty_pdf_s']:.2f}x"
    )
    return "".join(lines)
