"""What one ticket's life costs: Firestore reads and writes, Cloud Tasks, e-mails, Storage
operations and function calls, counted while a ticket lives through the functions.

The incident arrives from the form with a photo, is acknowledged, costed and resolved from
its pages, confirmed and rated by the requester; every event goes to the notifications and
scheduler functions as Eventarc would deliver it, and every timer the scheduler queued fires
once, as Cloud Tasks would at its due time. Firestore operations are counted on the client's
gRPC channel (a document read per document returned, at least one per query; a write per
document written), with the functions' caches warm (the second of two lives is counted).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import Counter
from datetime import timedelta
from typing import Any

from tools.stack import ROOT

# List prices (USD) used for the table, Firestore and Storage in a single region, checked
# 2026-11: change them for your region and contract. Gmail is part of Workspace.
PRICES = {
    "firestore_reads": 0.03 / 100_000,
    "firestore_writes": 0.09 / 100_000,
    "tasks": 0.40 / 1_000_000,
    "storage_class_a": 0.005 / 1_000,
    "storage_class_b": 0.0004 / 1_000,
    "function_calls": 0.40 / 1_000_000,
}


class Tally:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.paused = False
        self._lock = threading.Lock()

    def add(self, name: str, amount: int = 1) -> None:
        if not self.paused and amount:
            with self._lock:
                self.counts[name] += amount


TALLY = Tally()


class _CountedStream:
    """A server stream whose responses are counted as they are read."""

    def __init__(self, call, count) -> None:
        self._call, self._count, self._seen = call, count, 0

    def __iter__(self):
        return self

    def __next__(self):
        try:
            response = next(self._call)
        except StopIteration:
            if self._seen == 0:
                TALLY.add("firestore_reads")  # an empty query still costs one read
            raise
        self._seen += self._count(response)
        TALLY.add("firestore_reads", self._count(response))
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self._call, name)


def _documents(response) -> int:
    for name in ("document", "found"):
        if getattr(getattr(response, name, None), "name", ""):
            return 1
    return 1 if getattr(response, "missing", "") else 0


def install_counting() -> None:
    """Count on every Firestore client's channel (the emulator's insecure channel)."""
    import grpc
    from google.cloud.firestore_v1.base_client import BaseClient

    class Interceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
        def intercept_unary_unary(self, continuation, details, request):
            if details.method.endswith("/Commit"):
                TALLY.add("firestore_writes", len(request.writes))
            return continuation(details, request)

        def intercept_unary_stream(self, continuation, details, request):
            call = continuation(details, request)
            if details.method.endswith("/RunAggregationQuery"):
                TALLY.add("firestore_reads")  # up to 1,000 index entries per read
                return call
            return _CountedStream(call, _documents)

    original = BaseClient._emulator_channel

    def counted(self, transport):
        return grpc.intercept_channel(original(self, transport), Interceptor())

    BaseClient._emulator_channel = counted


def _count_storage() -> None:
    from shared.storage.evidence import GcsEvidenceStore

    operations = {"upload_session": "a", "write": "a", "head": "b", "read": "b"}
    for name, kind in operations.items():
        method = getattr(GcsEvidenceStore, name)

        def wrapped(self, *args, _method=method, _kind=kind, _name=name, **kwargs):
            # head = the object's metadata and its first bytes: two operations
            TALLY.add(f"storage_class_{_kind}", 2 if _name == "head" else 1)
            return _method(self, *args, **kwargs)

        setattr(GcsEvidenceStore, name, wrapped)


def lifecycle(clients: dict, db, submission_id: str, photo: bytes, queue: tuple) -> Counter:
    import requests
    from cloudevents.conversion import to_binary
    from google.cloud import tasks_v2
    from google.cloud.firestore_v1.base_query import FieldFilter

    from shared.intake.auth import sign
    from shared.links import LinkSigner
    from tools.devconfig import DEV_FUNCTION_ENV, DEV_INTAKE_CLIENTS
    from tools.event_bridge import to_cloud_event

    secret = json.loads(DEV_INTAKE_CLIENTS)["google-forms"]["secrets"][0]
    before = Counter(TALLY.counts)
    delivered: set[str] = set()

    def call(name: str, method: str, path: str, **kwargs):
        TALLY.add("function_calls")
        answer = clients[name].open(path, method=method, **kwargs)
        if answer.status_code >= 400:
            raise SystemExit(f"{name} {path} answered {answer.status_code}: {answer.data[:200]!r}")
        return answer

    def signed(body: bytes, path: str = "/") -> dict:
        stamp = int(time.time())
        return {
            "Content-Type": "application/json",
            "X-Helpdesk-Signature": sign(secret, body, stamp, "POST", path),
        }

    def deliver_events(ticket_id: str) -> None:
        """Eventarc hands each new event to both subscribers (its reads are the platform's)."""
        TALLY.paused = True
        query = db.collection("ticket_events").where(
            filter=FieldFilter("ticket_id", "==", ticket_id)
        )
        events = [(doc.reference.path, doc.to_dict()) for doc in query.stream()]
        TALLY.paused = False
        for path, fields in sorted(events):
            if path in delivered:
                continue
            delivered.add(path)
            TALLY.add("events")
            event = to_cloud_event(db.project, path, fields, _now())
            for name in ("notifications", "sla_scheduler"):
                headers, body = to_binary(event)
                call(name, "POST", "/", headers=headers, data=body)

    example = json.loads((ROOT / "examples" / "incident.json").read_text(encoding="utf-8"))
    example["submission_id"] = submission_id
    example["attachments"] = [
        {"filename": "painel.jpg", "content_type": "image/jpeg", "size": len(photo)}
    ]
    body = json.dumps(example).encode()
    ticket = call("intake", "POST", "/", data=body, headers=signed(body)).json
    deliver_events(ticket["id"])
    upload = ticket["uploads"][0]
    requests.put(upload["upload_url"], data=photo, timeout=30).raise_for_status()
    TALLY.add("storage_class_a")  # the form's PUT of the photo
    done = json.dumps({"ticket_id": ticket["id"]}).encode()
    call(
        "media",
        "POST",
        f"/uploads/{upload['upload_id']}/complete",
        data=done,
        headers=signed(done, f"/uploads/{upload['upload_id']}/complete"),
    )
    deliver_events(ticket["id"])

    links = LinkSigner(os.environ["HELPDESK_LINK_SECRET"], "x", timedelta(days=1))
    responsible = f"/t/{links.token(ticket['id'], ticket['responsible']['email'], 'responsible')}"
    requester = f"/t/{links.token(ticket['id'], ticket['requester']['email'], 'requester')}"

    def act(path: str, action: str, **fields) -> None:
        html = call("pages", "GET", path).get_data(as_text=True)
        token = re.search(
            rf'action="[^"]*/{action}"[^>]*>\s*<input type="hidden" name="form_token" '
            rf'value="([^"]+)"',
            html,
        )
        if token is None:
            raise SystemExit(f"no {action} form on the page")
        call("pages", "POST", f"{path}/{action}", data={"form_token": token.group(1), **fields})
        deliver_events(ticket["id"])

    act(responsible, "acknowledge")
    act(
        responsible,
        "cost",
        category="parts",
        amount="480.00",
        currency="BRL",
        description="Rolamento",
    )
    act(responsible, "resolve", text="Rolamento trocado; máquina testada.")
    act(requester, "confirm")
    act(requester, "rate", score="5", comment="")

    client, queue_name = queue
    request = tasks_v2.ListTasksRequest(parent=queue_name, response_view=tasks_v2.Task.View.FULL)
    tasks = [
        t
        for t in client.list_tasks(request=request)
        if ticket["id"] in t.http_request.body.decode()
    ]
    TALLY.add("tasks", len(tasks))
    timer_secret = DEV_FUNCTION_ENV["HELPDESK_TIMER_SECRET"]
    for task in tasks:  # each fires once, at its due time: the ticket is resolved by then
        headers = {"X-Helpdesk-Timer-Secret": timer_secret, "Content-Type": "application/json"}
        call("sla_timer", "POST", "/", data=task.http_request.body, headers=headers)
    return Counter(TALLY.counts) - before


def _photo() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def bench_costs() -> dict:
    import functions_framework
    import requests
    from google.cloud import firestore, tasks_v2
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    from shared import bootstrap
    from shared.orgconfig import read_organisation
    from shared.repositories.organisation_load import load_organisation
    from tools.breach_probe import create_queue
    from tools.devconfig import DEV_FUNCTION_ENV

    install_counting()
    _count_storage()
    project = "helpdesk-bench-costs"
    saved = dict(os.environ)
    os.environ.update(DEV_FUNCTION_ENV)
    os.environ.update({"GOOGLE_CLOUD_PROJECT": project, "HELPDESK_LOG_LEVEL": "WARNING"})
    import grpc

    emulator = os.environ["HELPDESK_TASKS_EMULATOR_HOST"]
    queue_name = create_queue(project, emulator)
    tasks = tasks_v2.CloudTasksClient(
        transport=CloudTasksGrpcTransport(channel=grpc.insecure_channel(emulator))
    )
    tasks.pause_queue(name=queue_name)
    os.environ["HELPDESK_TASKS_QUEUE"] = queue_name
    try:
        TALLY.paused = True
        db = firestore.Client(project=project)
        load_organisation(db, read_organisation(ROOT / "config" / "demo-organisation.yaml"))
        TALLY.paused = False
        for cached in (
            bootstrap.services,
            bootstrap._db,
            bootstrap.notification_services,
            bootstrap.timer_services,
            bootstrap.page_services,
            bootstrap.media_services,
        ):
            cached.cache_clear()
        names = ("intake", "media", "pages", "notifications", "sla_scheduler", "sla_timer")
        clients = {
            name: functions_framework.create_app(
                name,
                str(ROOT / "functions" / f"{name}.py"),
                "cloudevent" if name in ("notifications", "sla_scheduler") else "http",
            ).test_client()
            for name in names
        }
        inbox = os.environ["HELPDESK_MAIL_INBOX_URL"]
        photo = _photo()
        lifecycle(clients, db, "costs-warm-up", photo, (tasks, queue_name))  # caches warm
        mails_before = len(requests.get(f"{inbox}/email", timeout=5).json())
        counted = lifecycle(clients, db, "costs-counted", photo, (tasks, queue_name))
        time.sleep(1)
        counted["emails"] = len(requests.get(f"{inbox}/email", timeout=5).json()) - mails_before
    finally:
        os.environ.clear()
        os.environ.update(saved)
    per_ticket = dict(counted)
    found = {f"cost_per_ticket_{key}": value for key, value in per_ticket.items()}
    found["cost_per_1000_usd"] = 1000 * sum(
        per_ticket.get(key, 0) * price for key, price in PRICES.items()
    )
    return found


def summary(f: dict) -> str:
    rows = [
        ("Firestore document reads", "firestore_reads"),
        ("Firestore document writes", "firestore_writes"),
        ("Cloud Tasks (timers queued, each fired once)", "tasks"),
        ("e-mails sent", "emails"),
        ("Cloud Storage class A operations", "storage_class_a"),
        ("Cloud Storage class B operations", "storage_class_b"),
        ("function calls (HTTP and events)", "function_calls"),
        ("ticket events", "events"),
    ]
    lines = ["\none ticket's life (form with a photo, acknowledged, costed, resolved, rated):"]
    for label, key in rows:
        value = f.get(f"cost_per_ticket_{key}", 0)
        lines.append(f"\n  {label:<48} {value:>5}   per 1,000 tickets: {1000 * value:>9,}")
    lines.append(
        f"\n  at the list prices in tools/bench_costs.py: US$ {f['cost_per_1000_usd']:.2f}"
        " per 1,000 tickets (before free tiers)"
    )
    return "".join(lines)
