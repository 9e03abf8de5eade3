"""The help desk's mailbox under `make dev`, standing for Gmail and its watch:

- an inbound SMTP server (aiosmtpd) that takes mail for the help desk's address (with or
  without a reply token, and its aliases), stores it in the local mailbox folder
  (shared/mail/local_mailbox.py) and publishes `{"emailAddress", "historyId"}` to the Pub/Sub
  emulator's topic, exactly as Gmail's `users.watch` does;
- the push endpoint of the topic's subscription, which hands each pushed message to the
  mailbox function as the CloudEvent Eventarc would make of it, and answers with the
  function's status (so the emulator redelivers what failed).

    python -m tools.dev_mailbox
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from cloudevents.conversion import to_binary

from shared.mail.local_mailbox import LocalMailbox
from tools.pubsub import PubSubEmulator, to_cloud_event

TOPIC = "helpdesk-mailbox"
SUBSCRIPTION = "helpdesk-mailbox-push"


class InboundSmtp:
    """Takes mail for the mailbox's domain; anything else is refused as no such user."""

    def __init__(self, mailbox: LocalMailbox, publish, domains: set[str]) -> None:
        self.mailbox, self.publish, self.domains = mailbox, publish, domains

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.rpartition("@")[2].lower() not in self.domains:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        delivered = f"Delivered-To: {envelope.rcpt_tos[0]}\r\n".encode()
        history_id = self.mailbox.deliver(delivered + raw)
        self.publish({"emailAddress": self.mailbox.address, "historyId": int(history_id)})
        return "250 Message accepted"


def push_handler(project: str, target: str):
    class Push(BaseHTTPRequestHandler):
        def do_POST(self):

            length = int(self.headers.get("Content-Length") or 0)
            pushed = json.loads(self.rfile.read(length) or b"{}")
            headers, body = to_binary(to_cloud_event(project, TOPIC, pushed))
            try:
                answer = requests.post(target, headers=headers, data=body, timeout=120)
                status = answer.status_code
            except requests.RequestException:
                status = 503
            self.send_response(204 if status < 300 else 503)
            self.end_headers()

        def log_message(self, *args):  # the function logs what matters
            return

    return Push


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    smtp_port = int(os.environ.get("HELPDESK_INBOUND_SMTP_PORT", 2525))
    parser.add_argument("--smtp-port", type=int, default=smtp_port)
    parser.add_argument("--push-port", type=int, default=8711)
    parser.add_argument("--target", default="http://127.0.0.1:8710/")
    args = parser.parse_args()
    project = os.environ["GOOGLE_CLOUD_PROJECT"]
    address = os.environ["HELPDESK_MAILBOX"]
    pubsub = PubSubEmulator(os.environ["PUBSUB_EMULATOR_HOST"], project)
    pubsub.topic(TOPIC)
    push_url = f"http://127.0.0.1:{args.push_port}/"
    pubsub.subscription(SUBSCRIPTION, TOPIC, push_url)
    server = ThreadingHTTPServer(("127.0.0.1", args.push_port), push_handler(project, args.target))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mailbox = LocalMailbox(Path(os.environ["HELPDESK_LOCAL_MAILBOX_DIR"]), address)
    domains = {address.rpartition("@")[2].lower()}
    handler = InboundSmtp(mailbox, lambda payload: pubsub.publish(TOPIC, payload), domains)
    controller = Controller(handler, hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    print(f"mailbox: SMTP on 127.0.0.1:{args.smtp_port} for {address}; push on {push_url}")
    threading.Event().wait()


if __name__ == "__main__":
    main()
