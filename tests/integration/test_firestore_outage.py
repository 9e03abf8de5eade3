"""Firestore goes away in the middle of a burst of submissions, then comes back.

Intake runs as a real server whose Firestore connection goes through a TCP proxy this test
can cut (`tools/flaky_proxy.py`; the workers share one emulator, which cannot be stopped
under them). While it is cut, intake answers 503 with Retry-After, never 500; the senders
retry those; in the end every submission is exactly one complete ticket (the ticket and its
first events), with no event left without its ticket.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time

import pytest
import requests
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.intake.auth import sign
from tests.integration.conftest import FORMS_SECRET, incident
from tools.dev import function_command
from tools.flaky_proxy import FlakyProxy
from tools.stack import ROOT, start_server


@contextlib.contextmanager
def served_through_proxy(function: str):
    """The function as a real server whose Firestore connection goes through a proxy this
    test can cut; its calls give up after 2 s. Yields its address and the proxy."""
    port = int(os.environ["FIRESTORE_EMULATOR_HOST"].rsplit(":", 1)[1])
    proxy = FlakyProxy(port).start()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HELPDESK_LOG_LEVEL": "WARNING",
        "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{proxy.port}",
        "HELPDESK_FIRESTORE_DEADLINE_SECONDS": "2",
    }
    process, served = start_server(lambda p: function_command(function, p), env, ROOT)
    try:
        yield f"http://127.0.0.1:{served}/", proxy
    finally:
        process.terminate()
        process.wait(timeout=10)
        proxy.stop()


@pytest.fixture
def intake_behind_proxy(function_env, demo_org):
    with served_through_proxy("intake") as served:
        yield served


def submit(url: str, index: int) -> requests.Response:
    body = json.dumps(incident(submission_id=f"outage-{index}")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time())),
    }
    return requests.post(url, data=body, headers=headers, timeout=60)


def test_intake_answers_503_while_firestore_is_away_and_loses_nothing(intake_behind_proxy, db):
    url, proxy = intake_behind_proxy
    assert submit(url, 0).status_code == 201  # warm: the directory is cached
    statuses: dict[int, int] = {}

    def sender(index: int) -> None:
        statuses[index] = submit(url, index).status_code

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(1, 31)]
    for number, thread in enumerate(threads):
        thread.start()
        if number == 8:
            proxy.down()
        time.sleep(0.05)
    time.sleep(3)  # longer than intake's deadline: the last ones must give up
    proxy.up()
    for thread in threads:
        thread.join()
    assert set(statuses.values()) <= {201, 503}, statuses  # never a 500
    assert 503 in statuses.values()
    for index, status in statuses.items():  # the senders retry what was refused, later
        deadline = time.monotonic() + 30
        while status == 503 and time.monotonic() < deadline:
            time.sleep(1)  # the answer says Retry-After: 5; the connection recovers sooner
            status = submit(url, index).status_code
        assert status in (200, 201), (index, status)
    tickets = {doc.id: doc.to_dict() for doc in db.collection("tickets").stream()}
    assert len(tickets) == 31
    numbers = [ticket["number"] for ticket in tickets.values()]
    assert len(set(numbers)) == 31
    for ticket_id in tickets:
        events = db.collection("ticket_events").where(
            filter=FieldFilter("ticket_id", "==", ticket_id)
        )
        assert sorted(e.to_dict()["type"] for e in events.stream()) == ["assigned", "created"]
    orphans = [
        doc.id
        for doc in db.collection("ticket_events").stream()
        if doc.to_dict()["ticket_id"] not in tickets
    ]
    assert orphans == []


def test_a_ticket_page_answers_a_503_page_while_firestore_is_away(notifications_env, demo_org):
    """The pages behind the e-mailed links, served as a real function whose Firestore goes
    through the proxy: while it is cut, a page in the browser's language saying to try again,
    with Retry-After, never a 500; then the ticket again."""
    from shared.bootstrap import services
    from shared.links import LinkSigner
    from tests.integration.conftest import make_client, post_ticket

    ticket = post_ticket(make_client("intake"), incident()).json
    config = services().config
    link = LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl).token(
        ticket["id"], ticket["requester"]["email"], "requester"
    )
    with served_through_proxy("pages") as (url, proxy):
        page = f"{url}t/{link}"
        assert requests.get(page, timeout=30).status_code == 200
        proxy.down()
        away = requests.get(page, headers={"Accept-Language": "pt-BR"}, timeout=60)
        assert away.status_code == 503
        assert away.headers["Retry-After"] == "5"
        assert away.headers["Content-Type"].startswith("text/html")
        assert "indisponível por um instante" in away.text
        proxy.up()
        deadline = time.monotonic() + 30
        while (answer := requests.get(page, timeout=30)).status_code == 503:
            assert time.monotonic() < deadline, "the page did not come back"
            time.sleep(1)
        assert answer.status_code == 200
