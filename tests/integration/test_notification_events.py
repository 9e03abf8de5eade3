"""Every event type reaches the right people, in each person's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import texts
from shared.domain.ticket import EventType
from shared.notify.compose import WATCHER_INTROS
from shared.repositories.firestore import EVENTS, PEOPLE, TICKETS
from tests.integration.conftest import degraded_robot, deliver_event

REQUESTER = "mariana.rocha@metalvale.com.br"
RESPONSIBLE = "diego.martinez@metalvale.com.br"
HEAD = "sergio.nunes@metalvale.com.br"  # heads Manutenção Elétrica, the policy's department
WATCHER = "helena.prado@metalvale.com.br"
ESCALATION = "ricardo.almeida@metalvale.com.br"

TEXT = {"text": "Troquei o contator K3; favor acompanhar."}
EVIDENCE_FREE = {"evidence": []}

# event type -> (actor, data, expected recipients)
CASES = {
    EventType.CREATED: (REQUESTER, {}, {REQUESTER}),
    EventType.ASSIGNED: ("helpdesk", {"responsible": RESPONSIBLE}, {RESPONSIBLE}),
    EventType.ACKNOWLEDGED: (RESPONSIBLE, {}, {REQUESTER}),
    EventType.RESPONDED: (RESPONSIBLE, {**TEXT, **EVIDENCE_FREE}, {REQUESTER, WATCHER}),
    EventType.WAITING_ON_REQUESTER: (RESPONSIBLE, TEXT, {REQUESTER}),
    EventType.INFORMATION_ADDED: (REQUESTER, TEXT, {RESPONSIBLE}),
    EventType.STATUS_REQUESTED: (REQUESTER, {}, {RESPONSIBLE}),
    EventType.STATUS_PROVIDED: (RESPONSIBLE, TEXT, {REQUESTER, WATCHER}),
    EventType.WARNING: (
        "helpdesk",
        {"milestone": "resolution", "percent": 75, "due": "2026-12-01T18:00:00+00:00"},
        {RESPONSIBLE},
    ),
    EventType.BREACHED: (
        "helpdesk",
        {"milestone": "response", "due": "2026-12-01T12:00:00+00:00"},
        {RESPONSIBLE, HEAD},
    ),
    EventType.ESCALATED: (
        "helpdesk",
        {"level": 2, "notify": ESCALATION},
        {ESCALATION, RESPONSIBLE},
    ),
    EventType.RESOLVED: (RESPONSIBLE, TEXT, {REQUESTER, WATCHER}),
    EventType.REOPENED: (REQUESTER, {"reason": "Voltou a falhar"}, {RESPONSIBLE}),
    EventType.CLOSED: ("helpdesk", {}, {REQUESTER, RESPONSIBLE}),
    EventType.RATED: (REQUESTER, {"score": 4, "comment": "Rápido"}, {RESPONSIBLE}),
    EventType.RESUMED: (RESPONSIBLE, {}, {REQUESTER}),
    EventType.POLICY_CHANGED: (
        RESPONSIBLE,
        {"from": "inc-degradacao", "to": "inc-linha-parada"},
        {REQUESTER},
    ),
    EventType.STATUS_REQUEST_UNANSWERED: (
        "helpdesk",
        {"asked_at": "2026-12-01T13:00:00+00:00", "notify": ESCALATION},
        {ESCALATION, RESPONSIBLE},
    ),
    # A department head's reply by e-mail; the details a ticket by e-mail lacked.
    EventType.COMMENTED: (HEAD, {**TEXT, **EVIDENCE_FREE}, {RESPONSIBLE}),
    EventType.DETAILS_COMPLETED: (
        REQUESTER,
        {"fields": {"maquina": "ROBO-SOLDA-01"}},
        {RESPONSIBLE},
    ),
    EventType.TRANSFERRED: (
        HEAD,
        {"from": RESPONSIBLE, "to": RESPONSIBLE, "department": "manutencao", "reason": "Turno"},
        {RESPONSIBLE},
    ),
    # Cancelled by its requester: the others are told; a colleague added is told alone.
    EventType.CANCELLED: (REQUESTER, {"reason": "Aberto em dobro"}, {RESPONSIBLE, WATCHER}),
    EventType.WATCHER_ADDED: (REQUESTER, {"watcher": WATCHER}, {WATCHER}),
    EventType.WATCHER_REMOVED: (WATCHER, {"watcher": WATCHER}, set()),
    EventType.CLOSE_REMINDER: (
        "helpdesk",
        {"closes_at": "2026-12-04T20:48:00+00:00", "days": 3},
        {REQUESTER},
    ),
    # A bounce is shown on the ticket's page: mailing it could bounce again.
    EventType.DELIVERY_FAILED: ("helpdesk", {"recipient": REQUESTER, "status": "5.1.1"}, set()),
    # Audit only: nobody is mailed.
    EventType.COST_ADDED: (RESPONSIBLE, {"amount": "10.00"}, set()),
    EventType.COST_CORRECTED: (RESPONSIBLE, {}, set()),
    EventType.LOSS_RECORDED: (RESPONSIBLE, {}, set()),
}

STATUS_WORD = {"pt-BR": "Situação:", "es": "Estado:", "en": "Status:"}


def test_every_event_type_has_a_case():
    assert set(CASES) == set(EventType)


@pytest.mark.parametrize("locale", ["pt-BR", "es", "en"])
def test_each_event_reaches_its_recipients_in_their_language(
    locale, notifications, smtp_inbox, intake, db
):
    for email in (HEAD, ESCALATION, WATCHER, REQUESTER, RESPONSIBLE):
        db.collection(PEOPLE).document(email).update({"locale": locale})
    ticket = degraded_robot(intake, f"degradacao-{locale}", REQUESTER)
    ticket_ref = db.collection(TICKETS).document(ticket["id"])
    ticket_ref.update({"watchers": [{"email": WATCHER, "name": "Helena Prado", "locale": locale}]})
    start = datetime.now(UTC)
    for seq, (event_type, (actor, data, expected)) in enumerate(CASES.items(), start=10):
        smtp_inbox.messages.clear()
        path = f"{EVENTS}/{ticket['id']}-{seq:06d}-{event_type}"
        db.document(path).set(
            {
                "seq": seq,
                "type": str(event_type),
                "at": start + timedelta(minutes=seq),
                "actor": actor,
                "data": data,
                "ticket_id": ticket["id"],
            }
        )
        assert deliver_event(notifications, db, path).status_code == 200, event_type
        received = {
            message["To"].addresses[0].addr_spec: message for message in smtp_inbox.messages
        }
        assert set(received) == expected, event_type
        for message in received.values():
            subject = message["Subject"]
            assert subject.startswith(f"[{ticket['number']}] "), subject
            key_text = texts.text("subject", event_type, locale).split("{")[0].strip()
            to = message["To"].addresses[0].addr_spec
            if to == WATCHER and event_type in WATCHER_INTROS:  # a watcher's own words
                key_text = texts.ui("watcher_subject", locale).split("{")[0].strip()
            assert key_text in subject, (event_type, locale, subject)
            text = message.get_body(preferencelist=("plain",)).get_content()
            assert STATUS_WORD[locale] in text, (event_type, locale)
            if "text" in data:
                assert data["text"] in text


def test_hand_checked_subjects_in_each_language(notifications, smtp_inbox, intake, db, monkeypatch):
    """A few subjects written out by hand, so the catalogue itself is checked too.

    The language changes between tickets, so the directory must not serve a cached person.
    """
    monkeypatch.setenv("HELPDESK_DIRECTORY_CACHE_SECONDS", "0")
    expected = {
        "pt-BR": "Atenção: 75% do prazo de solução consumido",
        "es": "Atención: 75% del plazo de solución consumido",
        "en": "Attention: 75% of the resolution time used",
    }
    for index, (locale, subject) in enumerate(expected.items()):
        db.collection(PEOPLE).document(RESPONSIBLE).update({"locale": locale})
        ticket = degraded_robot(intake, f"hand-{locale}", REQUESTER)
        path = f"{EVENTS}/{ticket['id']}-000009-warning"
        db.document(path).set(
            {
                "seq": 9,
                "type": "warning",
                "at": datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
                "actor": "helpdesk",
                "data": {
                    "milestone": "resolution",
                    "percent": 75,
                    "due": "2026-12-01T12:00:00+00:00",  # when the warning fell due
                    "deadline": "2026-12-01T18:00:00+00:00",  # what it warns of
                },
                "ticket_id": ticket["id"],
            }
        )
        deliver_event(notifications, db, path)
        message = smtp_inbox.messages[index]
        assert message["Subject"] == f"[{ticket['number']}] {subject}"
        text = message.get_body(preferencelist=("plain",)).get_content()
        # The deadline, not the warning's own instant: 18:00 UTC is 15:00 in São Paulo, six
        # hours of the three-shift calendar after the warning; each language says it its way.
        assert {
            "pt-BR": "vence em 1 de dez. de 2026 15:00 (-03:00); restam 6 h 00 min úteis",
            "es": "vence el 1 dic 2026 15:00 (-03:00); quedan 6 h 00 min hábiles",
            "en": "deadline is Dec 1, 2026 3:00\u202fPM (-03:00); 6 h 00 min of business time",
        }[locale] in text, text


def test_a_language_changed_after_the_ticket_was_opened_is_used(
    notifications, smtp_inbox, intake, db, monkeypatch
):
    monkeypatch.setenv("HELPDESK_DIRECTORY_CACHE_SECONDS", "0")
    ticket = degraded_robot(intake, "lang-change", REQUESTER)  # the requester reads pt-BR
    db.collection(PEOPLE).document(REQUESTER).update({"locale": "en"})
    path = f"{EVENTS}/{ticket['id']}-000001-created"
    assert deliver_event(notifications, db, path).status_code == 200
    (message,) = smtp_inbox.to(REQUESTER)
    assert message["Subject"] == f"[{ticket['number']}] We received your ticket: Queda de tensão"
