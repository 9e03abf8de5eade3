"""Reading the mailbox since the last history id: each message applied once, whatever the
notifications repeat or overlap, and nothing skipped when applying fails or history is gone."""

from __future__ import annotations

import pytest

from shared.errors import ClaimedElsewhere, RetryLater
from shared.mail.local_mailbox import LocalMailbox
from shared.mailbox.sync import sync


class Claims:
    def __init__(self) -> None:
        self.state: dict[str, str] = {}

    def claim(self, message_id: str) -> bool:
        if self.state.get(message_id) == "done":
            return False
        if self.state.get(message_id) == "applying":
            raise ClaimedElsewhere(message_id)
        self.state[message_id] = "applying"
        return True

    def done(self, message_id: str, outcome: str) -> None:
        self.state[message_id] = "done"

    def release(self, message_id: str) -> None:
        self.state[message_id] = "released"


class Cursor:
    def __init__(self, value: str | None = "0") -> None:
        self.value = value

    def read(self):
        return self.value

    def advance(self, history_id: str) -> None:
        if self.value is None or int(history_id) > int(self.value):
            self.value = history_id


@pytest.fixture
def box(tmp_path):
    return LocalMailbox(tmp_path, "central@metalvale.com.br")


def test_each_message_is_applied_once_across_repeated_and_overlapping_notifications(box):
    claims, cursor, applied = Claims(), Cursor(), []
    first = box.deliver(b"one")
    box.deliver(b"two")
    report = sync(box, claims, cursor, lambda raw: applied.append(raw) or "ok", first)
    assert applied == [b"one", b"two"]
    assert cursor.value == "2"
    again = sync(box, claims, Cursor("0"), lambda raw: applied.append(raw) or "ok", first)
    assert applied == [b"one", b"two"]
    assert again.skipped == 2
    box.deliver(b"three")
    sync(box, claims, cursor, lambda raw: applied.append(raw) or "ok", "3")
    assert applied == [b"one", b"two", b"three"]
    assert report.applied
    assert all(box.raw(i) for i in report.applied)


def test_a_failure_keeps_the_history_id_so_the_redelivery_applies_what_was_left(box):
    claims, cursor, applied = Claims(), Cursor(), []
    box.deliver(b"one")
    box.deliver(b"fails")
    box.deliver(b"three")

    def apply(raw: bytes) -> str:
        if raw == b"fails" and b"fails" not in applied:
            applied.append(raw)
            raise RetryLater("mail down")
        applied.append(raw)
        return "ok"

    with pytest.raises(RetryLater):
        sync(box, claims, cursor, apply, "3")
    assert cursor.value == "0"  # not moved past what was not applied
    sync(box, claims, cursor, apply, "3")
    assert applied == [b"one", b"fails", b"fails", b"three"]
    assert cursor.value == "3"


def test_a_message_another_delivery_is_applying_makes_this_one_retry_later(box):
    claims, cursor = Claims(), Cursor()
    box.deliver(b"one")
    claims.state["0000000000000001"] = "applying"
    with pytest.raises(ClaimedElsewhere):
        sync(box, claims, cursor, lambda raw: "ok", "1")
    assert cursor.value == "0"


def test_a_history_id_too_old_falls_back_to_the_recent_unprocessed_messages(box):
    claims, cursor, applied = Claims(), Cursor("1"), []
    box.deliver(b"old, processed")
    box.mark_processed("0000000000000001")
    box.deliver(b"missed")
    box.forget_history_before("2")
    report = sync(box, claims, cursor, lambda raw: applied.append(raw) or "ok", "2")
    assert report.fell_back
    assert applied == [b"missed"]
    assert cursor.value == "2"


def test_processed_messages_carry_the_label(box):
    box.deliver(b"one")
    sync(box, Claims(), Cursor(), lambda raw: "ok", "1")
    assert box.recent_unprocessed(10) == []
