"""Helpers for timer tests: an injected clock, a recording queue, tickets opened at an instant.

Policy inc-sistema-fora on the office calendar (Mon-Fri 08-12 and 13-17:48, São Paulo):
respond within 30 min, resolve within 4 h, warn at 50% and 75%, escalate 1 h after the
first missed deadline to the responsible's manager.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.config import Config
from shared.domain.report_share import Rollup
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.orgconfig import read_organisation
from shared.repositories.tickets import FirestoreTickets
from shared.timers.payload import TimerPayload
from shared.timers.service import fire

SP = ZoneInfo("America/Sao_Paulo")
ORG = read_organisation(Path(__file__).resolve().parents[2] / "config" / "demo-organisation.yaml")


def sp(day, hour, minute=0, second=0):
    month = 11 if day > 7 else 12
    return datetime(2026, month, day, hour, minute, second, tzinfo=SP).astimezone(UTC)


class RecordingQueue:
    def __init__(self):
        self.tasks: list[tuple[str, TimerPayload, datetime]] = []

    def enqueue(self, name, body, at):
        self.tasks.append((name, TimerPayload.decode(body), at))

    def due(self) -> dict[str, datetime]:
        return {payload.milestone: at for _, payload, at in self.tasks}


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def open_system_incident(world, at, org_directory=None, policy="inc-sistema-fora", fields=None):
    _db, directory, tickets, _ = world
    submission = Submission.model_validate(
        {
            "submission_id": f"{policy}-{at.isoformat()}",
            "source": "api",
            "type": "incident" if policy.startswith("inc") else "request",
            "policy": policy,
            "title": "ERP fora do ar",
            "requester": {"email": "paulo.ribeiro@metalvale.com.br"},
            "fields": fields or {"sistema": "ERP-PROTHEUS"},
        }
    )
    ticket, _ = open_ticket(
        submission,
        "api",
        directory=org_directory or directory,
        tickets=tickets,
        config=Config(),
        now=lambda: at,
    )
    return ticket


def fire_at(world, payload, moment, directory=None):
    db, default_directory, _, queue = world
    directory = directory or default_directory
    tickets = tickets_of(db, directory)
    return fire(payload, tickets=tickets, directory=directory, queue=queue, now=lambda: moment)


def tickets_of(db, directory) -> FirestoreTickets:
    """The tickets' store as a function builds it for this directory."""
    return FirestoreTickets(db, Rollup(directory))
