"""CI's short mode of `make bench`: the whole benchmark runs (`python -m tools.bench --quick`,
on a stack of its own, in a process of its own) and its figures are kept in
build/bench-quick.txt, which `make test` prints at the end.

Benchmarks are not timed tests: this checks what the figures say about behaviour (every
submission of the burst accepted with its own number, the report reading a bounded number
of documents whatever the ticket count, one ticket's life costing what the README's cost
table says), never how fast this shared machine happened to be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from shared.reports.sla.service import WORST
from shared.repositories.rollups import GROUPS
from tools.bench_start import FUNCTIONS
from tools.stack import ROOT

OUTPUT = ROOT / "build" / "bench-quick.txt"


@pytest.mark.timeout(900)  # about 3 minutes alone, more beside the rest of the suite
def test_the_short_benchmark_runs_and_its_figures_hold():
    OUTPUT.parent.mkdir(exist_ok=True)
    figures_file = ROOT / "build" / "bench-quick.json"
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--quick", "--json", str(figures_file)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    OUTPUT.write_text(done.stdout + done.stderr[-3000:], encoding="utf-8")
    assert done.returncode == 0, done.stderr[-3000:]
    f = json.loads(figures_file.read_text(encoding="utf-8"))

    # four intake instances and the event bridge: every submission its own number, no 5xx
    # but a 503 with Retry-After (re-sent then)
    assert f["burst_accepted"] == f["burst_unique_numbers"] == f["burst_count"] == 100
    assert f["burst_5xx_other"] == 0
    assert f["counter_unique"]
    # a burst of changes spreads over the rollups' shards: no document near 50 writes/s
    assert f["hot_max_writes_per_s_at_50"] < 3
    # the seeded tickets, but for the few created at the period's edges
    assert 980 <= f["report_1000_tickets"] <= 1000
    assert 9800 <= f["report_10000_tickets"] <= 10000
    # 90 days read as whole weeks and edge days, each at most GROUPS folded documents once
    # the fold ran, however many tickets they hold (fewer when few cells are taken), and the
    # lists' lines: at most WORST of each query (the stopped breaches, those at risk, and the
    # running ones of each of the demo's calendars)
    lists = (2 + 3) * WORST
    assert (
        f["report_1000_documents_read"] <= f["report_10000_documents_read"] <= 20 * GROUPS + lists
    )
    assert f["report_10000_largest_document_bytes"] < 256 * 1024
    # the console's dashboard: the report's documents and the open-now counters' shards (at
    # most SHARDS and their base), however many tickets
    from shared.domain.report_share import SHARDS

    for count in (1000, 10000):
        assert f[f"console_dashboard_{count}_reads"] <= 20 * GROUPS + lists + SHARDS + 1
    assert f["console_tickets_page_ms"] > 0
    assert all(f[f"cold_{name}_s"] > 0 for name in FUNCTIONS)
    # created, assigned, the photo, acknowledged, the expense, resolved, closed, rated
    assert f["cost_per_ticket_events"] == 8
    assert f["cost_per_ticket_emails"] >= 2  # at least the requester and the responsible
    assert f["cost_per_ticket_tasks"] >= 8  # the SLA milestones of an incident
    assert f["cost_per_ticket_storage_class_a"] == 3  # session, the photo, its thumbnail
    assert f["cost_per_ticket_firestore_reads"] > 0
    assert f["cost_per_ticket_firestore_writes"] > 0
    # replies by e-mail through the local mailbox, Pub/Sub and the mailbox function: each once
    assert f["mail_burst_applied_once"] == f["mail_burst"] == 30
    assert f["mail_burst_applied_twice"] == 0
    for ratio in ("intake_p50_ratio", "deadlines_ratio_to_conversions", "report_10k_over_1k"):
        assert f[ratio] > 0, ratio
