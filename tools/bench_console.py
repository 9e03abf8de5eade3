"""The managers' console's benchmark, on the report benchmark's data (tools/bench_report.py:
the same tickets, rollups and counters, seeded if the run has not seeded them yet).

- The dashboard for the 90 days of data, warm, at 10,000 and 100,000 tickets (1,000 and 10,000
  with --quick), through the console function in this process with a manager's session, the
  sizes taking turns so that the machine's noise falls on both alike; with the Firestore
  documents it reads (goal: at most 1.2x apart, within 1 s, the same documents read).
- The tickets list's first page (newest first) at the larger size, beside a bare Firestore
  query of the same page (goal: under 300 ms warm).
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from tools.bench_report import DAYS, END, seed
from tools.stack import ROOT

MANAGER = "ricardo.almeida@metalvale.com.br"


class ConsoleClient:
    """The console function (functions-framework's WSGI app) on one seeded project, signed in."""

    def __init__(self, project: str) -> None:
        import functions_framework

        self.project = project
        self.client = functions_framework.create_app(
            "console", str(ROOT / "functions" / "console.py")
        ).test_client()
        self.period = {"from": (END - timedelta(days=DAYS - 1)).isoformat(), "to": END.isoformat()}
        self.cookie = ""

    def use(self) -> None:
        from shared.bootstrap import console_services, services

        os.environ["GOOGLE_CLOUD_PROJECT"] = self.project
        services.cache_clear()
        console_services.cache_clear()
        if not self.cookie:
            _, self.cookie = console_services().cookies.start(MANAGER)
        self.client.set_cookie("helpdesk_console", self.cookie)
        self.get("/", **self.period)  # the directory's cache, the templates

    def get(self, path: str, **args: str):
        answer = self.client.get(path, query_string=args)
        if answer.status_code != 200:
            raise SystemExit(f"the console answered {answer.status_code} at {path}")
        return answer

    def timed(self, path: str, **args: str) -> float:
        started = time.perf_counter()
        self.get(path, **args)
        return time.perf_counter() - started

    def documents_read(self) -> int:
        from shared.bootstrap import console_services
        from shared.console.handlers import today_in
        from shared.reports.sla.query import parse_report_query
        from shared.repositories.open_now import FirestoreOpenNow

        app = console_services()
        query = parse_report_query({**self.period, "format": "json"}, today_in(app))
        report = app.figures.report(query, "pt-BR")
        return report.documents_read + FirestoreOpenNow(_db()).read().documents


def _db():
    from google.cloud import firestore

    return firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])


def _seeded(project: str) -> bool:
    from google.cloud import firestore

    return bool(list(firestore.Client(project=project).collection("tickets").limit(1).stream()))


def bench_console(quick: bool, rounds: int) -> dict:
    from tools.devconfig import DEV_FUNCTION_ENV

    os.environ.update(DEV_FUNCTION_ENV)
    os.environ["HELPDESK_LOG_LEVEL"] = "WARNING"
    saved = os.environ["GOOGLE_CLOUD_PROJECT"]
    small, large = (1_000, 10_000) if quick else (10_000, 100_000)
    found: dict = {"console_small": small, "console_large": large}
    try:
        clients = {}
        for count in (small, large):
            project = f"helpdesk-bench-report-{count}"
            if not _seeded(project):
                seed(project, count)
            clients[count] = ConsoleClient(project)
        samples: dict[int, list[float]] = {small: [], large: []}
        for _ in range(rounds):
            for count, client in clients.items():
                client.use()
                samples[count].append(client.timed("/", **client.period))
        for count, client in clients.items():
            client.use()
            found[f"console_dashboard_{count}_s"] = statistics.median(samples[count])
            found[f"console_dashboard_{count}_reads"] = client.documents_read()
        found |= _tickets_page(clients[large], rounds)
    finally:
        os.environ["GOOGLE_CLOUD_PROJECT"] = saved
    return found


def _tickets_page(client: ConsoleClient, rounds: int) -> dict:
    from google.cloud import firestore

    from shared.repositories.ticket_search import FIELDS

    client.use()
    bare_query = (
        _db()
        .collection("tickets")
        .order_by("created_at", direction=firestore.Query.DESCENDING)
        .order_by("__name__", direction=firestore.Query.DESCENDING)
        .select(FIELDS)
        .limit(26)
    )

    def bare() -> float:
        started = time.perf_counter()
        list(bare_query.stream())
        return time.perf_counter() - started

    pages, bares = [], []
    for _ in range(3):
        client.timed("/tickets")
        bare()
    for _ in range(rounds):
        pages.append(client.timed("/tickets"))
        bares.append(bare())
    return {
        "console_tickets_page_ms": 1000 * statistics.median(pages),
        "console_tickets_bare_ms": 1000 * statistics.median(bares),
    }


def summary(f: dict) -> str:
    small, large = f["console_small"], f["console_large"]
    s, b = f[f"console_dashboard_{small}_s"], f[f"console_dashboard_{large}_s"]
    return (
        f"\nConsole dashboard, {DAYS} days (warm): {small:,} tickets {s:.3f} s,"
        f" {large:,} tickets {b:.3f} s = {b / s:.2f}x   (goal: at most 1.2x, within 1 s)"
        f"\n  documents read: {f[f'console_dashboard_{small}_reads']}"
        f" and {f[f'console_dashboard_{large}_reads']}   (goal: the same)"
        f"\nConsole tickets, first page among {large:,} (warm)"
        f"  p50 {f['console_tickets_page_ms']:.1f} ms   (goal: under 300 ms)"
        f"\n  / a bare Firestore query of the same page ({f['console_tickets_bare_ms']:.1f} ms)"
        f" = {f['console_tickets_page_ms'] / f['console_tickets_bare_ms']:.1f}x"
    )
