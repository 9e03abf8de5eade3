"""Fixtures for driving the functions through functions-framework's test client."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime

import functions_framework
import pytest
from aiosmtpd.controller import Controller

from shared.bootstrap import _db, notification_services, registry_services, services
from shared.intake.auth import sign
from shared.orgconfig import read_organisation
from shared.repositories.organisation_load import load_organisation
from tests.integration.phone import link_in
from tools.dev import function_command
from tools.stack import ROOT, free_port, port_in_use

FORMS_SECRET = "forms-secret-for-tests-0123456789"
APPSHEET_KEY = "appsheet-key-for-tests-0123456789"
APPSHEET_FOLDER = "1AppSheetDataFolder-Metalvale"  # the app's Drive folder (its id)
INTAKE_CLIENTS = {
    "google-forms": {"auth": "hmac", "secrets": [FORMS_SECRET]},
    "appsheet": {"auth": "key", "secrets": [APPSHEET_KEY], "drive_folder": APPSHEET_FOLDER},
}


@pytest.fixture
def demo_org(db):
    organisation = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    load_organisation(db, organisation)
    return organisation


@pytest.fixture
def function_env(emulator_env, monkeypatch):
    monkeypatch.setenv("HELPDESK_INTAKE_CLIENTS", json.dumps(INTAKE_CLIENTS))
    services.cache_clear()
    registry_services.cache_clear()
    yield
    services.cache_clear()
    registry_services.cache_clear()


def make_client(target: str):
    app = functions_framework.create_app(target, str(ROOT / "functions" / f"{target}.py"))
    return app.test_client()


@pytest.fixture
def intake(function_env, demo_org):
    return make_client("intake")


def signed_headers(
    body: bytes,
    secret: str = FORMS_SECRET,
    timestamp: int | None = None,
    method: str = "POST",
    path: str = "/",
) -> dict:
    """Headers of a request signed as the Apps Script signs it (v2: method, path and body)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signature = sign(secret, body, stamp, method, path)
    return {"Content-Type": "application/json", "X-Helpdesk-Signature": signature}


def post_ticket(client, payload: dict, **signing):
    body = json.dumps(payload).encode()
    return client.post("/", data=body, headers=signed_headers(body, **signing))


# The requester and the responsible of `incident()`.
REQUESTER = "lucas.oliveira@metalvale.com.br"
RESPONSIBLE = "carlos.mendes@metalvale.com.br"


def incident(**overrides) -> dict:
    payload = {
        "submission_id": "form-response-0001",
        "source": "google-forms",
        "type": "incident",
        "policy": "inc-linha-parada",
        "title": "CNC-01 parou com alarme de spindle",
        "description": "Alarme 2001 no fuso; a linha Usinagem 1 está parada.",
        "requester": {"email": REQUESTER},
        "asset": "CNC-01",
        "fields": {"linha": "usinagem-1", "maquina": "CNC-01", "sintoma": "Alarme 2001 no fuso"},
    }
    payload.update(overrides)
    return payload


def degraded_robot(intake, submission_id: str, requester: str = REQUESTER) -> dict:
    """Open an electrical incident: responsible Diego (es), head Sérgio."""
    payload = {
        "submission_id": submission_id,
        "source": "appsheet",
        "type": "incident",
        "policy": "inc-degradacao",
        "title": "Queda de tensão",
        "requester": {"email": requester},
        "fields": {"maquina": "ROBO-SOLDA-01", "sintoma": "Cordão irregular"},
    }
    return post_ticket(intake, payload).json


# --- notifications ---------------------------------------------------------------------


class SmtpInbox:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse: set[str] = set()
        self.port = free_port()
        self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted"

    def start(self) -> SmtpInbox:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp_inbox():
    inbox = SmtpInbox().start()
    yield inbox
    inbox.stop()


@pytest.fixture
def notifications_env(function_env, smtp_inbox, monkeypatch):
    monkeypatch.setenv("HELPDESK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HELPDESK_SMTP_PORT", str(smtp_inbox.port))
    monkeypatch.setenv("HELPDESK_MAIL_TRANSPORT", "smtp")
    monkeypatch.setenv("HELPDESK_PAGES_BASE_URL", "https://pages.example.test")
    notification_services.cache_clear()
    _db.cache_clear()
    yield smtp_inbox
    notification_services.cache_clear()
    _db.cache_clear()


@pytest.fixture
def notifications(notifications_env, demo_org):
    return make_client("notifications")


@pytest.fixture
def pages(notifications_env):
    """The pages function, with its services built afresh for this test's settings."""
    from shared.bootstrap import media_services, page_services

    page_services.cache_clear()
    media_services.cache_clear()
    yield make_client("pages")
    page_services.cache_clear()


def cloud_event_request(project: str, path: str, fields: dict, mode: str = "binary"):
    from cloudevents.conversion import to_binary, to_structured

    from tools.event_bridge import to_cloud_event

    event = to_cloud_event(project, path, fields, datetime.now(UTC))
    return to_binary(event) if mode == "binary" else to_structured(event)


def deliver_event(client, db, path: str, mode: str = "binary"):
    snapshot = db.document(path).get()
    headers, body = cloud_event_request(db.project, path, snapshot.to_dict(), mode)
    return client.post("/", headers=headers, data=body)


def event_paths(db, ticket_id: str) -> list[str]:
    from google.cloud.firestore_v1.base_query import FieldFilter

    from shared.repositories.firestore import EVENTS

    docs = db.collection(EVENTS).where(filter=FieldFilter("ticket_id", "==", ticket_id)).stream()
    return sorted(doc.reference.path for doc in docs)


# --- SLA timers ---------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """Firestore, the demo organisation in memory, the ticket store and a recording queue."""
    from shared.domain.report_share import Rollup
    from shared.repositories.directory import StaticDirectory
    from shared.repositories.tickets import FirestoreTickets
    from tests.integration.timing import ORG, RecordingQueue

    directory = StaticDirectory(ORG)
    return db, directory, FirestoreTickets(db, Rollup(directory)), RecordingQueue()


# --- browser tests: the functions over HTTP, Debian's Chromium driven by Playwright ----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def served(notifications_env, demo_org):
    """Start functions as real HTTP servers; yields a starter returning their base URLs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HELPDESK_LOG_LEVEL": "WARNING"}
    started: list[subprocess.Popen] = []
    ports: dict[str, int] = {}
    # Each function must know the other's address: fix the ports first, then start them.
    pages_port, media_port = free_port(), free_port()
    env["HELPDESK_PAGES_BASE_URL"] = os.environ["HELPDESK_PAGES_BASE_URL"] = (
        f"http://127.0.0.1:{pages_port}"
    )
    env["HELPDESK_MEDIA_URL"] = os.environ["HELPDESK_MEDIA_URL"] = f"http://127.0.0.1:{media_port}/"
    for name, port in (("pages", pages_port), ("media", media_port)):
        process = subprocess.Popen(
            function_command(name, port),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        ports[name] = port
    deadline = time.monotonic() + 30
    while not all(port_in_use(port) for port in ports.values()):
        assert all(p.poll() is None for p in started), "a function exited (port taken?)"
        assert time.monotonic() < deadline, "the functions did not start"
        time.sleep(0.05)
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    for process in started:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


TIMER_SECRET = "timer-secret-for-tests-0123456789"


@pytest.fixture
def paused_queue(function_env, monkeypatch, project):
    """A queue of this test's own in the tasks emulator, paused: the test reads its tasks."""
    import grpc
    from google.cloud import tasks_v2
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    from shared.bootstrap import timer_services
    from tools.breach_probe import create_queue

    emulator = os.environ["HELPDESK_TASKS_EMULATOR_HOST"]
    name = create_queue(project, emulator)
    client = tasks_v2.CloudTasksClient(
        transport=CloudTasksGrpcTransport(channel=grpc.insecure_channel(emulator))
    )
    client.pause_queue(name=name)  # nothing is dispatched: the test reads the tasks
    monkeypatch.setenv("HELPDESK_TASKS_QUEUE", name)
    monkeypatch.setenv("HELPDESK_TIMER_SECRET", TIMER_SECRET)
    monkeypatch.setenv("HELPDESK_TIMER_URL", "https://timer.example.test/")
    timer_services.cache_clear()
    yield client, name
    timer_services.cache_clear()
    client.delete_queue(name=name)


@pytest.fixture
def api(paused_queue, notifications_env, demo_org, monkeypatch):
    """Every HTTP function behind one front (tests/integration/api_front.py): a werkzeug
    client of it, and docs/openapi.yaml loaded by schemathesis and bound to it."""
    from werkzeug.test import Client

    from shared import bootstrap
    from shared.auth.managers import key_digest
    from tests.integration.api_front import MANAGER, MANAGER_KEY, front_and_schema

    monkeypatch.setenv("HELPDESK_MANAGER_KEYS", json.dumps({key_digest(MANAGER_KEY): MANAGER}))
    for cached in (
        bootstrap.services,
        bootstrap.page_services,
        bootstrap.media_services,
        bootstrap.report_services,
        bootstrap.timer_services,
    ):
        cached.cache_clear()
    front, schema = front_and_schema()
    return Client(front), schema


@pytest.fixture
def opened(served, intake, db, smtp_inbox):
    """A stopped line reported through the form; the requester's and the responsible's links
    from their e-mails."""
    notification_services.cache_clear()
    notifications = make_client("notifications")
    hostile = '<script>alert("x")</script> Prensa travada'
    payload = incident(submission_id=f"browser-{uuid.uuid4().hex}", title=hostile)
    ticket = post_ticket(intake, payload).json

    def mail_events():
        for path in event_paths(db, ticket["id"]):
            deliver_event(notifications, db, path)

    mail_events()
    links = {
        "requester": link_in(smtp_inbox.to(REQUESTER)[0]),
        "responsible": link_in(smtp_inbox.to(RESPONSIBLE)[0]),
    }
    return ticket, links, mail_events, hostile


def appsheet_row(**values: str) -> dict[str, str]:
    """A row of the AppSheet app's table, as its bot fills the body template (no photos
    taken unless `values` names them)."""
    from zoneinfo import ZoneInfo

    opened = datetime.now(ZoneInfo("America/Sao_Paulo")).strftime("%Y-%m-%dT%H:%M:%S")
    return {
        "[Ticket ID]": "a1b2c3d4",
        "[Policy]": "inc-linha-parada",
        "[Title]": 'Prensa "PRENSA-01" travada',
        "[Description]": "Travou no meio do ciclo.\nOperador afastado.",
        "USEREMAIL()": "ana.souza@metalvale.com.br",
        '[Opened at], "YYYY-MM-DDTHH:MM:SS"': opened,
        "[Machine]": "PRENSA-01",
        "[Line]": "estamparia-1",
        "[Symptom]": "Embreagem não desacopla",
        "[Parts at risk]": "340",
        "[Photo 1]": "",  # no photo taken: AppSheet writes an empty text
        "[Photo 2]": "",
    } | values


def appsheet_body(row: dict[str, str]) -> bytes:
    """integrations/appsheet/body-template.json filled as AppSheet fills it: each <<...>>
    replaced by the row's value, escaped for JSON."""
    import re

    template = (ROOT / "integrations" / "appsheet" / "body-template.json").read_text("utf-8")

    def value(match: re.Match) -> str:
        expression = match.group(1).replace('\\"', '"')
        if expression.startswith("TEXT("):
            expression = expression.removeprefix("TEXT(").removesuffix(")")
        return json.dumps(row[expression], ensure_ascii=False)[1:-1]

    return re.sub(r"<<(.+?)>>", value, template).encode()


# --- the managers' console ------------------------------------------------------------


@pytest.fixture(scope="module")
def issuer():
    """The stand-in for Google's sign-in (tools/dev_issuer.py), on a port of its own."""
    from tools.dev_issuer import StandInIssuer, server

    port = free_port()
    issuer = StandInIssuer(f"http://127.0.0.1:{port}")
    running = server(issuer, port)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield issuer
    running.shutdown()


@pytest.fixture
def console(function_env, demo_org, issuer, monkeypatch):
    from shared.bootstrap import console_services, services

    monkeypatch.setenv("HELPDESK_DEV_ISSUER_URL", issuer.url)
    monkeypatch.setenv("HELPDESK_CONSOLE_URL", "https://console.example.test/")
    monkeypatch.setenv("HELPDESK_DIRECTORY_CACHE_SECONDS", "0")
    services.cache_clear()
    console_services.cache_clear()
    yield make_client("console")
    console_services.cache_clear()


@pytest.fixture
def console_server(notifications_env, demo_org, issuer):
    """The console function as a real HTTP server, trusting the stand-in issuer; its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HELPDESK_LOG_LEVEL": "WARNING",
        "HELPDESK_DEV_ISSUER_URL": issuer.url,
        "HELPDESK_CONSOLE_URL": url + "/",
    }
    process = subprocess.Popen(
        function_command("console", port), env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while not port_in_use(port):
        assert process.poll() is None, "the console exited (port taken?)"
        assert time.monotonic() < deadline, "the console did not start"
        time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)
