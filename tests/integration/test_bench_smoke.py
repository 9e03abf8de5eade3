"""The benchmark's short mode keeps working: `make test` runs the per-ticket cost count
(tools/bench_costs.py) against the test stack, in a process of its own (it instruments the
Firestore client). Its figures are the input of the README's cost table."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tools.stack import ROOT


def test_the_cost_benchmark_counts_one_tickets_life(emulator_env):
    probe = (
        "import json; from tools.bench_costs import bench_costs; print(json.dumps(bench_costs()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    # created, assigned, the photo, acknowledged, the expense, resolved, closed, rated
    assert figures["cost_per_ticket_events"] == 8
    assert figures["cost_per_ticket_emails"] >= 2  # at least the requester and the responsible
    assert figures["cost_per_ticket_tasks"] >= 8  # the SLA milestones of an incident
    assert figures["cost_per_ticket_storage_class_a"] == 3  # session, the photo, its thumbnail
    assert figures["cost_per_ticket_firestore_reads"] > 0
    assert figures["cost_per_ticket_firestore_writes"] > 0
