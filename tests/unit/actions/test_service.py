"""Acting on a ticket through the one service every channel uses, against in-memory fakes of
its ports: each use case, the roles, the idempotency key, the guarded write, the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.actions.ports import Context
from shared.actions.service import Actor, Command, Outcome, TicketActions
from shared.config import Config
from shared.domain.change import Change
from shared.domain.ticket import EventType, Status
from shared.errors import InvalidInput, NotAllowedNow, NotPermitted, TooOften, UnknownAction
from shared.repositories.directory import StaticDirectory
from tests.unit.fakes import NOW, ORG, REQUESTER, InMemoryTickets, InMemoryUploads, opened

HEAD = "carlos.mendes@metalvale.com.br"  # heads the responsible department (mechanical)
OTHER_HEAD = "patricia.lima@metalvale.com.br"  # a manager of another department
COLLEAGUE = "rafael.santos@metalvale.com.br"


class World:
    def __init__(self, org=ORG) -> None:
        self.tickets, self.uploads = InMemoryTickets(), InMemoryUploads()
        self.now = NOW
        self.directory = StaticDirectory(org)
        context = Context(Config(), self.directory, self.uploads)
        self.service = TicketActions(self.tickets, context, lambda: self.now)
        self.ticket = opened(self.tickets)
        self.responsible = self.ticket.responsible.email
        self.keys = 0

    def act(self, email: str, role: str, action: str, key: str | None = None, **fields) -> Outcome:
        self.keys += 1
        actor = Actor(email, role)
        command = Command(self.ticket.id, actor, action, key or f"k{self.keys}", fields)
        return self.service.act(command)

    def later(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @property
    def current(self):
        return self.tickets.get(self.ticket.id)

    def kinds(self) -> list[str]:
        return [event.type for event in self.tickets.events(self.ticket.id)]


@pytest.fixture
def world() -> World:
    return World()


def test_a_ticket_worked_from_report_to_rating(world):
    world.act(world.responsible, "responsible", "acknowledge")
    assert world.current.status == Status.IN_PROGRESS
    assert world.current.responded_at == NOW
    world.act(REQUESTER, "requester", "status-request", note="Alguma previsão?")
    assert world.current.status_request_pending
    world.later(5)
    world.act(world.responsible, "responsible", "status", text="Peça a caminho.")
    assert not world.current.status_request_pending
    world.later(5)
    world.act(world.responsible, "responsible", "wait", text="Qual o número do alarme?")
    assert world.current.status == Status.WAITING_ON_REQUESTER
    world.later(30)
    world.act(REQUESTER, "requester", "information", text="Alarme 2001.")
    assert world.current.status == Status.IN_PROGRESS  # the answer starts the clock again
    assert world.current.pauses[-1].end == world.now
    world.later(30)
    world.act(world.responsible, "responsible", "resolve", text="Rolamento trocado.")
    assert world.current.status == Status.RESOLVED
    world.act(REQUESTER, "requester", "confirm")
    world.act(REQUESTER, "requester", "rate", score="5", comment="Rápido.")
    assert world.current.status == Status.CLOSED
    assert world.current.rating.score == 5
    assert world.kinds()[2:] == [
        EventType.ACKNOWLEDGED,
        EventType.STATUS_REQUESTED,
        EventType.STATUS_PROVIDED,
        EventType.WAITING_ON_REQUESTER,
        EventType.INFORMATION_ADDED,
        EventType.RESOLVED,
        EventType.CLOSED,
        EventType.RATED,
    ]


def test_a_resolution_the_requester_does_not_accept_is_reopened(world):
    world.act(world.responsible, "responsible", "resolve", text="Feito.")
    world.act(REQUESTER, "requester", "reopen", reason="Voltou a parar.")
    assert world.current.status == Status.IN_PROGRESS
    assert world.current.resolved_at is None


def test_the_same_key_applies_once_even_from_another_channel_retry(world):
    first = world.act(world.responsible, "responsible", "respond", "nonce-1", text="Indo.")
    again = world.act(world.responsible, "responsible", "respond", "nonce-1", text="Indo.")
    assert first.change is not None
    assert again.change is None
    assert world.kinds().count(EventType.RESPONDED) == 1
    message_id = "<" + "x" * 180 + "@mail.gmail.com>"  # a mail's Message-ID: kept by digest
    world.act(REQUESTER, "requester", "information", message_id, text="Foto anexa.")
    world.act(REQUESTER, "requester", "information", message_id, text="Foto anexa.")
    assert world.kinds().count(EventType.INFORMATION_ADDED) == 1
    assert all(len(key) <= 64 for key in world.current.form_nonces)


@pytest.mark.parametrize(
    ("email", "role", "action", "reason"),
    [
        (REQUESTER, "requester", "resolve", "wrong_role"),  # the requester's role cannot
        (COLLEAGUE, "responsible", "respond", "link_role_gone"),  # not this ticket's responsible
        (REQUESTER, "responsible", "respond", "link_role_gone"),  # a role the person lacks
        (OTHER_HEAD, "manager", "cost", "wrong_role"),  # not the responsible department's head
        ("ninguem@example.com", "requester", "information", "link_person_inactive"),
    ],
)
def test_who_may_not_act_changes_nothing(world, email, role, action, reason):
    before = world.current
    with pytest.raises(NotPermitted) as refused:
        world.act(email, role, action, text="x", amount="10", description="x")
    assert refused.value.reason == reason
    assert refused.value.status == 403
    assert world.current == before
    assert world.tickets.writes == 0


def test_a_person_who_left_acts_no_more():
    people = [
        p.model_copy(update={"active": False}) if p.email == REQUESTER else p for p in ORG.people
    ]
    world = World(ORG.model_copy(update={"people": people}))
    with pytest.raises(NotPermitted) as refused:
        world.act(REQUESTER, "requester", "status-request")
    assert refused.value.reason == "link_person_inactive"


def test_a_role_lost_between_read_and_write_is_checked_on_the_ticket_as_written(world):
    """The ticket is handed to a colleague while the responsible's answer is on its way: the
    guarded write decides again on the fresh ticket, where the role is gone."""
    colleague = world.directory.lookup([COLLEAGUE], [])[0][COLLEAGUE]
    world.tickets.race = lambda ticket: Change(
        {"responsible": {"email": colleague.email, "name": colleague.name}}, []
    )
    with pytest.raises(NotPermitted) as refused:
        world.act(world.responsible, "responsible", "respond", text="Indo.")
    assert refused.value.reason == "link_role_gone"
    assert EventType.RESPONDED not in world.kinds()


def test_the_head_of_the_responsible_department_records_costs(world):
    world.act(HEAD, "manager", "cost", category="parts", amount="1.340,90", description="Rolamento")
    (line,) = world.current.cost_lines
    assert world.current.cost_cents == {"BRL": 134090}
    world.act(world.responsible, "responsible", "correct-cost", line=line.id, amount="1.200")
    assert world.current.cost_cents == {"BRL": 120000}
    world.later(90)
    zone = world.directory.calendar(world.ticket.calendar_id).zone
    restored = (world.now - timedelta(minutes=30)).astimezone(zone).replace(tzinfo=None)
    world.act(world.responsible, "responsible", "loss", restored_at=restored.isoformat())
    assert world.current.downtime_seconds == 60 * 60
    assert world.current.loss_cents > 0


@pytest.mark.parametrize(
    ("action", "fields", "reason", "field"),
    [
        ("respond", {"text": "x" * 5001}, "too_long", "text"),
        ("respond", {"text": "   "}, "required", "text"),
        ("rate", {"score": "7"}, "bad_score", "score"),
        (
            "cost",
            {"category": "parts", "amount": "-5", "description": "x"},
            "negative_amount",
            "amount",
        ),
        (
            "cost",
            {"category": "parts", "amount": "10", "description": "x", "currency": "XYZ"},
            "bad_currency",
            "currency",
        ),
        ("respond", {"text": "Foto", "uploads": "not-checked"}, "files_not_ready", "uploads"),
    ],
)
def test_bad_input_is_named_and_writes_nothing(world, action, fields, reason, field):
    role = "requester" if action == "rate" else "responsible"
    email = REQUESTER if role == "requester" else world.responsible
    if action == "rate":
        world.act(world.responsible, "responsible", "resolve", text="Feito.")
    writes, before = world.tickets.writes, world.current
    with pytest.raises(InvalidInput) as refused:
        world.act(email, role, action, **fields)
    assert (refused.value.reason, refused.value.values["field"]) == (reason, field)
    assert refused.value.status == 400
    assert world.tickets.writes == writes
    assert world.current == before


def test_an_unknown_action_is_refused(world):
    with pytest.raises(UnknownAction):
        world.act(REQUESTER, "requester", "delete")


def test_a_second_status_request_too_soon_says_when_one_may_ask_again(world):
    world.act(REQUESTER, "requester", "status-request")
    world.later(10)
    with pytest.raises(TooOften) as refused:
        world.act(REQUESTER, "requester", "status-request")
    assert refused.value.status == 429
    assert refused.value.values["asked"] == NOW
    assert refused.value.values["next"] > world.now


def test_an_action_the_state_does_not_allow_is_refused(world):
    with pytest.raises(NotAllowedNow) as refused:
        world.act(REQUESTER, "requester", "confirm")
    assert (refused.value.reason, refused.value.status) == ("not_now", 409)


def test_checked_files_join_one_action_only(world):
    world.uploads.accept(world.ticket.id, "up-1", "painel.jpg")
    world.act(world.responsible, "responsible", "respond", text="Foto do painel.", uploads="up-1")
    (evidence,) = world.current.last_response.evidence
    assert evidence.filename == "painel.jpg"
    with pytest.raises(NotAllowedNow) as refused:
        world.act(world.responsible, "responsible", "resolve", text="Feito.", uploads="up-1")
    assert refused.value.reason == "files_used"
    assert world.current.status != Status.RESOLVED
