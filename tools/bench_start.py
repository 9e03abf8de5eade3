"""A figure of `make bench` that needs real servers: every function's cold start (process start
to its first answer), beside a baseline (the burst of submissions is in `bench_burst.py`).

The cold start baselines are functions-framework hello worlds: one importing nothing, one
importing the same Google client libraries as the functions (Firestore, Storage, Tasks,
the API client), which is the floor a function of this stack can reach.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from tools.stack import ROOT, free_port, port_in_use

HELLO = """import functions_framework{imports}


@functions_framework.http
def hello(request):
    return "hello"
"""
GOOGLE_IMPORTS = """
import flask  # noqa: F401
import googleapiclient.discovery  # noqa: F401
from google.cloud import firestore, storage, tasks_v2  # noqa: F401"""


def _load_organisation() -> None:
    from google.cloud import firestore

    from shared.orgconfig import read_organisation
    from shared.repositories.organisation_load import load_organisation

    db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    load_organisation(db, read_organisation(ROOT / "config" / "demo-organisation.yaml"))


def _env() -> dict[str, str]:
    from tools.devconfig import DEV_FUNCTION_ENV

    return {
        **os.environ,
        **DEV_FUNCTION_ENV,
        "PYTHONPATH": str(ROOT),
        "HELPDESK_LOG_LEVEL": "WARNING",
    }


def _serve(source: Path, target: str, port: int, env: dict) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "functions-framework"),
        f"--source={source}",
        f"--target={target}",
        f"--port={port}",
        "--host=127.0.0.1",
    ]
    if target in ("notifications", "sla_scheduler", "mailbox"):
        command.append("--signature-type=cloudevent")
    return subprocess.Popen(
        command, env=env, cwd=source.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stage_bundles(folder: Path) -> dict[str, Path]:
    """Every function's bundle as `deploy.sh` uploads it (sources and their bytecode)."""
    subprocess.run(
        ["bash", str(ROOT / "deploy.sh"), "--stage-only", "--build-dir", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return {bundle.name: bundle / "main.py" for bundle in folder.iterdir()}


def _first_answer(source: Path, target: str, request, env: dict) -> float:
    """Seconds from the process's start to its first answer below 400."""
    port = free_port()
    started = time.perf_counter()
    process = _serve(source, target, port, env)
    try:
        while time.perf_counter() - started < 60:
            if process.poll() is not None:
                raise SystemExit(f"{target} exited while starting")
            if port_in_use(port):
                try:
                    answer = request(f"http://127.0.0.1:{port}")
                except requests.ConnectionError:
                    answer = None
                if answer is not None and answer.status_code < 400:
                    return time.perf_counter() - started
                if answer is not None and answer.status_code >= 500:
                    raise SystemExit(f"{target} answered {answer.status_code}: {answer.text[:200]}")
            time.sleep(0.005)
        raise SystemExit(f"{target} did not answer within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=10)


def _requests() -> dict:
    """A cheap request each function answers with success."""
    from cloudevents.conversion import to_binary

    from shared.intake.auth import sign
    from tools.devconfig import DEV_INTAKE_CLIENTS, DEV_MANAGER_KEY
    from tools.event_bridge import to_cloud_event

    secret = json.loads(DEV_INTAKE_CLIENTS)["google-forms"]["secrets"][0]
    manager = {"X-Helpdesk-Key": DEV_MANAGER_KEY}
    timer_secret = _env()["HELPDESK_TIMER_SECRET"]
    project = os.environ["GOOGLE_CLOUD_PROJECT"]
    counter = iter(range(1_000_000))

    def intake(base):
        body = json.dumps(
            {
                **json.loads((ROOT / "examples" / "incident.json").read_text("utf-8")),
                "attachments": [],
                "submission_id": f"cold-{time.time_ns()}-{next(counter)}",
            }
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Helpdesk-Signature": sign(secret, body, int(time.time())),
        }
        return requests.post(f"{base}/", data=body, headers=headers, timeout=30)

    def event(base):
        fields = {"ticket_id": "none", "seq": 1, "type": "rated", "actor": "x", "data": {}}
        fields["at"] = datetime.now(UTC)
        cloud_event = to_cloud_event(
            project, "ticket_events/none-000001-rated", fields, datetime.now(UTC)
        )
        headers, body = to_binary(cloud_event)
        return requests.post(f"{base}/", data=body, headers=headers, timeout=30)

    def timer(base):
        body = {"ticket_id": "none", "milestone": "response-breach", "version": 1}
        body["due"] = datetime.now(UTC).isoformat()
        headers = {"X-Helpdesk-Timer-Secret": timer_secret, "Content-Type": "application/json"}
        return requests.post(f"{base}/", json=body, headers=headers, timeout=30)

    return {
        "intake": intake,
        "pages": lambda base: requests.get(f"{base}/assets/upload.js", timeout=30),
        "media": lambda base: requests.options(f"{base}/uploads", timeout=30),
        "notifications": event,
        "sla_scheduler": event,
        "sla_timer": timer,
        "out_of_sla": lambda base: requests.get(f"{base}/", headers=manager, timeout=30),
        "assets": lambda base: requests.get(f"{base}/assets", headers=manager, timeout=30),
        "reports": lambda base: requests.get(
            f"{base}/sla", params={"format": "json"}, headers=manager, timeout=60
        ),
    }


def bench_cold_starts(rounds: int) -> dict:
    """Each function served from its deployment bundle, as a new instance would start it."""
    _load_organisation()
    env = {key: value for key, value in _env().items() if key != "PYTHONPATH"}
    found: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        bundles = _stage_bundles(Path(folder) / "bundles")
        bare, google = Path(folder) / "hello_bare.py", Path(folder) / "hello_google.py"
        bare.write_text(HELLO.format(imports=""), encoding="utf-8")
        google.write_text(HELLO.format(imports=GOOGLE_IMPORTS), encoding="utf-8")

        def hello(base):
            return requests.get(f"{base}/", timeout=30)

        targets = [("hello_bare", bare, "hello", hello), ("hello_google", google, "hello", hello)]
        targets += [(name, bundles[name], name, request) for name, request in _requests().items()]
        samples: dict[str, list[float]] = {name: [] for name, *_ in targets}
        for _ in range(rounds):  # in turns, so that the machine's noise falls on all alike
            for name, source, target, request in targets:
                samples[name].append(_first_answer(source, target, request, env))
    for name, values in samples.items():
        found[f"cold_{name}_s"] = statistics.median(values)
    return found


FUNCTIONS = (
    "intake",
    "pages",
    "media",
    "notifications",
    "sla_scheduler",
    "sla_timer",
    "out_of_sla",
    "assets",
    "reports",
)


def summary(f: dict) -> str:
    lines = [
        "\ncold start (process start to first answer), median:",
        f"\n  hello world, no imports        {f['cold_hello_bare_s']:.2f} s",
        f"\n  hello world, Google libraries  {f['cold_hello_google_s']:.2f} s",
    ]
    for name in FUNCTIONS:
        value = f[f"cold_{name}_s"]
        lines.append(
            f"\n  {name:<30} {value:.2f} s  = {value / f['cold_hello_google_s']:.2f}x the Google"
            f" hello world (goal: at most 1.3x), {value / f['cold_hello_bare_s']:.2f}x the bare one"
        )
    return "".join(lines)
