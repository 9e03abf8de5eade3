"""Three figures of `make bench` about volume and contention, each beside a baseline:

- a burst of 200 concurrent submissions across four intake instances with the event bridge
  delivering to the notifications, in tickets per second, against 200 bare Firestore creates
  from four clients at once;
- the ticket counter: numbers drawn per second from one counter document by 8 drawers on 4
  clients (with the retries intake uses), against bare creates of as many documents;
- a burst of ticket changes (expenses added from 8 threads): the changes per second, and the
  most writes any one document took, per second and scaled to 50 changes per second across the
  organisation (the goal is about one).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime

import requests

from tools.stack import ROOT, free_port, port_in_use


def _run_at_once(work, count: int) -> float:
    """Seconds for `work(index)` run in `count` threads at once."""
    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _bare_creates(count: int, clients: int) -> float:
    """Seconds for `count` concurrent one-document creates spread over `clients` clients."""
    from google.cloud import firestore

    dbs = [firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"]) for _ in range(clients)]
    run = time.time_ns()
    gate = threading.Barrier(count)

    def create(index: int) -> None:
        db = dbs[index % clients]
        gate.wait()
        db.collection("bench_bare").document(f"{run}-{index}").create({"n": index, "at": run})

    return _run_at_once(create, count)


def bench_burst(count: int = 200, instances: int = 4) -> dict:
    from shared.intake.auth import sign
    from tools.bench_start import _env, _load_organisation, _serve
    from tools.devconfig import DEV_INTAKE_CLIENTS

    _load_organisation()
    env = _env()
    ports = [free_port() for _ in range(instances)]
    notifications = free_port()
    processes = [_serve(ROOT / "functions" / "intake.py", "intake", port, env) for port in ports]
    processes.append(
        _serve(ROOT / "functions" / "notifications.py", "notifications", notifications, env)
    )
    bridge = subprocess.Popen(
        [sys.executable, "-m", "tools.event_bridge", f"http://127.0.0.1:{notifications}/"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    processes.append(bridge)
    secret = json.loads(DEV_INTAKE_CLIENTS)["google-forms"]["secrets"][0]
    example = json.loads((ROOT / "examples" / "incident.json").read_text("utf-8"))
    example["attachments"] = []
    results: list[tuple[list[int], str | None, float]] = []
    try:
        while not all(port_in_use(port) for port in (*ports, notifications)):
            time.sleep(0.05)
        bridge.stdout.readline()  # listening
        gate = threading.Barrier(count)
        run = time.time_ns()

        def submit(index: int) -> None:
            body = json.dumps({**example, "submission_id": f"burst-{run}-{index}"}).encode()
            url = f"http://127.0.0.1:{ports[index % instances]}/"
            gate.wait()
            started, statuses = time.perf_counter(), []
            for _ in range(20):
                headers = {
                    "Content-Type": "application/json",
                    "X-Helpdesk-Signature": sign(secret, body, int(time.time())),
                }
                answer = requests.post(url, data=body, headers=headers, timeout=120)
                statuses.append(answer.status_code)
                if answer.status_code != 503:
                    break
                time.sleep(1)
            number = answer.json().get("number") if answer.status_code in (200, 201) else None
            results.append((statuses, number, time.perf_counter() - started))

        elapsed = _run_at_once(submit, count)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
    bare = _bare_creates(count, instances)
    latencies = sorted(seconds for _, _, seconds in results)
    numbers = [number for _, number, _ in results if number]
    statuses = Counter(status for tried, _, _ in results for status in tried)
    return {
        "burst_count": count,
        "burst_instances": instances,
        "burst_accepted": sum(1 for tried, _, _ in results if tried[-1] == 201),
        "burst_unique_numbers": len(set(numbers)),
        "burst_503": statuses.get(503, 0),
        "burst_5xx_other": sum(n for s, n in statuses.items() if s >= 500 and s != 503),
        "burst_p50_s": statistics.median(latencies),
        "burst_p95_s": latencies[int(0.95 * (len(latencies) - 1))],
        "burst_tickets_per_s": count / elapsed,
        "bare_creates_per_s": count / bare,
    }


def bench_counter(seconds: float = 5.0, drawers: int = 8, clients: int = 4) -> dict:
    """Numbers drawn per second from the one counter document, as intake draws them."""
    from google.cloud import firestore

    from shared.repositories.firestore import COUNTERS, NUMBER_CLAIMS, contended
    from shared.repositories.numbers import TicketNumbers

    dbs = [firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"]) for _ in range(clients)]
    counters = [
        TicketNumbers(
            db.collection(COUNTERS).document("bench-counter"),
            db.collection(NUMBER_CLAIMS),
            contended(20.0),
        )
        for db in dbs
    ]
    drawn: list[int] = []
    failed = [0]
    stop = time.perf_counter() + seconds
    run = time.time_ns()

    def draw(index: int) -> None:
        numbers, db = counters[index % clients], dbs[index % clients]
        count = 0
        while time.perf_counter() < stop:
            try:
                drawn.append(numbers.draw(db, f"bench-{run}-{index}-{count}"))
            except Exception:
                failed[0] += 1
            count += 1

    elapsed = _run_at_once(draw, drawers)
    bare = _bare_creates(max(len(drawn), 1), clients)
    return {
        "counter_numbers_per_s": len(drawn) / elapsed,
        "counter_unique": len(set(drawn)) == len(drawn),
        "counter_failed": failed[0],
        "counter_bare_creates_per_s": max(len(drawn), 1) / bare,
    }


def bench_hot_writes(tickets: int = 200, changes: int = 1000, threads: int = 8) -> dict:
    """A burst of ticket changes on tickets opened today: the writes per document."""
    from google.cloud.firestore_v1.batch import WriteBatch

    from shared.actions.costs import add_cost
    from shared.config import Config
    from shared.domain.report_share import Rollup
    from shared.intake.schema import Submission
    from shared.intake.service import open_ticket
    from shared.orgconfig import read_organisation
    from shared.repositories.directory import StaticDirectory
    from shared.repositories.tickets import FirestoreTickets
    from tools.bench_start import _load_organisation

    _load_organisation()
    from google.cloud import firestore

    db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    directory = StaticDirectory(read_organisation(ROOT / "config" / "demo-organisation.yaml"))
    store = FirestoreTickets(db, Rollup(directory))
    run = time.time_ns()
    ids = []
    for index in range(tickets):
        submission = Submission.model_validate(
            {
                "submission_id": f"hot-{run}-{index}",
                "source": "api",
                "type": "incident",
                "policy": "inc-degradacao",
                "title": "Robô de solda com falhas",
                "requester": {"email": "mariana.rocha@metalvale.com.br"},
                "fields": {"maquina": "ROBO-SOLDA-01", "sintoma": "Cordão irregular"},
            }
        )
        ticket, _ = open_ticket(
            submission,
            "api",
            directory=directory,
            tickets=store,
            config=Config(),
            now=lambda: datetime.now(UTC),
        )
        ids.append(ticket.id)
    writes: Counter = Counter()
    lock = threading.Lock()
    original = WriteBatch.commit

    def counting(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        with lock:
            writes.update(list(self._document_references))
        return result

    rng = random.Random(run)
    plan = [rng.choice(ids) for _ in range(changes)]
    cost = {"category": "parts", "amount": "10.00", "currency": "BRL", "description": "peça"}

    def change(index: int) -> None:
        for ticket_id in plan[index::threads]:
            now = datetime.now(UTC)
            store.apply(ticket_id, add_cost("carlos.mendes@metalvale.com.br", cost, now), now)

    WriteBatch.commit = counting
    try:
        elapsed = _run_at_once(change, threads)
    finally:
        WriteBatch.commit = original
    shared_documents = {path: n for path, n in writes.items() if "/rollup_" in path}
    hottest, most = max(shared_documents.items(), key=lambda item: item[1])
    return {
        "hot_changes": changes,
        "hot_changes_per_s": changes / elapsed,
        "hot_max_writes_per_s": most / elapsed,
        "hot_max_writes_per_s_at_50": most / changes * 50,
        "hot_document": hottest.split("/documents/")[-1],
    }


def summary(f: dict) -> str:
    return (
        f"\nburst of {f['burst_count']} concurrent submissions across {f['burst_instances']}"
        f" intake instances, the bridge delivering: {f['burst_accepted']} accepted,"
        f" {f['burst_unique_numbers']} unique numbers, {f['burst_503']} answered 503 first,"
        f" {f['burst_5xx_other']} other 5xx; p50 {f['burst_p50_s']:.2f} s,"
        f" p95 {f['burst_p95_s']:.2f} s"
        f"\n  {f['burst_tickets_per_s']:.1f} tickets/s / {f['bare_creates_per_s']:.0f} bare"
        f" creates/s from the same 4 clients"
        f" = {f['burst_tickets_per_s'] / f['bare_creates_per_s']:.3f}x"
        f"\nticket counter (one document, 8 drawers on 4 clients, with retries):"
        f" {f['counter_numbers_per_s']:.0f} numbers/s / {f['counter_bare_creates_per_s']:.0f}"
        f" bare creates/s = {f['counter_numbers_per_s'] / f['counter_bare_creates_per_s']:.2f}x"
        f"\nburst of {f['hot_changes']} ticket changes: {f['hot_changes_per_s']:.0f} changes/s;"
        f" the busiest rollup document took {f['hot_max_writes_per_s']:.1f} writes/s,"
        f" {f['hot_max_writes_per_s_at_50']:.2f} writes/s at 50 changes/s (goal: about 1)"
    )
