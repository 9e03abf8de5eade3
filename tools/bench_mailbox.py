"""The mailbox benchmark: a reply's way from the mailbox to its ticket, beside a bare Pub/Sub
publish-to-push on the same emulator, and a burst of 100 replies applied once each.

The path is `make dev`'s: the reply is sent by SMTP to the local mailbox (tools/dev_mailbox.py),
which stores it and publishes Gmail's notification to the Pub/Sub emulator; the subscription
pushes it, as a CloudEvent, to the mailbox function (functions-framework, its own process),
which lists the history, applies the reply through the core service and writes the ticket's
event. The time runs from the SMTP server's acceptance of the reply to that event in Firestore.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tools.stack import ROOT, free_port, port_in_use

MAILBOX = "central@metalvale.com.br"
REQUESTER = "lucas.oliveira@metalvale.com.br"


def bench_mailbox(rounds: int = 20, burst: int = 100) -> dict:
    from google.cloud import firestore

    from tools.bench_start import _env, _load_organisation, _serve

    _load_organisation()
    db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    folder = Path(tempfile.mkdtemp(prefix="bench-mailbox-"))
    env = {**_env(), "HELPDESK_MAILBOX": MAILBOX, "HELPDESK_LOCAL_MAILBOX_DIR": str(folder)}
    function, smtp, push = free_port(), free_port(), free_port()
    processes = [_serve(ROOT / "functions" / "mailbox.py", "mailbox", function, env)]
    processes.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tools.dev_mailbox",
                f"--smtp-port={smtp}",
                f"--push-port={push}",
                f"--target=http://127.0.0.1:{function}/",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    )
    try:
        while not all(port_in_use(port) for port in (function, smtp, push)):
            time.sleep(0.05)
        db.document("mailbox/state").set({"history_id": "0"})  # the watch, before any mail
        tickets = _tickets(db, rounds + burst)
        latencies = [_reply_latency(db, smtp, tickets[i]) for i in range(rounds)]
        burst_figures = _burst(db, smtp, tickets[rounds:])
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
    bare = _bare_push(rounds)
    return {
        "mail_reply_p50_s": statistics.median(latencies),
        "mail_reply_max_s": max(latencies),
        "pubsub_push_p50_s": statistics.median(bare),
        **burst_figures,
    }


def _tickets(db, count: int) -> list[str]:
    """Open tickets as intake does (the requester's own), in one process."""
    from shared.bootstrap import services
    from shared.intake.schema import Submission
    from shared.intake.service import open_ticket

    services.cache_clear()
    base = services()
    found = []
    run = uuid.uuid4().hex[:8]
    for index in range(count):
        submission = Submission.model_validate(
            {
                "submission_id": f"bench-mail-{run}-{index}",
                "source": "api",
                "type": "incident",
                "policy": "inc-degradacao",
                "title": "Robô de solda com cordão irregular",
                "requester": {"email": REQUESTER},
                "asset": "ROBO-SOLDA-01",
                "fields": {"maquina": "ROBO-SOLDA-01", "sintoma": "cordão irregular"},
            }
        )
        ticket, _ = open_ticket(
            submission,
            "api",
            directory=base.directory,
            tickets=base.tickets,
            config=base.config,
            now=base.now,
        )
        found.append(ticket.id)
    return found


def _reply(ticket_id: str, text: str) -> EmailMessage:
    from shared.mail.reply_address import ReplyAddresses

    address = ReplyAddresses(os.environ["HELPDESK_LINK_SECRET"], MAILBOX)
    message = EmailMessage()
    message["From"] = f"Lucas Oliveira <{REQUESTER}>"
    message["To"] = address.address(ticket_id, "requester", REQUESTER)
    message["Subject"] = "Re: [INC] Robô de solda"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@metalvale.com.br>"
    message.set_content(f"{text}\n\nEm ter., 1 de dez., Central escreveu:\n> ...\n")
    return message


def _send(port: int, message: EmailMessage) -> float:
    import smtplib

    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(message)
    return time.perf_counter()


def _added(db, ticket_id: str) -> int:
    from google.cloud.firestore_v1.base_query import FieldFilter

    query = (
        db.collection("ticket_events")
        .where(filter=FieldFilter("ticket_id", "==", ticket_id))
        .where(filter=FieldFilter("type", "==", "information_added"))
    )
    return len(list(query.stream()))


def _reply_latency(db, port: int, ticket_id: str, timeout: float = 60) -> float:
    arrived = _send(port, _reply(ticket_id, "A solda voltou a falhar."))
    while _added(db, ticket_id) == 0:
        if time.perf_counter() - arrived > timeout:
            raise SystemExit("a reply did not reach its ticket within a minute")
        time.sleep(0.02)
    return time.perf_counter() - arrived


def _burst(db, port: int, tickets: list[str], timeout: float = 300) -> dict:
    """Every reply at once (ten SMTP clients), then each ticket's information counted."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda t: _send(port, _reply(t, "Rajada: a linha parou.")), tickets))
    while True:
        counts = [_added(db, ticket_id) for ticket_id in tickets]
        if all(counts) or time.perf_counter() - started > timeout:
            break
        time.sleep(0.5)
    return {
        "mail_burst": len(tickets),
        "mail_burst_applied_once": sum(1 for c in counts if c == 1),
        "mail_burst_applied_twice": sum(1 for c in counts if c > 1),
        "mail_burst_s": time.perf_counter() - started,
    }


def _bare_push(rounds: int) -> list[float]:
    """Publish to a topic whose subscription pushes to a bare HTTP server: each message's time
    from the publish call to its arrival."""
    from tools.pubsub import PubSubEmulator

    arrivals: dict[str, float] = {}
    arrived = threading.Event()

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            key = json.loads(base64.b64decode(body["message"]["data"]))["key"]
            arrivals[key] = time.perf_counter()
            arrived.set()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            return

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pubsub = PubSubEmulator(os.environ["PUBSUB_EMULATOR_HOST"], os.environ["GOOGLE_CLOUD_PROJECT"])
    topic = f"bench-bare-{uuid.uuid4().hex[:6]}"
    pubsub.topic(topic)
    pubsub.subscription(topic + "-push", topic, f"http://127.0.0.1:{port}/")
    found = []
    try:
        for index in range(rounds):
            key = f"m{index}"
            arrived.clear()
            sent = time.perf_counter()
            pubsub.publish(topic, {"key": key})
            while key not in arrivals:
                arrived.wait(30)
                if time.perf_counter() - sent > 30:
                    raise SystemExit("the Pub/Sub emulator pushed nothing within 30 s")
            found.append(arrivals[key] - sent)
    finally:
        server.shutdown()
    return found


def summary(f: dict) -> str:
    return (
        f"\nReply by e-mail, mailbox to ticket event: p50 {f['mail_reply_p50_s']:.2f} s"
        f" (max {f['mail_reply_max_s']:.2f} s)"
        f" = {f['mail_reply_p50_s'] / f['pubsub_push_p50_s']:.1f}x a bare Pub/Sub"
        f" publish-to-push ({f['pubsub_push_p50_s']:.3f} s)   (goal: p50 within 3 s)"
        f"\n  a burst of {f['mail_burst']} replies: {f['mail_burst_applied_once']} applied once,"
        f" {f['mail_burst_applied_twice']} more than once, all in {f['mail_burst_s']:.1f} s"
    )
