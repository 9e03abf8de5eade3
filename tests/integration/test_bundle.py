"""The deploy bundle (entry as main.py + shared/ + requirements) imports and serves on its own."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tools.stack import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_staged_intake_bundle_serves_requests(emulator_env, tmp_path):
    staged = subprocess.run(
        ["bash", str(ROOT / "deploy.sh"), "--project", "demo", "--dry-run"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert "gcloud functions deploy intake" in staged.stdout
    bundle = ROOT / "build" / "intake"
    assert sorted(p.name for p in bundle.iterdir()) == ["main.py", "requirements.txt", "shared"]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HELPDESK_INTAKE_CLIENTS"] = json.dumps({"api": {"auth": "key", "secret": "k" * 20}})
    server = subprocess.Popen(
        [sys.executable, "-m", "functions_framework", "--target=intake", f"--port={port}"],
        cwd=bundle,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.post(f"http://127.0.0.1:{port}/", json={}, timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 401
        assert "X-Helpdesk-Signature" in answer.json()["error"]
    finally:
        server.terminate()
        server.wait(timeout=10)
