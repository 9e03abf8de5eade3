"""The personal lists' and the daily digest's benchmark.

- A technician's first page of open tickets (`/me/<link>?list=open`, warm, through the pages
  function in this process) with 1,000 open tickets of theirs among `total` tickets, beside a
  bare Firestore query of the same page (the same indexed query, no rendering); and the
  documents that page reads (goal: at most the page size plus 3).
- The daily digest for `people` people: the day's plan (one task each), then every digest
  written and sent to the stack's SMTP server, eight at a time as Cloud Tasks would dispatch
  them (goal: within 60 s).

Each in a Firestore project of its own, so that the other benchmarks' tickets do not count.
"""

from __future__ import annotations

import logging
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from tools.stack import ROOT

TECH = "carlos.mendes@metalvale.com.br"
START = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # Tuesday 08:00 in São Paulo
OTHERS = ["rafael.santos@metalvale.com.br", "bruno.costa@metalvale.com.br"]


def _row(index: int, responsible: str, phase: str, now: datetime, spread: int = 5000) -> dict:
    from shared.domain.work_lists import filter_key

    due = now + timedelta(minutes=(index * 37) % spread - 600)
    urgency = 0 if due < now else (1 if index % 7 == 0 else 2)
    status = {"open": "in_progress", "waiting": "waiting_on_requester"}.get(phase, "closed")
    return {
        "id": f"b{index:023d}",
        "number": f"INC-{index:06d}",
        "type": "incident",
        "status": status,
        "title": f"Chamado {index}",
        "priority": "high",
        "asset": {"tag": "CNC-01", "name": "Centro de usinagem", "kind": "fixed_asset"},
        "requester": {"email": "lucas.oliveira@metalvale.com.br", "name": "Lucas Oliveira"},
        "responsible": {"email": responsible, "name": "Técnico"},
        "response_due": due - timedelta(hours=3),
        "resolution_due": due,
        "responded_at": now - timedelta(days=1),
        "sla_flag": "breached" if urgency == 0 else "on_time",
        "pauses": [],
        "calendar_id": "fabrica-3-turnos",
        "work": {
            "phase": phase,
            "responsible": responsible,
            "requester": "lucas.oliveira@metalvale.com.br",
            "department": "manutencao-mecanica",
            "order": f"{urgency}{due.astimezone(UTC).strftime('%Y%m%dT%H%M%S')}",
            "keys": [filter_key("status", status), filter_key("type", "incident")],
        },
    }


def _seed(db, total: int, open_of_tech: int, now: datetime) -> None:
    batch, pending = db.batch(), 0
    for index in range(1, total + 1):
        if index <= open_of_tech:
            row = _row(index, TECH, "open", now)
        else:
            phase = "closed" if index % 10 else "open"
            row = _row(index, OTHERS[index % 2], phase, now)
        batch.set(db.collection("tickets").document(row["id"]), row)
        pending += 1
        if pending == 400:
            batch.commit()
            batch, pending = db.batch(), 0
    if pending:
        batch.commit()


def _in_project(project: str):
    from shared.bootstrap import digest_services, page_services, services

    os.environ["GOOGLE_CLOUD_PROJECT"] = project
    for cached in (services, page_services, digest_services):
        cached.cache_clear()


def bench_lists(total: int, rounds: int) -> dict:
    import functions_framework
    from google.cloud import firestore
    from google.cloud.firestore_v1.base_query import FieldFilter

    from shared.links import PersonalLinks
    from shared.orgconfig import read_organisation
    from shared.repositories.organisation_load import load_organisation
    from shared.repositories.personal_lists import ROW_FIELDS, read_page

    before = os.environ["GOOGLE_CLOUD_PROJECT"]
    project = f"helpdesk-bench-lists-{total}"
    db = firestore.Client(project=project)
    load_organisation(db, read_organisation(ROOT / "config" / "demo-organisation.yaml"))
    now = datetime.now(UTC)
    started = time.perf_counter()
    _seed(db, total, 1000, now)
    seeded = time.perf_counter() - started
    try:
        _in_project(project)
        personal = PersonalLinks(os.environ["HELPDESK_LINK_SECRET"], "x", timedelta(days=1))
        path = "/me/" + personal.url(TECH).rsplit("/me/", 1)[1] + "?list=open"
        client = functions_framework.create_app(
            "pages", str(ROOT / "functions" / "pages.py")
        ).test_client()

        def page() -> float:
            began = time.perf_counter()
            answer = client.get(path)
            took = time.perf_counter() - began
            if answer.status_code != 200 or "Chamado 1<" not in answer.get_data(as_text=True):
                raise SystemExit(f"the list answered {answer.status_code}")
            return took

        bare_query = (
            db.collection("tickets")
            .where(filter=FieldFilter("work.responsible", "==", TECH))
            .where(filter=FieldFilter("work.phase", "in", ["open"]))
            .order_by("work.order")
            .order_by("__name__")
            .select(ROW_FIELDS)
            .limit(21)
        )

        def bare() -> float:
            began = time.perf_counter()
            list(bare_query.stream())
            return time.perf_counter() - began

        for _ in range(3):
            page()
            bare()
        pages, bares = [], []
        for _ in range(rounds):
            pages.append(page())
            bares.append(bare())
        reads = read_page(db, "responsible", TECH, ["open"], {}, 20).reads
    finally:
        _in_project(before)
    return {
        "lists_total": total,
        "lists_seed_s": seeded,
        "lists_page_p50_ms": 1000 * statistics.median(pages),
        "lists_bare_p50_ms": 1000 * statistics.median(bares),
        "lists_page_reads": reads,
    }


def bench_digest(people: int, stack) -> dict:
    from google.cloud import firestore

    from shared.bootstrap import digest_services
    from shared.digest.service import DigestTask
    from shared.domain.types import Role
    from shared.orgconfig import read_organisation
    from shared.repositories.organisation_load import load_organisation

    before = os.environ["GOOGLE_CLOUD_PROJECT"]
    project = f"helpdesk-bench-digest-{people}"
    db = firestore.Client(project=project)
    organisation = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    extra = [
        organisation.people[0].model_copy(
            update={
                "email": f"tecnico{n:03d}@metalvale.com.br",
                "name": f"Técnico {n}",
                "role": Role.AGENT,
                "department": "manutencao-mecanica",
                "area": "manutencao",
            }
        )
        for n in range(people - len(organisation.people))
    ]
    organisation = organisation.model_copy(update={"people": [*organisation.people, *extra]})
    load_organisation(db, organisation)
    now = START  # a Tuesday's first working instant: every digest is due
    rows = []
    for n, person in enumerate(extra):  # three open tickets each, one overdue
        for k in range(3):
            row = _row(n * 3 + k + 1, person.email, "open", now, spread=1200)
            rows.append(row)
    batch = db.batch()
    for index, row in enumerate(rows, start=1):
        batch.set(db.collection("tickets").document(row["id"]), row)
        if index % 400 == 0:
            batch.commit()
            batch = db.batch()
    batch.commit()
    sent: list[str] = []

    class Recorder:
        def enqueue(self, name, body, at):
            sent.append(body)

    os.environ["HELPDESK_SMTP_HOST"] = "127.0.0.1"
    os.environ["HELPDESK_SMTP_PORT"] = str(stack.ports.smtp)
    os.environ["HELPDESK_MAIL_TRANSPORT"] = "smtp"
    import shared.bootstrap

    clock, shared.bootstrap.utc_now = shared.bootstrap.utc_now, lambda: START
    try:
        _in_project(project)
        app = digest_services()
        logging.getLogger("helpdesk.digest").setLevel(logging.WARNING)  # 500 lines of "sent"
        app._queue = Recorder()  # the plan's tasks, sent below as Cloud Tasks would
        started = time.perf_counter()
        planned = app.start()
        tasks = [DigestTask.decode(body) for body in sent]
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(app.send, tasks))
        took = time.perf_counter() - started
    finally:
        shared.bootstrap.utc_now = clock
        _in_project(before)
    return {
        "digest_people": len(organisation.people),
        "digest_planned": planned,
        "digest_sent": outcomes.count("sent"),
        "digest_s": took,
    }


def summary(f: dict) -> str:
    return (
        f"\nA technician's list, first page (1,000 open among {f['lists_total']:,} tickets, warm)"
        f"  p50 {f['lists_page_p50_ms']:.1f} ms   (goal: under 300 ms)"
        f"\n  / a bare Firestore query of the same page ({f['lists_bare_p50_ms']:.1f} ms) = "
        f"{f['lists_page_p50_ms'] / f['lists_bare_p50_ms']:.1f}x;"
        f" documents read per page: {f['lists_page_reads']} (goal: at most 23)"
        f"\nThe daily digest for {f['digest_people']} people: {f['digest_planned']} planned,"
        f" {f['digest_sent']} sent, in {f['digest_s']:.1f} s   (goal: within 60 s)"
    )
