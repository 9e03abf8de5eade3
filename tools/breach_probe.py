"""Measure the lag from an SLA deadline to its breach event, through the real pipeline:
the Cloud Tasks emulator dispatching to the `sla_timer` function served over HTTP.

A critical incident is opened on a round-the-clock calendar with its response deadline a few
seconds ahead; the probe waits for the `breached` event and reports event time − deadline.
Used by the test suite (tests/integration/test_timer_pipeline.py) and by `make bench`.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta

from google.cloud import firestore, tasks_v2

from shared.config import Config
from shared.domain.report_share import Rollup
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.orgconfig import read_organisation
from shared.repositories.directory import StaticDirectory
from shared.repositories.organisation_load import load_organisation
from shared.repositories.tickets import FirestoreTickets
from shared.timers.queue import CloudTasksQueue
from shared.timers.service import schedule
from tools.dev import function_command
from tools.stack import ROOT, free_port, port_in_use

TIMER_SECRET = "probe-timer-secret-0123456789"  # noqa: S105 - local emulator only


def round_the_clock_org():
    """The demo organisation with the line-stopped policy on a 24x7 calendar."""
    org = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    always = org.calendars[0].model_copy(
        update={
            "id": "sempre",
            "name": "24x7",
            "closed_days": [],
            "holidays": None,
            "hours": {
                day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        }
    )
    policies = [
        p.model_copy(update={"calendar": "sempre"}) if p.id == "inc-linha-parada" else p
        for p in org.policies
    ]
    return org.model_copy(update={"calendars": [*org.calendars, always], "policies": policies})


def create_queue(project: str, emulator_host: str) -> str:
    import grpc
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    client = tasks_v2.CloudTasksClient(
        transport=CloudTasksGrpcTransport(channel=grpc.insecure_channel(emulator_host))
    )
    parent = f"projects/{project}/locations/southamerica-east1"
    name = f"{parent}/queues/probe-{uuid.uuid4().hex[:12]}"
    client.create_queue(parent=parent, queue=tasks_v2.Queue(name=name))
    return name


def measure_breach_lag(project: str, seconds_ahead: float = 3.0, timeout: float = 30.0) -> float:
    db = firestore.Client(project=project)
    org = round_the_clock_org()
    load_organisation(db, org)
    directory = StaticDirectory(org)
    emulator = os.environ["HELPDESK_TASKS_EMULATOR_HOST"]
    queue_path = create_queue(project, emulator)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {
        **os.environ,
        "GOOGLE_CLOUD_PROJECT": project,
        "HELPDESK_TIMER_SECRET": TIMER_SECRET,
        "HELPDESK_TASKS_QUEUE": queue_path,
        "HELPDESK_TIMER_URL": url,
        "PYTHONPATH": str(ROOT),
        "HELPDESK_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        function_command("sla_timer", port),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline_wait = time.monotonic() + 30
        while not port_in_use(port):
            if server.poll() is not None or time.monotonic() > deadline_wait:
                raise RuntimeError("the sla_timer function did not start")
            time.sleep(0.05)
        policy = directory.policy("inc-linha-parada")
        opened_at = datetime.now(UTC) - policy.response_time + timedelta(seconds=seconds_ahead)
        submission = Submission.model_validate(
            {
                "submission_id": f"probe-{uuid.uuid4().hex}",
                "source": "api",
                "type": "incident",
                "policy": "inc-linha-parada",
                "title": "Sonda de atraso do temporizador",
                "requester": {"email": "lucas.oliveira@metalvale.com.br"},
                "asset": "CNC-01",
                "fields": {"linha": "usinagem-1", "maquina": "CNC-01", "sintoma": "teste"},
            }
        )
        ticket, _ = open_ticket(
            submission,
            "api",
            directory=directory,
            tickets=FirestoreTickets(db, Rollup(directory)),
            config=Config(),
            now=lambda: opened_at,
        )
        queue = CloudTasksQueue(queue_path, url, emulator_host=emulator, secret=TIMER_SECRET)
        schedule(ticket, directory, queue, datetime.now(UTC))
        give_up = time.monotonic() + timeout
        tickets = FirestoreTickets(db)
        while time.monotonic() < give_up:
            breached = [e for e in tickets.events(ticket.id) if e.type == "breached"]
            if breached:
                return (breached[0].at - ticket.response_due).total_seconds()
            time.sleep(0.05)
        raise TimeoutError("no breach event within the timeout")
    finally:
        server.terminate()
        server.wait(timeout=10)
