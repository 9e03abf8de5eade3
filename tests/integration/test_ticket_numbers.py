"""Ticket numbers across several function instances sharing one Firestore.

Each `FirestoreTickets` here stands for one instance of the intake function.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from google.cloud.firestore_v1.batch import WriteBatch

from shared.config import Config
from shared.domain.report_share import Rollup
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.repositories.directory import StaticDirectory
from shared.repositories.tickets import FirestoreTickets
from tests.unit.intake.test_service import NOW, ORG


def submission(key: str) -> Submission:
    return Submission.model_validate(
        {
            "submission_id": key,
            "source": "google-forms",
            "type": "incident",
            "policy": "inc-degradacao",
            "title": f"Robô de solda com falhas ({key})",
            "requester": {"email": "mariana.rocha@metalvale.com.br"},
            "fields": {"maquina": "ROBO-SOLDA-01", "sintoma": "Cordão irregular"},
        }
    )


def instance(db) -> FirestoreTickets:
    return FirestoreTickets(db, Rollup(StaticDirectory(ORG)))


def open_(tickets: FirestoreTickets, key: str) -> tuple[int, bool]:
    ticket, created = open_ticket(
        submission(key),
        "google-forms",
        directory=StaticDirectory(ORG),
        tickets=tickets,
        config=Config(),
        now=lambda: NOW,
    )
    return int(ticket.number.removeprefix("INC-")), created


@pytest.fixture
def commits(monkeypatch):
    """How many commits (round trips that write) each thread made."""
    counted: dict[int, int] = {}
    original = WriteBatch.commit

    def counting(self, *args, **kwargs):
        key = threading.get_ident()
        counted[key] = counted.get(key, 0) + 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(WriteBatch, "commit", counting)

    def made() -> int:
        return counted.pop(threading.get_ident(), 0)

    return made


def test_an_instance_that_drew_the_last_number_opens_the_next_ticket_in_one_round_trip(db, commits):
    tickets = instance(db)
    assert open_(tickets, "a") == (1, True)
    assert commits() == 2  # a fresh instance draws its first number, then writes
    assert [open_(tickets, key) for key in "bcd"] == [(2, True), (3, True), (4, True)]
    assert commits() == 3


def test_a_new_instance_reads_the_counter_while_checking_and_writes_in_one_round_trip(db, commits):
    open_(instance(db), "a")
    commits()
    newcomer = instance(db)
    assert open_(newcomer, "b") == (2, True)
    assert commits() == 1
    # What it read is stale if another instance drew meanwhile: then it draws.
    late = instance(db)
    late.prepare()
    assert late._numbers.guess().number == 3  # its read is back (guess waits for it)
    assert open_(newcomer, "c") == (3, True)
    assert open_(late, "d") == (4, True)
    assert commits() == 4  # c in one; d's claim refused, then d drawn and written


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_counter_without_its_field_is_drawn_from_without_a_crash_in_the_background(db):
    db.collection("counters").document("tickets").set({"note": "created by hand"})
    assert open_(instance(db), "a") == (1, True)


def test_a_submission_sent_again_to_a_new_instance_takes_no_number(db):
    open_(instance(db), "a")
    assert open_(instance(db), "a") == (1, False)
    assert open_(instance(db), "b") == (2, True)


def test_instances_taking_turns_number_tickets_in_order_without_gaps(db):
    first, second = instance(db), instance(db)
    numbers = [open_((first, second)[index % 2], f"s{index}")[0] for index in range(8)]
    assert numbers == list(range(1, 9))


def test_a_submission_sent_again_takes_no_number(db, commits):
    tickets = instance(db)
    open_(tickets, "a")
    open_(tickets, "b")
    commits()
    assert open_(tickets, "b") == (2, False)
    assert open_(tickets, "c") == (3, True)
    assert commits() == 2  # the refused batch, then the next ticket in one round trip


def test_many_instances_at_once_give_every_ticket_its_own_number_without_gaps(db):
    instances = [instance(db) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda index: open_(instances[index % 4], f"c{index}"), range(24)))
    assert all(created for _, created in answers)
    assert sorted(number for number, _ in answers) == list(range(1, 25))


def test_numbering_continues_after_the_counter_is_moved_by_hand(db):
    tickets = instance(db)
    open_(tickets, "a")
    db.collection("counters").document("tickets").set({"last": 500})  # an import, say
    assert open_(tickets, "b") == (501, True)


def test_copies_of_one_submission_across_instances_burn_no_number(db):
    """A client retrying across instances: 30 copies of one submission among 10 others, all at
    once on four instances. One ticket for the copies, and the numbers have no gap."""
    instances = [instance(db) for _ in range(4)]
    keys = ["same"] * 30 + [f"other{index}" for index in range(10)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(
            pool.map(lambda item: open_(instances[item[0] % 4], item[1]), enumerate(keys))
        )
    same = {number for (number, _), key in zip(answers, keys, strict=True) if key == "same"}
    assert len(same) == 1
    assert sum(created for _, created in answers) == 11
    assert sorted({number for number, _ in answers}) == list(range(1, 12))


def test_a_ticket_whose_write_failed_keeps_its_number_for_the_submission_sent_again(
    db, monkeypatch
):
    from google.api_core import exceptions as google_errors

    tickets = FirestoreTickets(db, Rollup(StaticDirectory(ORG)), deadline=1.0)
    original = WriteBatch.commit

    def refusing(self, *args, **kwargs):
        if any("/tickets/" in path for path in self._document_references):
            raise google_errors.ServiceUnavailable("Firestore is away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(WriteBatch, "commit", refusing)
    with pytest.raises((google_errors.ServiceUnavailable, google_errors.RetryError)):
        open_(tickets, "a")  # the number 1 was drawn, then the ticket could not be written
    monkeypatch.setattr(WriteBatch, "commit", original)
    assert open_(instance(db), "a") == (1, True)  # sent again: the number drawn for it
    assert open_(instance(db), "b") == (2, True)


def test_a_claim_being_stored_elsewhere_answers_retry_later_then_is_taken_over(db, monkeypatch):
    """A copy arriving while another instance draws and stores: it waits, then asks to be sent
    again; a claim whose instance stopped for good is taken over."""
    from datetime import timedelta

    from shared.errors import RetryLater
    from shared.intake.service import ticket_id_for
    from shared.repositories import numbers, tickets

    ticket_id = ticket_id_for("google-forms", "a")
    db.collection("number_claims").document(ticket_id).set({"at": NOW})
    monkeypatch.setattr(tickets, "IN_FLIGHT_WAIT", 0.3)
    with pytest.raises(RetryLater):
        open_(instance(db), "a")
    monkeypatch.setattr(numbers, "STALE_CLAIM", timedelta(0))
    assert open_(instance(db), "a") == (1, True)
    assert open_(instance(db), "a") == (1, False)
