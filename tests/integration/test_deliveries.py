"""The exactly-once claim around each send, against the Firestore emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.errors import ClaimedElsewhere
from shared.mail import OutgoingMail
from shared.repositories.deliveries import FirestoreDeliveries, Outcome

T0 = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


class CountingMailer:
    """A mailer that remembers what it sent; `can_look` says whether it can be asked (Gmail)."""

    name = "fake"

    def __init__(self, can_look: bool):
        self.sent: list[str] = []
        self.can_look = can_look

    def send(self, mail):
        self.sent.append(mail.message_id)
        return f"id-{len(self.sent)}"

    def already_sent(self, mail):
        return self.can_look and mail.message_id in self.sent


class Crash(Exception):
    pass


def mail() -> OutgoingMail:
    return OutgoingMail(
        sender="c@x.com",
        sender_name="C",
        to="r@x.com",
        to_name="R",
        subject="s",
        text="t",
        html="<p>t</p>",
        message_id="<m1@x.com>",
        thread_id="<t@x.com>",
        sent_at=T0,
    )


@pytest.fixture
def event_ref(db):
    ref = db.collection("ticket_events").document("t1-000001-created")
    ref.set({"seq": 1, "type": "created", "ticket_id": "t1"})
    return ref


def crash_once():
    state = {"crashed": False}

    def fault():
        if not state["crashed"]:
            state["crashed"] = True
            raise Crash

    return fault


@pytest.mark.parametrize("can_look", [True, False])
def test_a_crash_between_send_and_record(db, event_ref, can_look):
    clock, mailer = Clock(), CountingMailer(can_look)
    deliveries = FirestoreDeliveries(db, clock, fault_after_send=crash_once())
    with pytest.raises(Crash):
        deliveries.deliver(event_ref.path, mail(), mailer)
    assert len(mailer.sent) == 1

    clock.now = T0 + timedelta(seconds=10)  # redelivered while the crashed claim's lease runs
    with pytest.raises(ClaimedElsewhere):
        deliveries.deliver(event_ref.path, mail(), mailer)
    assert len(mailer.sent) == 1

    clock.now = T0 + timedelta(minutes=2)  # the lease ran out: the claim is taken over
    outcome = deliveries.deliver(event_ref.path, mail(), mailer)
    if can_look:  # Gmail: the mailbox shows the message left, so it is not sent again
        assert (outcome, len(mailer.sent)) == (Outcome.ALREADY_SENT, 1)
    else:  # SMTP cannot tell: the copy carries the same Message-ID, which Gmail collapses
        assert (outcome, mailer.sent) == (Outcome.SENT, ["<m1@x.com>", "<m1@x.com>"])
    record = next(iter(event_ref.get().to_dict()["deliveries"].values()))
    assert record["state"] == "sent"
    assert deliveries.deliver(event_ref.path, mail(), mailer) is Outcome.ALREADY_SENT
    assert len(mailer.sent) == (1 if can_look else 2)


def test_a_crash_before_sending_is_made_good(db, event_ref):
    clock = Clock()

    class DeadMailer(CountingMailer):
        def send(self, mail):
            raise Crash  # the process died while connecting

    with pytest.raises(Crash):
        FirestoreDeliveries(db, clock).deliver(event_ref.path, mail(), DeadMailer(True))
    clock.now = T0 + timedelta(minutes=2)
    mailer = CountingMailer(True)
    assert FirestoreDeliveries(db, clock).deliver(event_ref.path, mail(), mailer) is Outcome.SENT
    assert mailer.sent == ["<m1@x.com>"]
