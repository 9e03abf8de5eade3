"""Every text a person reads, in each of the three languages: every catalogue entry, and every
e-mail and ticket page rendered for every event type and every role, from a ticket opened by
the intake use case against the demo organisation (in memory, no Google service).

A missing text, a placeholder left unfilled, or an internal code (`asset_responsible`,
`cost_added`) showing through fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared import texts
from shared.actions.access import ACTIONS
from shared.config import Config
from shared.display.ticket import TicketFacts
from shared.domain.ticket import EventType, TicketEvent
from shared.intake.schema import Submission
from shared.intake.service import draft_ticket
from shared.links import LinkSigner
from shared.notify.compose import Composer, Sender
from shared.notify.recipients import RULES, Recipient
from shared.orgconfig import read_organisation
from shared.pages import answers
from shared.pages import catalog as page_catalog
from shared.pages.csrf import FormTokens
from shared.pages.views import ticket_context
from shared.repositories.directory import StaticDirectory

ROOT = Path(__file__).resolve().parents[2]
ORG = read_organisation(ROOT / "config" / "demo-organisation.yaml")
LOCALES = ("pt-BR", "es", "en")
NOW = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Monday, 10:00 in São Paulo
TECH = "carlos.mendes@metalvale.com.br"
REQUESTER = "lucas.oliveira@metalvale.com.br"
HEAD = "fernanda.lima@metalvale.com.br"

# Internal codes that must never reach a reader.
CODES = re.compile(
    r"\b(asset_responsible|policy_default|cost_added|cost_corrected|loss_recorded|"
    r"waiting_on_requester|information_added|status_requested|in_progress|"
    r"external_service|usinagem-1|fabrica-3-turnos|None)\b"
)


def at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def cost_line(amount: str, **extra) -> dict:
    return {
        "id": "line1",
        "category": "parts",
        "amount": amount,
        "currency": "BRL",
        "description": "Rolamento 6205",
        "by": TECH,
        "at": at(50).isoformat(),
        **extra,
    }


# One event of every type, with the data the use cases write.
EVENTS: dict[EventType, tuple[str, dict]] = {
    EventType.CREATED: (REQUESTER, {"source": "google-forms", "policy": "inc-linha-parada"}),
    EventType.ASSIGNED: (
        "helpdesk",
        {"responsible": TECH, "reason": "asset_responsible", "department": "manutencao"},
    ),
    EventType.ACKNOWLEDGED: (TECH, {}),
    EventType.RESPONDED: (TECH, {"text": "Troca do rolamento às 14h.", "evidence": []}),
    EventType.WAITING_ON_REQUESTER: (TECH, {"text": "Qual o número de série?"}),
    EventType.INFORMATION_ADDED: (REQUESTER, {"text": "SN 4471-B", "evidence": []}),
    EventType.STATUS_REQUESTED: (REQUESTER, {"note": "Alguma previsão?"}),
    EventType.STATUS_PROVIDED: (TECH, {"text": "Peça a caminho."}),
    EventType.WARNING: (
        "helpdesk",
        {
            "milestone": "response",
            "percent": 75,
            "due": at(11).isoformat(),
            "deadline": at(15).isoformat(),
        },
    ),
    EventType.BREACHED: ("helpdesk", {"milestone": "resolution", "due": at(240).isoformat()}),
    EventType.ESCALATED: (
        "helpdesk",
        {"milestone": "resolution", "due": at(240).isoformat(), "level": 1, "notify": HEAD},
    ),
    EventType.RESOLVED: (TECH, {"text": "Rolamento trocado.", "evidence": []}),
    EventType.REOPENED: (REQUESTER, {"reason": "Voltou o ruído."}),
    EventType.CLOSED: (REQUESTER, {"confirmed_by": REQUESTER}),
    EventType.RATED: (REQUESTER, {"score": 4, "comment": "Bom atendimento"}),
    EventType.RESUMED: (TECH, {}),
    EventType.POLICY_CHANGED: (
        HEAD,
        {"from": "inc-linha-parada", "to": "inc-degradacao", "reason": "Linha voltou"},
    ),
    EventType.STATUS_REQUEST_UNANSWERED: (
        "helpdesk",
        {"asked_at": at(30).isoformat(), "notify": HEAD, "request": 1},
    ),
    EventType.COST_ADDED: (TECH, cost_line("1250.90")),
    EventType.COST_CORRECTED: (
        TECH,
        {"old": cost_line("1250.90"), "new": cost_line("1200.00", id="line2", supersedes="line1")},
    ),
    EventType.LOSS_RECORDED: (
        TECH,
        {
            "manual_amount": "3400.00",
            "manual_currency": "BRL",
            "manual_reason": "Refugo",
            "counts": "manual",
        },
    ),
    EventType.COMMENTED: (HEAD, {"text": "Priorizem esta linha.", "evidence": []}),
    EventType.DELIVERY_FAILED: (
        "helpdesk",
        {"recipient": "joao.ferreira@metalvale.com.br", "status": "5.1.1"},
    ),
    EventType.DETAILS_COMPLETED: (REQUESTER, {"fields": {"maquina": "CNC-01"}}),
    EventType.TRANSFERRED: (
        HEAD,
        {"from": TECH, "to": TECH, "department": "manutencao-mecanica", "reason": "Turno da noite"},
    ),
    EventType.CANCELLED: (REQUESTER, {"reason": "Aberto em dobro", "original": "INC-000041"}),
    EventType.WATCHER_ADDED: (REQUESTER, {"watcher": HEAD}),
    EventType.WATCHER_REMOVED: (HEAD, {"watcher": HEAD}),
    EventType.CLOSE_REMINDER: ("helpdesk", {"closes_at": at(400).isoformat(), "days": 3}),
}


def test_every_event_type_is_covered_here():
    assert set(EVENTS) == set(EventType)


def test_every_event_type_has_a_page_label_and_every_action_its_notice():
    """(Every text in every language: tests/unit/test_texts.py.)"""
    assert set(texts.keys("event")) == {str(kind) for kind in EventType}
    for action in ACTIONS:  # the notice on the page each action lands on
        assert texts.has("ui", f"done_{action.replace('-', '_')}"), action


def opened_ticket():
    directory = StaticDirectory(ORG)
    submission = Submission.model_validate(
        {
            "submission_id": "texts-1",
            "source": "google-forms",
            "type": "incident",
            "policy": "inc-linha-parada",
            "title": "CNC-01 parou com alarme de spindle",
            "description": "Alarme 2001 no fuso.\nA linha está parada.",
            "requester": {"email": REQUESTER},
            "asset": "CNC-01",
            "fields": {
                "linha": "usinagem-1",
                "maquina": "CNC-01",
                "sintoma": "Ruído no fuso",
                "pecas_em_risco": 1250,
            },
            "attachments": [{"filename": "painel.jpg", "content_type": "image/jpeg", "size": 9}],
        }
    )
    ticket, _ = draft_ticket("a" * 24, submission, "google-forms", directory, Config(), NOW)
    ticket = ticket.model_copy(
        update={
            "number": "INC-000042",
            "cost_lines": [cost_line("1250.90")],
            "cost_cents": {"BRL": 125090},
            "loss": {"manual_amount": "3400.00", "manual_currency": "BRL", "counts": "manual"},
            "loss_cents": 340000,
            "loss_currency": "BRL",
            "response_breached_at": at(15),
        }
    )
    events = [
        TicketEvent(seq=index, type=kind, at=at(index * 5), actor=actor, data=data)
        for index, (kind, (actor, data)) in enumerate(EVENTS.items(), start=1)
    ]
    return directory, ticket, events


def composer_for(directory, console_url: str = "") -> Composer:
    return Composer(
        Sender("central@metalvale.com.br", "Central", "metalvale.com.br"),
        "Metalúrgica Vale",
        LinkSigner("s" * 32, "https://pages.example", timedelta(days=14)),
        None,
        timedelta(days=14),
        TicketFacts(directory),
        console_url=console_url,
    )


def readable(text: str, where: str) -> None:
    assert "{" not in text.replace("{{", ""), where
    found = CODES.search(text)
    assert found is None, (where, found and found.group(0))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_email_renders_in_every_language_for_every_role(locale):
    directory, ticket, events = opened_ticket()
    composer = composer_for(directory)
    calendar = directory.calendar(ticket.calendar_id)
    mailed = [event for event in events if RULES[event.type]]  # costs are not mailed
    assert set(texts.keys("subject")) == {str(event.type) for event in mailed}
    for event in mailed:
        for role in ("requester", "responsible", "manager", "watcher"):
            recipient = Recipient(TECH, "Carlos Mendes", locale, role)
            mail = composer.compose(f"e{event.seq}", event, ticket, recipient, calendar)
            mail.to_mime()
            for part in (mail.subject, mail.text, re.sub(r"<[^>]+>", " ", mail.html)):
                readable(part, f"{event.type} {role} {locale}")
    intros = {
        event.type: composer.compose(
            "x", event, ticket, Recipient(TECH, "C", locale, "responsible"), calendar
        ).text
        for event in mailed
    }
    assigned = intros[EventType.ASSIGNED]
    assert "CNC-01 — Centro de usinagem vertical Romi D800" in assigned  # why, in words
    assert {"pt-BR": "Usinagem 1", "es": "Mecanizado 1", "en": "Machining 1"}[locale] in assigned
    assert {"pt-BR": "1.250", "es": "1.250", "en": "1,250"}[locale] in assigned
    assert "painel.jpg" in assigned  # announced, not uploaded yet
    assert "Alarme 2001 no fuso." in intros[EventType.CREATED]


@dataclass
class FakeTickets:
    events_of: list

    def latest_events(self, ticket_id: str, limit: int, before=None) -> tuple[list, bool]:
        return self.events_of[-limit:], len(self.events_of) > limit

    def duplicates_of(self, ticket_id: str) -> list:
        return []


@dataclass
class FakePageServices:
    config: Config
    directory: StaticDirectory
    tickets: FakeTickets
    forms: FormTokens
    now: object
    evidence: object = None
    media_url: str = "https://media.example/"
    uploads: object = None


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_renders_in_every_language_for_every_role(locale):
    directory, ticket, events = opened_ticket()
    app = FakePageServices(
        Config(), directory, FakeTickets(events), FormTokens("s" * 32), lambda: at(200)
    )
    for role in ("requester", "responsible", "manager", "watcher", "viewer"):
        context = ticket_context(ticket, role, "tok", locale, app, may_edit_costs=True)
        html = answers.render("ticket.html", context).get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", html.split("<main>")[1])
        readable(text, f"page {role} {locale}")
        for event in events:
            label = page_catalog.event_label(event.type, locale)
            if event.type == EventType.DELIVERY_FAILED and role in (
                "requester",
                "watcher",
                "viewer",
            ):
                assert label not in text  # a bounce is the responsible's to act on
                continue
            assert label in text, (event.type, locale)
        assert "Alarme 2001 no fuso." in text
    money = {"pt-BR": "R$\xa01.200,00", "es": "1.200,00\xa0BRL", "en": "R$1,200.00"}[locale]
    assert money in text  # the correction, in the reader's own notation
    for key in texts.keys("ui"):  # without values, a text comes back as written
        values = {name: "x" for name in re.findall(r"{(\w+)}", texts.ui(key, locale))}
        answers.message(locale, key, 400, "/t/x", **values)


def test_the_head_told_of_a_breach_reads_why():
    directory, ticket, events = opened_ticket()
    composer = composer_for(directory)
    breach = next(event for event in events if event.type == EventType.BREACHED)
    calendar = directory.calendar(ticket.calendar_id)
    head = Recipient(TECH, "Carlos Mendes", "pt-BR", "manager")
    text = composer.compose("b", breach, ticket, head, calendar).text
    assert "por chefiar Manutenção Mecânica, o departamento responsável" in text
    responsible = Recipient(TECH, "Carlos Mendes", "pt-BR", "responsible")
    assert "por chefiar" not in composer.compose("b", breach, ticket, responsible, calendar).text
