"""`make dev`: the whole help desk on this machine.

Starts the emulators and the SMTP server, loads the demo organisation, serves every Cloud
Function with functions-framework on its own port, prints the URLs to try, and stops it all
on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import requests

from tools.devconfig import (
    DEV_FUNCTION_ENV,
    DEV_ISSUER_PORT,
    DEV_MANAGER_KEY,
    EVENT_SUBSCRIBERS,
    FUNCTION_MODULES,
    FUNCTION_PORTS,
    INBOUND_SMTP_PORT,
    MAILBOX_PUSH_PORT,
)
from tools.stack import ROOT, VENV_BIN, Stack, wait_for_port, wait_until_interrupted


def function_command(name: str, port: int) -> list[str]:
    return [
        str(VENV_BIN / "functions-framework"),
        f"--source={ROOT / 'functions' / f'{FUNCTION_MODULES.get(name, name)}.py'}",
        f"--target={name}",
        f"--port={port}",
        "--host=127.0.0.1",
    ]


def main() -> int:
    stack = Stack().start()
    mailbox_dir = ROOT / ".dev" / "mailbox"
    shutil.rmtree(mailbox_dir, ignore_errors=True)  # a fresh mailbox, as Firestore is fresh
    env = {
        **os.environ,
        **stack.env(),
        **DEV_FUNCTION_ENV,
        "HELPDESK_LOCAL_MAILBOX_DIR": str(mailbox_dir),
        "PYTHONPATH": str(ROOT),
    }
    functions: list[subprocess.Popen] = []
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tools.load_org",
                str(ROOT / "config" / "demo-organisation.yaml"),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        subprocess.run([sys.executable, "-m", "tools.seed_demo"], env=env, check=True, cwd=ROOT)
        for name, port in FUNCTION_PORTS.items():
            functions.append(
                subprocess.Popen(
                    function_command(name, port), env=env, cwd=ROOT, start_new_session=True
                )
            )
            wait_for_port(name, port, stack)
        # There is no Google sign-in locally: the console trusts this stand-in issuer.
        issuer = [sys.executable, "-m", "tools.dev_issuer", f"--port={DEV_ISSUER_PORT}"]
        functions.append(subprocess.Popen(issuer, env=env, cwd=ROOT, start_new_session=True))
        wait_for_port("stand-in issuer", DEV_ISSUER_PORT, stack)
        # There is no Eventarc locally: the bridge turns new event documents into CloudEvents.
        targets = [f"http://127.0.0.1:{FUNCTION_PORTS[name]}/" for name in EVENT_SUBSCRIBERS]
        bridge = [sys.executable, "-m", "tools.event_bridge", *targets]
        functions.append(subprocess.Popen(bridge, env=env, cwd=ROOT, start_new_session=True))
        # The mailbox: inbound SMTP, Gmail's watch announcing to Pub/Sub, the push to `mailbox`.
        mailbox = [
            sys.executable,
            "-m",
            "tools.dev_mailbox",
            f"--smtp-port={INBOUND_SMTP_PORT}",
            f"--push-port={MAILBOX_PUSH_PORT}",
            f"--target=http://127.0.0.1:{FUNCTION_PORTS['mailbox']}/",
        ]
        functions.append(subprocess.Popen(mailbox, env=env, cwd=ROOT, start_new_session=True))
        wait_for_port("mailbox SMTP", INBOUND_SMTP_PORT, stack)
        watch_mailbox()
        threading.Thread(target=fold_rollups_hourly, daemon=True).start()
        threading.Thread(target=start_digests_daily, daemon=True).start()
        print_urls(stack)
        wait_until_interrupted()
    finally:
        try:
            stop_groups(functions)
        finally:
            stack.stop()  # the emulators run in their own sessions: always stop them
    return 0


def stop_groups(processes: list[subprocess.Popen]) -> None:
    """Stop each process with all its children (each runs in a process group of its own)."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def watch_mailbox() -> None:
    """What Cloud Scheduler does daily in production: (re)start the mailbox's watch."""
    url = f"http://127.0.0.1:{FUNCTION_PORTS['mailbox_watch']}/"
    headers = {"X-Helpdesk-Timer-Secret": DEV_FUNCTION_ENV["HELPDESK_TIMER_SECRET"]}
    requests.post(url, headers=headers, timeout=30).raise_for_status()


def fold_rollups_hourly() -> None:
    """What Cloud Scheduler does in production: fold the report's quiet rollup shards."""
    url = f"http://127.0.0.1:{FUNCTION_PORTS['reports']}/rollups/fold"
    headers = {"X-Helpdesk-Timer-Secret": DEV_FUNCTION_ENV["HELPDESK_TIMER_SECRET"]}
    while True:
        time.sleep(3600)
        try:
            requests.post(url, headers=headers, timeout=120)
        except requests.RequestException:
            continue  # the next hour, as the scheduler would retry


def start_digests_daily() -> None:
    """What Cloud Scheduler does each day in production: plan the day's digests (each sent at
    the start of its person's first working interval; `python -m tools.digest` sends now)."""
    url = f"http://127.0.0.1:{FUNCTION_PORTS['digest']}/start"
    headers = {"X-Helpdesk-Timer-Secret": DEV_FUNCTION_ENV["HELPDESK_TIMER_SECRET"]}
    while True:
        with contextlib.suppress(requests.RequestException):  # tomorrow, as the scheduler
            requests.post(url, headers=headers, timeout=120)
        time.sleep(24 * 3600)


def print_urls(stack: Stack) -> None:
    env = stack.env()
    intake_url = f"http://127.0.0.1:{FUNCTION_PORTS['intake']}/"
    print(
        f"""
Help desk running (project {stack.project}); Ctrl-C stops everything.
  intake function   http://127.0.0.1:{FUNCTION_PORTS["intake"]}/
  pages             http://127.0.0.1:{FUNCTION_PORTS["pages"]}/t/...  (the links in the e-mails)
  media             http://127.0.0.1:{FUNCTION_PORTS["media"]}/uploads  (evidence uploads)
  assets            http://127.0.0.1:{FUNCTION_PORTS["assets"]}/assets/CNC-01/figures  (manager key)
  reports           http://127.0.0.1:{FUNCTION_PORTS["reports"]}/sla  (PDF; manager key)
  out_of_sla        http://127.0.0.1:{FUNCTION_PORTS["out_of_sla"]}/
                    (manager key: X-Helpdesk-Key: {DEV_MANAGER_KEY})
  sla_timer         http://127.0.0.1:{FUNCTION_PORTS["sla_timer"]}/  (called by Cloud Tasks)
  sla_scheduler     http://127.0.0.1:{FUNCTION_PORTS["sla_scheduler"]}/  (fed by the event bridge)
  notifications     http://127.0.0.1:{FUNCTION_PORTS["notifications"]}/  (fed by the event bridge)
  mail inbox        {env["HELPDESK_MAIL_INBOX_URL"]}  (SMTP on 127.0.0.1:{stack.ports.smtp})
  help desk mailbox {DEV_FUNCTION_ENV["HELPDESK_MAILBOX"]}: SMTP on 127.0.0.1:{INBOUND_SMTP_PORT}
                    (Gmail's watch -> Pub/Sub {env["PUBSUB_EMULATOR_HOST"]} -> mailbox function)
  mailbox           http://127.0.0.1:{FUNCTION_PORTS["mailbox"]}/  (pushed by Pub/Sub)
  mailbox_watch     http://127.0.0.1:{FUNCTION_PORTS["mailbox_watch"]}/  (Cloud Scheduler, daily)
  console           http://127.0.0.1:{FUNCTION_PORTS["console"]}/  (managers and department heads;
                    sign in as ricardo.almeida@metalvale.com.br at the stand-in issuer)
  digest            http://127.0.0.1:{FUNCTION_PORTS["digest"]}/start  (Cloud Scheduler, daily)
                    a digest now: .venv/bin/python -m tools.digest carlos.mendes@metalvale.com.br
  Firestore         {env["FIRESTORE_EMULATOR_HOST"]}  (FIRESTORE_EMULATOR_HOST)
  Cloud Storage     {env["STORAGE_EMULATOR_HOST"]}  (bucket {stack.bucket})
  Cloud Tasks       {env["HELPDESK_TASKS_EMULATOR_HOST"]}

Open a ticket (signed like the Google Form does):
  .venv/bin/python -m tools.sign_request {intake_url} examples/incident.json
See it in the emulator:
  .venv/bin/python -m tools.show_tickets
Reply by e-mail to the newest message someone received, with a photo:
  .venv/bin/python -m tools.reply --to lucas.oliveira@metalvale.com.br --attach examples/painel.jpg
""",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
