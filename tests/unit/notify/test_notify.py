"""Notifying a ticket event against in-memory fakes: each recipient gets their message once;
a mail outage for one recipient retries only theirs; an event nobody can read is dropped."""

from __future__ import annotations

import pytest

from shared.domain.ticket import EventType
from shared.errors import RetryLater
from shared.notify.service import notify
from tests.unit.fakes import (
    REQUESTER,
    InMemoryDeliveries,
    InMemoryTickets,
    RecordingMailer,
    directory,
    opened,
)
from tests.unit.test_every_text import composer_for


def send(tickets, event, deliveries, mailer):
    path = f"ticket_events/{event.ticket_id}-{event.seq}"
    return notify(
        path,
        event.doc,
        tickets=tickets,
        directory=directory(),
        deliveries=deliveries,
        mailer=mailer,
        composer=composer_for(directory()),
    )


class Stored:
    def __init__(self, ticket_id, event):
        self.ticket_id, self.seq = ticket_id, event.seq
        self.doc = {**event.model_dump(mode="python"), "ticket_id": ticket_id}


def events(tickets, ticket):
    return {event.type: Stored(ticket.id, event) for event in tickets.events(ticket.id)}


def test_each_recipient_is_mailed_once_however_often_the_event_is_delivered():
    tickets, deliveries, mailer = InMemoryTickets(), InMemoryDeliveries(), RecordingMailer()
    ticket = opened(tickets)
    created = events(tickets, ticket)[EventType.CREATED]
    send(tickets, created, deliveries, mailer)
    send(tickets, created, deliveries, mailer)
    (mail,) = mailer.sent
    assert mail.to == REQUESTER
    assert ticket.number in mail.subject
    assert "CNC-01 parou com alarme de spindle" in mail.text


def test_a_relay_down_for_one_recipient_retries_only_theirs():
    tickets, deliveries = InMemoryTickets(), InMemoryDeliveries()
    ticket = opened(tickets)
    responsible = ticket.responsible.email
    assigned = events(tickets, ticket)[EventType.ASSIGNED]
    with pytest.raises(RetryLater):
        send(tickets, assigned, deliveries, RecordingMailer(frozenset({responsible})))
    mailer = RecordingMailer()
    send(tickets, assigned, deliveries, mailer)
    assert [mail.to for mail in mailer.sent] == [responsible]


def test_an_event_that_cannot_be_read_is_dropped_not_retried():
    tickets, deliveries, mailer = InMemoryTickets(), InMemoryDeliveries(), RecordingMailer()
    ticket = opened(tickets)
    created = events(tickets, ticket)[EventType.CREATED]
    created.doc = {"ticket_id": ticket.id, "type": "created"}  # no seq, no instant
    report = send(tickets, created, deliveries, mailer)
    assert report.outcomes == {}
    assert mailer.sent == []
