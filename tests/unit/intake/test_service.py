"""The intake use case with the demo organisation in memory and a fake ticket store."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.config import Config
from shared.errors import BadRequest
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.orgconfig import read_organisation
from shared.repositories.directory import StaticDirectory

ORG = read_organisation(Path(__file__).resolve().parents[3] / "config" / "demo-organisation.yaml")
# Monday 30 November 2026, 10:00 in São Paulo.
NOW = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)


class FakeTickets:
    def __init__(self):
        self.stored, self.events, self.last = {}, {}, 0

    def get(self, ticket_id):
        return self.stored.get(ticket_id)

    def prepare(self):
        pass

    def create(self, ticket, events):
        if ticket.id in self.stored:
            return self.stored[ticket.id], False
        self.last += 1
        ticket = ticket.model_copy(
            update={"number": f"{ticket.type.number_prefix}-{self.last:06d}"}
        )
        self.stored[ticket.id], self.events[ticket.id] = ticket, events
        return ticket, True


def submission(**overrides) -> Submission:
    raw = {
        "submission_id": "1",
        "source": "google-forms",
        "type": "incident",
        "policy": "inc-degradacao",
        "title": "Robô de solda com falhas",
        "requester": {"email": "mariana.rocha@metalvale.com.br"},
        "fields": {"maquina": "ROBO-SOLDA-01", "sintoma": "Cordão irregular"},
    }
    raw.update(overrides)
    return Submission.model_validate(raw)


def run(sub, tickets=None, org=ORG, now=NOW):
    return open_ticket(
        sub,
        "google-forms",
        directory=StaticDirectory(org),
        tickets=tickets or FakeTickets(),
        config=Config(),
        now=lambda: now,
    )


def test_deadlines_follow_the_policy_calendar():
    ticket, created = run(submission())
    assert created
    # 30 min to respond and 8 h to resolve in the three-shift factory calendar.
    assert ticket.response_due == NOW + timedelta(minutes=30)
    assert ticket.resolution_due == NOW + timedelta(hours=8)


def test_an_asset_responsible_outside_the_policy_department_is_not_chosen():
    # CNC-01's responsible works in mechanical maintenance; this policy is electrical.
    ticket, _ = run(submission(fields={"maquina": "CNC-01", "sintoma": "Queda de tensão"}))
    assert ticket.responsible.email == "diego.martinez@metalvale.com.br"
    ticket, _ = run(submission())
    assert ticket.responsible.email == "diego.martinez@metalvale.com.br"


def test_the_first_events_say_who_was_assigned_and_why():
    tickets = FakeTickets()
    ticket, _ = run(
        submission(
            policy="inc-linha-parada",
            fields={"linha": "estamparia-1", "maquina": "PRENSA-01", "sintoma": "Travou"},
        ),
        tickets,
    )
    created, assigned = tickets.events[ticket.id]
    assert (created.type, assigned.type) == ("created", "assigned")
    assert created.actor == "mariana.rocha@metalvale.com.br"
    assert assigned.data == {
        "responsible": "rafael.santos@metalvale.com.br",
        "reason": "asset_responsible",
        "department": "manutencao-mecanica",
    }


def test_a_submission_at_night_starts_its_office_clock_in_the_morning():
    night = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)  # Monday 22:30 in São Paulo
    sub = submission(policy="inc-sistema-fora", fields={"sistema": "ERP-PROTHEUS"})
    ticket, _ = run(sub, now=night)
    assert ticket.clock_started_at == night
    # Office opens Tuesday 08:00 (-03:00): 30 minutes later.
    assert ticket.response_due == datetime(2026, 12, 1, 11, 30, tzinfo=UTC)


def test_a_resent_submission_is_still_answered_after_its_policy_was_withdrawn():
    tickets = FakeTickets()
    first, _ = run(submission(), tickets)
    withdrawn = ORG.model_copy(
        update={"policies": [p for p in ORG.policies if p.id != "inc-degradacao"]}
    )
    again, created = run(submission(), tickets, org=withdrawn)
    assert (again.id, created) == (first.id, False)
    with pytest.raises(BadRequest):
        run(submission(submission_id="2"), tickets, org=withdrawn)


def test_an_inactive_requester_is_refused():
    people = [
        p.model_copy(update={"active": False}) if p.email.startswith("mariana") else p
        for p in ORG.people
    ]
    with pytest.raises(BadRequest) as refused:
        run(submission(), org=ORG.model_copy(update={"people": people}))
    assert refused.value.details[0]["field"] == "requester.email"
