"""`make bench`: the help desk's performance figures, each beside a baseline of the same run.

This machine is shared and noisy, so absolute times mean little: every figure is printed
with its ratio to a baseline measured moments before, on the same emulators.

    python -m tools.bench [--quick] [--json FILE]

Figures:
- intake latency p50/p95 (signed POST through functions-framework's WSGI app, validation,
  Firestore writes) against a bare Firestore document create; goal: p50 at most 3x;
- 10,000 business-time deadline computations over the factory calendar with Brazilian
  holidays; goal: at most 0.5 s (beside 10,000 plain time-zone conversions);
- the SLA report (PDF) over 1,000, 10,000 and (not with --quick) 100,000 seeded tickets, with
  the Firestore documents it read and the largest rollup document; goals: 10,000 in at most
  5 s and at most 1.5x the 1,000, 100,000 at most 1.3x the 10,000 (`tools/bench_report.py`);
- a burst of submissions across four intake instances against bare creates, the ticket
  counter's numbers per second, and the writes per document under a burst of ticket changes
  (`tools/bench_burst.py`);
- a 600 MB video (64 MB with --quick) sent in chunks through a cut connection, as the pages
  send it, against one bare PUT of the same file (`tools/bench_upload.py`);
- a reply by e-mail from the mailbox to its ticket's event, against a bare Pub/Sub
  publish-to-push, and a burst of 100 replies (30 with --quick) applied once each
  (`tools/bench_mailbox.py`); goal: p50 within 3 s;
- the managers' console on the report's data: the dashboard at 10,000 and 100,000 tickets
  (1,000 and 10,000 with --quick), with the documents it reads, and the tickets list's first
  page beside a bare Firestore query of it (`tools/bench_console.py`); goals: at most 1.2x
  apart and within 1 s, the same documents read; the page under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tools.bench_burst import bench_burst, bench_counter, bench_hot_writes
from tools.bench_burst import summary as burst_summary
from tools.bench_console import bench_console
from tools.bench_console import summary as console_summary
from tools.bench_costs import bench_costs
from tools.bench_costs import summary as costs_summary
from tools.bench_lists import bench_digest, bench_lists
from tools.bench_lists import summary as lists_summary
from tools.bench_mailbox import bench_mailbox
from tools.bench_mailbox import summary as mailbox_summary
from tools.bench_report import bench_report
from tools.bench_report import summary as report_summary
from tools.bench_start import bench_cold_starts
from tools.bench_start import summary as start_summary
from tools.bench_upload import bench_upload
from tools.bench_upload import summary as upload_summary
from tools.stack import ROOT, Ports, Stack


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench_intake(rounds: int) -> dict:
    import functions_framework
    from google.cloud import firestore

    from shared.bootstrap import services
    from shared.intake.auth import sign
    from shared.orgconfig import read_organisation
    from shared.repositories.organisation_load import load_organisation
    from tools.devconfig import DEV_INTAKE_CLIENTS

    os.environ["HELPDESK_INTAKE_CLIENTS"] = DEV_INTAKE_CLIENTS
    os.environ["HELPDESK_LOG_LEVEL"] = "WARNING"
    db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    load_organisation(db, read_organisation(ROOT / "config" / "demo-organisation.yaml"))
    services.cache_clear()
    app = functions_framework.create_app("intake", str(ROOT / "functions" / "intake.py"))
    client = app.test_client()
    secret = json.loads(DEV_INTAKE_CLIENTS)["google-forms"]["secrets"][0]
    example = json.loads((ROOT / "examples" / "incident.json").read_text(encoding="utf-8"))
    # Plain intake; each announced attachment adds one upload-session round trip to Storage.
    example.pop("attachments", None)

    def post(index: int) -> float:
        body = json.dumps({**example, "submission_id": f"bench-{index}"}).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Helpdesk-Signature": sign(secret, body, int(time.time())),
        }
        started = time.perf_counter()
        answer = client.post("/", data=body, headers=headers)
        elapsed = time.perf_counter() - started
        if answer.status_code != 201:
            raise SystemExit(
                f"intake answered {answer.status_code}: {answer.get_data(as_text=True)}"
            )
        return elapsed

    def bare_create(index: int) -> float:
        started = time.perf_counter()
        db.collection("bench_bare").document(f"doc-{index}").create({"n": index, "at": time.time()})
        return time.perf_counter() - started

    for warm in range(10):  # warm caches and connections on both paths
        post(-1 - warm)
        bare_create(-1 - warm)
    intake, bare = [], []
    for index in range(rounds):  # interleaved, so that noise hits both alike
        intake.append(post(index))
        bare.append(bare_create(index))
    result = {
        "intake_p50_ms": 1000 * statistics.median(intake),
        "intake_p95_ms": 1000 * percentile(intake, 0.95),
        "bare_create_p50_ms": 1000 * statistics.median(bare),
        "bare_create_p95_ms": 1000 * percentile(bare, 0.95),
    }
    result["intake_p50_ratio"] = result["intake_p50_ms"] / result["bare_create_p50_ms"]
    return result


def intake_summary(f: dict) -> str:
    return (
        f"\nintake (no files)     p50 {f['intake_p50_ms']:7.2f} ms"
        f"   p95 {f['intake_p95_ms']:7.2f} ms"
        f"\nbare Firestore create p50 {f['bare_create_p50_ms']:7.2f} ms"
        f"   p95 {f['bare_create_p95_ms']:7.2f} ms"
        f"\n  intake p50 / bare create p50 = {f['intake_p50_ratio']:.2f}x   (goal: at most 3x)"
    )


def bench_deadlines(count: int) -> dict:
    from shared.orgconfig import read_organisation

    org = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    policies = org.policies
    calendars = {spec.id: spec.build() for spec in org.calendars}
    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    cases = [
        (
            calendars[policy.calendar],
            base + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
            rng.choice([policy.response_time, policy.resolution_time]),
        )
        for policy in (rng.choice(policies) for _ in range(count))
    ]
    zone = calendars["administrativo"].zone
    started = time.perf_counter()
    for _calendar, start, _duration in cases:
        start.astimezone(zone)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    for calendar, start, duration in cases:
        calendar.add(start, duration)
    elapsed = time.perf_counter() - started
    return {
        "deadlines": count,
        "deadlines_seconds": elapsed,
        "tz_conversions_seconds": baseline,
        "deadlines_ratio_to_conversions": elapsed / baseline,
    }


def bench_long_deadlines(count: int) -> dict:
    """Due instants from 1 minute to 200 business hours on the office calendar (holidays
    included): a long deadline spans weeks, which `add` passes a week at a time."""
    from shared.orgconfig import read_organisation

    org = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    calendar = {spec.id: spec.build() for spec in org.calendars}["administrativo"]
    rng = random.Random(11)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    cases = [
        (
            base + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
            timedelta(minutes=rng.randrange(1, 200 * 60 + 1)),
        )
        for _ in range(count)
    ]
    started = time.perf_counter()
    for start, _duration in cases:
        start.astimezone(calendar.zone)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    for start, duration in cases:
        calendar.add(start, duration)
    elapsed = time.perf_counter() - started
    return {"long_deadlines_seconds": elapsed, "long_deadlines_ratio": elapsed / baseline}


def bench_mail_latency(stack: Stack, rounds: int) -> dict:
    """Ticket POST to both messages (requester's and responsible's) in MailDev's inbox."""
    import smtplib
    import subprocess
    from email.message import EmailMessage

    import requests
    from google.cloud import firestore

    from shared.intake.auth import sign
    from tools.dev import function_command
    from tools.devconfig import DEV_INTAKE_CLIENTS
    from tools.event_bridge import Bridge
    from tools.stack import free_port, wait_for_port

    inbox = os.environ["HELPDESK_MAIL_INBOX_URL"]
    env = {
        **os.environ,
        "HELPDESK_INTAKE_CLIENTS": DEV_INTAKE_CLIENTS,
        "PYTHONPATH": str(ROOT),
        "HELPDESK_LOG_LEVEL": "WARNING",
    }
    ports = {"intake": free_port(), "notifications": free_port()}
    servers = [
        subprocess.Popen(
            function_command(name, port),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, port in ports.items()
    ]
    bridge = None
    try:
        for name, port in ports.items():
            wait_for_port(name, port, stack)
        db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
        bridge = Bridge(db, [f"http://127.0.0.1:{ports['notifications']}/"])
        bridge.start()
        secret = json.loads(DEV_INTAKE_CLIENTS)["google-forms"]["secrets"][0]
        example = json.loads((ROOT / "examples" / "incident.json").read_text(encoding="utf-8"))

        def wait_for(predicate, started: float) -> float:
            deadline = started + 30
            while time.perf_counter() < deadline:
                if predicate(requests.get(f"{inbox}/email", timeout=5).json()):
                    return time.perf_counter() - started
                time.sleep(0.02)
            raise SystemExit("the messages did not arrive within 30 s")

        def ticket_round(index: int) -> float:
            body = json.dumps({**example, "submission_id": f"mail-bench-{index}"}).encode()
            headers = {
                "Content-Type": "application/json",
                "X-Helpdesk-Signature": sign(secret, body, int(time.time())),
            }
            started = time.perf_counter()
            answer = requests.post(
                f"http://127.0.0.1:{ports['intake']}/", data=body, headers=headers, timeout=30
            )
            number = answer.json()["number"]

            def both(mails) -> bool:
                to = {m["to"][0]["address"] for m in mails if f"[{number}]" in m["subject"]}
                return {"lucas.oliveira@metalvale.com.br", "carlos.mendes@metalvale.com.br"} <= to

            return wait_for(both, started)

        def bare_round(index: int) -> float:
            message = EmailMessage()
            message["From"], message["To"] = "bench@localhost", "bench@localhost"
            message["Subject"] = f"bare-{index}"
            message.set_content("baseline")
            started = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", int(os.environ["HELPDESK_SMTP_PORT"])) as server:
                server.send_message(message)
            return wait_for(
                lambda mails: any(m["subject"] == f"bare-{index}" for m in mails), started
            )

        ticket_round(-1)  # warm both functions
        tickets, bare = [], []
        for index in range(rounds):
            tickets.append(ticket_round(index))
            bare.append(bare_round(index))
    finally:
        if bridge is not None:
            bridge.stop()
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    return {
        "ticket_to_inbox_p50_s": statistics.median(tickets),
        "ticket_to_inbox_max_s": max(tickets),
        "bare_smtp_to_inbox_p50_s": statistics.median(bare),
    }


def bench_page(rounds: int) -> dict:
    """A ticket page (GET, warm) against a bare Firestore document read, interleaved."""
    from datetime import timedelta

    import functions_framework
    from google.cloud import firestore

    from shared.bootstrap import page_services, services
    from shared.links import LinkSigner

    db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    ticket_id = next(iter(db.collection("tickets").limit(1).stream())).id
    ticket = db.collection("tickets").document(ticket_id).get().to_dict()
    services.cache_clear()
    page_services.cache_clear()
    signer = LinkSigner(os.environ["HELPDESK_LINK_SECRET"], "http://pages", timedelta(days=1))
    path = f"/t/{signer.token(ticket_id, ticket['requester']['email'], 'requester')}"
    client = functions_framework.create_app(
        "pages", str(ROOT / "functions" / "pages.py")
    ).test_client()

    def page() -> float:
        started = time.perf_counter()
        answer = client.get(path)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise SystemExit(f"the page answered {answer.status_code}")
        return elapsed

    def bare_read() -> float:
        started = time.perf_counter()
        db.collection("tickets").document(ticket_id).get()
        return time.perf_counter() - started

    for _ in range(5):
        page()
        bare_read()
    pages, reads = [], []
    for _ in range(rounds):
        pages.append(page())
        reads.append(bare_read())
    return {
        "page_p50_ms": 1000 * statistics.median(pages),
        "page_p95_ms": 1000 * percentile(pages, 0.95),
        "bare_read_p50_ms": 1000 * statistics.median(reads),
    }


def bench_breach_lag(rounds: int) -> dict:
    """Deadline to breach event through the Cloud Tasks emulator and the sla_timer function,
    beside the emulator's own dispatch granularity (it polls its queues every 0.1 s)."""
    from tools.breach_probe import measure_breach_lag

    lags = [measure_breach_lag(f"helpdesk-bench-breach-{index}") for index in range(rounds)]
    return {
        "breach_lag_p50_s": statistics.median(lags),
        "breach_lag_max_s": max(lags),
        "tasks_emulator_poll_s": 0.1,
    }


def volume(quick: bool) -> dict:
    figures = bench_burst(100 if quick else 200)
    figures |= bench_counter(3.0 if quick else 10.0)
    figures |= bench_hot_writes(changes=1000 if quick else 3000)
    return figures


def lists(quick: bool, stack: Stack) -> dict:
    figures = bench_lists(10_000 if quick else 100_000, 10 if quick else 50)
    return figures | bench_digest(100 if quick else 500, stack)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="help desk benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer rounds (CI)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--only",
        choices=[
            "intake",
            "report",
            "costs",
            "start",
            "upload",
            "volume",
            "mailbox",
            "lists",
            "console",
        ],
        help="run one benchmark only",
    )
    args = parser.parse_args(argv)
    stack = Stack(ports=Ports.free(), project="helpdesk-bench").start()
    os.environ.update(stack.env())
    try:
        figures = {"when": datetime.now(UTC).isoformat(), "quick": args.quick}
        if args.only == "report":
            figures |= bench_report(args.quick)
            print(report_summary(figures))
            return 0
        if args.only == "start":
            figures |= bench_cold_starts(1 if args.quick else 7)
            print(start_summary(figures))
            return 0
        if args.only == "volume":
            figures |= volume(args.quick)
            print(burst_summary(figures))
            return 0
        if args.only == "intake":
            figures |= bench_intake(60 if args.quick else 300)
            print(intake_summary(figures))
            return 0
        if args.only == "upload":
            figures |= bench_upload(args.quick)
            print(upload_summary(figures))
            return 0
        if args.only == "mailbox":
            figures |= bench_mailbox(5 if args.quick else 20, 30 if args.quick else 100)
            print(mailbox_summary(figures))
            return 0
        if args.only == "lists":
            figures |= lists(args.quick, stack)
            print(lists_summary(figures))
            return 0
        if args.only == "console":
            figures |= bench_console(args.quick, 5 if args.quick else 11)
            print(console_summary(figures))
            return 0
        if args.only == "costs":
            figures |= bench_costs()
            print(costs_summary(figures))
            return 0
        figures |= bench_deadlines(10_000)
        figures |= bench_long_deadlines(10_000)
        figures |= bench_intake(60 if args.quick else 300)
        figures |= bench_page(30 if args.quick else 200)
        figures |= bench_mail_latency(stack, 5 if args.quick else 20)
        figures |= bench_breach_lag(3 if args.quick else 10)
        figures |= bench_report(args.quick)
        figures |= bench_console(args.quick, 5 if args.quick else 11)  # the report's data
        figures |= bench_costs()
        figures |= volume(args.quick)
        figures |= bench_cold_starts(1 if args.quick else 7)
        figures |= bench_upload(args.quick)
        figures |= bench_mailbox(5 if args.quick else 20, 30 if args.quick else 100)
        figures |= lists(args.quick, stack)
    finally:
        stack.stop()
    f = figures
    print(
        intake_summary(f)
        + f"\n10,000 deadlines      {f['deadlines_seconds']:.3f} s   (goal: at most 0.5 s)"
        f"\n  / 10,000 time-zone conversions ({f['tz_conversions_seconds']:.4f} s)"
        f" = {f['deadlines_ratio_to_conversions']:.0f}x"
        f"\n10,000 deadlines of 1 min to 200 business hours (office calendar)"
        f"  {f['long_deadlines_seconds']:.3f} s   (goal: at most 0.2 s)"
        f"\n  / 10,000 time-zone conversions = {f['long_deadlines_ratio']:.0f}x"
        f"\nticket to both e-mails in the inbox  p50 {f['ticket_to_inbox_p50_s']:.3f} s"
        f"   max {f['ticket_to_inbox_max_s']:.3f} s   (goal: within 2 s)"
        f"\n  / a bare SMTP message to the inbox ({f['bare_smtp_to_inbox_p50_s']:.3f} s) = "
        f"{f['ticket_to_inbox_p50_s'] / f['bare_smtp_to_inbox_p50_s']:.1f}x"
        f"\nticket page (warm)    p50 {f['page_p50_ms']:7.2f} ms   p95 {f['page_p95_ms']:7.2f} ms"
        f"   (goal: under 300 ms)"
        f"\n  / a bare Firestore read ({f['bare_read_p50_ms']:.2f} ms) = "
        f"{f['page_p50_ms'] / f['bare_read_p50_ms']:.1f}x"
        f"\ndeadline to breach event  p50 {f['breach_lag_p50_s']:.3f} s"
        f"   max {f['breach_lag_max_s']:.3f} s   (goal: at most 2 s)"
        f"\n  / the emulator's dispatch poll ({f['tasks_emulator_poll_s']} s) = "
        f"{f['breach_lag_p50_s'] / f['tasks_emulator_poll_s']:.1f}x"
        + report_summary(f)
        + console_summary(f)
        + costs_summary(f)
        + burst_summary(f)
        + start_summary(f)
        + upload_summary(f)
        + mailbox_summary(f)
        + lists_summary(f)
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
