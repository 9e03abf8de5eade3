"""A plant-wide stop: 200 people report at once, across four intake instances, with the event
bridge delivering every event to the notification and scheduler functions.

No request fails (a 503 only with Retry-After, and accepted when sent again), each submission
is one ticket however often it arrives, no number is burned by a duplicate, and the e-mails of
all 200 tickets are in the inbox within 60 seconds of the last answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict

import pytest
import requests

from tests.integration.conftest import incident, signed_headers
from tools.dev import function_command
from tools.stack import ROOT, free_port, port_in_use

pytestmark = pytest.mark.xdist_group("burst")  # heavy: not beside another heavy test

TICKETS = 200
COPIES = 20  # submissions also sent a second time, at once with the first


@pytest.fixture
def burst_stack(notifications_env, demo_org, paused_queue):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HELPDESK_LOG_LEVEL": "WARNING"}
    ports = {f"intake{index}": free_port() for index in range(4)}
    ports |= {"notifications": free_port(), "sla_scheduler": free_port()}
    processes = [
        subprocess.Popen(
            function_command(name.rstrip("0123456789"), port),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, port in ports.items()
    ]
    deadline = time.monotonic() + 60
    while not all(port_in_use(port) for port in ports.values()):
        assert time.monotonic() < deadline, "the functions did not start"
        time.sleep(0.1)
    targets = [f"http://127.0.0.1:{ports[name]}/" for name in ("notifications", "sla_scheduler")]
    bridge = subprocess.Popen(
        [sys.executable, "-m", "tools.event_bridge", *targets],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    processes.append(bridge)
    assert bridge.stdout.readline().startswith("event_bridge:")  # listening
    yield [f"http://127.0.0.1:{ports[f'intake{index}']}/" for index in range(4)]
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_a_burst_of_200_reports_across_four_instances(burst_stack, smtp_inbox):
    run = time.time_ns()
    keys = [f"burst-{run}-{index}" for index in range(TICKETS)]
    sends = keys + keys[:COPIES]
    answers: dict[int, list[tuple[int, dict, dict]]] = defaultdict(list)
    gate = threading.Barrier(len(sends))

    def report(index: int) -> None:
        payload = incident(submission_id=sends[index], title=f"Parada geral {index % TICKETS}")
        body = json.dumps(payload).encode()
        url = burst_stack[index % 4]
        gate.wait()
        for _ in range(20):
            answer = requests.post(url, data=body, headers=signed_headers(body), timeout=60)
            answers[index].append((answer.status_code, dict(answer.headers), _json(answer)))
            if answer.status_code != 503:
                break
            time.sleep(float(answer.headers["Retry-After"]) / 5)  # sooner, to keep the test short

    threads = [threading.Thread(target=report, args=(i,)) for i in range(len(sends))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    finished = time.monotonic()

    statuses = [status for tries in answers.values() for status, _, _ in tries]
    assert all(status in (200, 201, 503) for status in statuses), sorted(set(statuses))
    for tries in answers.values():
        for status, headers, _ in tries:
            if status == 503:
                assert headers.get("Retry-After"), "a 503 says when to retry"
    final = {index: tries[-1] for index, tries in answers.items()}
    assert all(status in (200, 201) for status, _, _ in final.values()), "all accepted at last"
    numbers: dict[str, set[str]] = defaultdict(set)
    ids: dict[str, set[str]] = defaultdict(set)
    for index, (_, _, ticket) in final.items():
        numbers[sends[index]].add(ticket["number"])
        ids[sends[index]].add(ticket["id"])
    assert all(len(found) == 1 for found in ids.values()), "one ticket per submission"
    assert all(len(found) == 1 for found in numbers.values())
    drawn = sorted(int(number.split("-")[1]) for (number,) in numbers.values())
    assert drawn == list(range(drawn[0], drawn[0] + TICKETS)), "no number burned"

    wanted = {number for (number,) in numbers.values()}
    while time.monotonic() < finished + 60:
        told = defaultdict(int)
        for message in list(smtp_inbox.messages):
            told[message["Subject"][1:].split("]")[0]] += 1
        if all(told[number] >= 2 for number in wanted):  # the requester and the responsible
            break
        time.sleep(0.5)
    print(
        f"burst: {len(sends)} requests, {statuses.count(503)} answered 503 first,"
        f" all accepted in {finished - started:.1f} s; e-mails of all {TICKETS} tickets"
        f" {time.monotonic() - finished:.1f} s after"
    )
    missing = sorted(number for number in wanted if told[number] < 2)
    assert not missing, f"{len(missing)} tickets without both e-mails after 60 s"


def _json(answer: requests.Response) -> dict:
    try:
        return answer.json()
    except ValueError:
        return {}
