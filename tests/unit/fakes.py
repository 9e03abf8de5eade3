"""In-memory fakes of the ports the use cases declare (tickets, uploads, queue, deliveries,
mail), with the demo organisation as the directory: the use cases run without Firestore."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from shared.config import Config
from shared.domain.change import Change, Decide, changed
from shared.domain.ticket import Evidence, Ticket, TicketEvent
from shared.errors import ClaimedElsewhere
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.mail import OutgoingMail, TransientMailError
from shared.orgconfig import read_organisation
from shared.repositories.deliveries import Outcome
from shared.repositories.directory import StaticDirectory
from shared.timers.payload import TimerPayload

ORG = read_organisation(Path(__file__).resolve().parents[2] / "config" / "demo-organisation.yaml")
# Monday 30 November 2026, 10:00 in São Paulo.
NOW = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
REQUESTER = "mariana.rocha@metalvale.com.br"


class InMemoryTickets:
    """Tickets and their events; `apply` decides again when a change won the race, as the
    guarded write does (`race` runs once, between the read and the write, to make one)."""

    def __init__(self) -> None:
        self.stored: dict[str, Ticket] = {}
        self.log: dict[str, list[TicketEvent]] = {}
        self.race: Decide | None = None
        self.writes = 0

    def get(self, ticket_id: str) -> Ticket | None:
        return self.stored.get(ticket_id)

    def prepare(self) -> None:
        pass

    def create(self, ticket: Ticket, events: list[TicketEvent]) -> tuple[Ticket, bool]:
        if ticket.id in self.stored:
            return self.stored[ticket.id], False
        ticket = ticket.model_copy(update={"number": f"INC-{len(self.stored) + 1:06d}"})
        self.stored[ticket.id], self.log[ticket.id] = ticket, list(events)
        return ticket, True

    def events(self, ticket_id: str) -> list[TicketEvent]:
        return self.log[ticket_id]

    def apply(
        self, ticket_id: str, decide: Decide, now: datetime
    ) -> tuple[Ticket | None, Change | None]:
        for _ in range(8):
            ticket = self.stored.get(ticket_id)
            if ticket is None:
                return None, None
            change = decide(ticket)
            if change is None:
                return ticket, None
            if self.race is not None:  # another change lands first: this write fails
                race, self.race = self.race, None
                self._write(ticket, race(ticket), now)
                continue
            self._write(ticket, change, now)
            return ticket, change
        raise AssertionError("the ticket kept changing")

    def _write(self, ticket: Ticket, change: Change | None, now: datetime) -> None:
        if change is None:
            return
        seq = ticket.event_count
        for kind, actor, data in change.events:
            seq += 1
            self.log[ticket.id].append(
                TicketEvent(seq=seq, type=kind, at=now, actor=actor, data=data)
            )
        updates = {**change.updates, "event_count": seq, "updated_at": now}
        self.stored[ticket.id] = changed(ticket, updates)
        self.writes += 1


class InMemoryUploads:
    """Uploads that passed their checks, per ticket."""

    def __init__(self) -> None:
        self.accepted_for: dict[str, dict[str, Evidence]] = {}

    def accept(self, ticket_id: str, upload_id: str, filename: str = "foto.jpg") -> None:
        evidence = Evidence(
            object_name=f"tickets/{ticket_id}/{upload_id}/{filename}",
            filename=filename,
            content_type="image/jpeg",
            size=1000,
        )
        self.accepted_for.setdefault(ticket_id, {})[upload_id] = evidence

    def accepted(self, ticket_id: str, upload_ids: list[str]) -> list[tuple[str, Evidence]]:
        mine = self.accepted_for.get(ticket_id, {})
        return [(item, mine[item]) for item in upload_ids if item in mine]


class RecordingQueue:
    def __init__(self) -> None:
        self.tasks: list[tuple[str, TimerPayload, datetime]] = []

    def enqueue(self, name: str, body: bytes, at: datetime) -> None:
        self.tasks.append((name, TimerPayload.decode(body), at))


class InMemoryDeliveries:
    """One message per (event, recipient), however often a delivery runs."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Outcome] = {}
        self.busy: set[str] = set()  # recipients another instance is mailing right now

    def deliver(self, event: str, mail: OutgoingMail, mailer) -> Outcome:
        if mail.to in self.busy:
            raise ClaimedElsewhere(mail.to)
        if (event, mail.to) in self.records:
            return Outcome.ALREADY_SENT
        mailer.send(mail)
        self.records[(event, mail.to)] = Outcome.SENT
        return Outcome.SENT

    def refuse(self, event: str, recipient: str, error: str) -> Outcome:
        self.records[(event, recipient)] = Outcome.FAILED
        return Outcome.FAILED


class RecordingMailer:
    name = "memory"

    def __init__(self, down_for: frozenset[str] = frozenset()) -> None:
        self.sent: list[OutgoingMail] = []
        self.down_for = set(down_for)

    def send(self, mail: OutgoingMail) -> str:
        if mail.to in self.down_for:
            raise TransientMailError("the relay is busy")
        self.sent.append(mail)
        return f"id-{len(self.sent)}"

    def already_sent(self, mail: OutgoingMail) -> bool:
        return False


def directory() -> StaticDirectory:
    return StaticDirectory(ORG)


def opened(tickets: InMemoryTickets, policy: str = "inc-linha-parada", **raw) -> Ticket:
    """A ticket opened through the intake use case, as a Google Form would."""
    submission = Submission.model_validate(
        {
            "submission_id": raw.pop("submission_id", f"{policy}-1"),
            "source": "google-forms",
            "type": "incident" if policy.startswith("inc") else "request",
            "policy": policy,
            "title": "CNC-01 parou com alarme de spindle",
            "requester": {"email": raw.pop("requester", REQUESTER)},
            "asset": "CNC-01",
            "fields": {
                "linha": "usinagem-1",
                "maquina": "CNC-01",
                "sintoma": "Ruído no fuso",
                "pecas_em_risco": 10,
            },
            **raw,
        }
    )
    ticket, _ = open_ticket(
        submission,
        "google-forms",
        directory=directory(),
        tickets=tickets,
        config=Config(),
        now=lambda: NOW,
    )
    return ticket
