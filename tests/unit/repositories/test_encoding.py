"""Intake's own write encoding is the client library's, byte for byte, on real documents."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.cloud import firestore
from google.cloud.firestore_v1 import _helpers
from google.cloud.firestore_v1.types import write as write_types

from shared.domain.report_share import Rollup
from shared.repositories.directory import StaticDirectory
from shared.repositories.encoding import create_pb, merge_pb
from shared.repositories.rollups import rollup_writes
from tests.unit.intake.test_service import ORG, FakeTickets, run, submission

PATH = "projects/p/databases/(default)/documents/tickets/abc"


def library_create(data: dict) -> bytes:
    (write,) = _helpers.pbs_for_create(PATH, data)
    return write_types.Write.pb(write).SerializeToString(deterministic=True)


def library_merge(data: dict) -> bytes:
    (write,) = _helpers.pbs_for_set_with_merge(PATH, data, merge=True)
    return write_types.Write.pb(write).SerializeToString(deterministic=True)


def ours(write) -> bytes:
    return write.SerializeToString(deterministic=True)


def opened_ticket():
    tickets = FakeTickets()
    ticket, _ = run(submission(attachments=[]), tickets)
    return ticket, tickets.events[ticket.id]


def test_a_real_ticket_and_its_events_encode_as_the_library_encodes_them():
    ticket, events = opened_ticket()
    share = Rollup(StaticDirectory(ORG)).share(ticket)
    document = ticket.model_copy(update={"report_share": share.to_doc()}).model_dump()
    assert ours(create_pb(PATH, document)) == library_create(document)
    for event in events:
        data = {**event.model_dump(mode="python"), "ticket_id": ticket.id}
        assert ours(create_pb(PATH, data)) == library_create(data)


def test_a_real_ticket_s_rollup_writes_encode_as_the_library_encodes_them():
    ticket, _ = opened_ticket()
    rollup = Rollup(StaticDirectory(ORG))
    first = rollup.share(ticket)
    later = rollup.share(
        ticket.model_copy(update={"first_response_at": ticket.created_at + timedelta(minutes=5)})
    )
    for old, new in ((None, first), (first, later), (first, None)):
        for (_collection, key), fields in rollup_writes(old, new).items():
            data = {"day": key, **fields}
            assert ours(merge_pb(PATH, data)) == library_merge(data)


@pytest.mark.parametrize(
    "data",
    [
        {"empty": {}, "list": [], "nested": {"inner": {}, "values": [1, 2.5, None, True]}},
        {"when": datetime(2026, 11, 28, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-3)))},
        {"when": datetime(2026, 11, 28, 10, 30)},  # naive: both take it as UTC
        {"big": 2**62, "negative": -7, "zero": 0.0, "text": "Caldeira — pressão ≥ 8 bar"},
        {"odd key.with dots": 1, "`quoted`": {"a\x1fb": "c"}, "tuple": (1, "x"), "bytes": b"\x00"},
    ],
)
def test_plain_values_encode_as_the_library_encodes_them(data):
    assert ours(create_pb(PATH, data)) == library_create(data)


def test_increments_deletions_and_odd_field_names_merge_as_the_library_merges_them():
    data = {
        "day": "2026-11-28",
        "cells": {
            "a\x1fb.c": {"n": firestore.Increment(1), "cost": {"BRL": firestore.Increment(-2.5)}}
        },
        "watch": {"t1": firestore.DELETE_FIELD, "t`2": '{"id":"t`2"}', "empty": {}},
        "only": {"increments": {"x": firestore.Increment(3)}},
    }
    assert ours(merge_pb(PATH, data)) == library_merge(data)


def test_the_counter_increment_merges_as_the_library_merges_it():
    data = {"last": firestore.Increment(1)}
    assert ours(merge_pb(PATH, data)) == library_merge(data)


@pytest.mark.parametrize(
    "value", [firestore.SERVER_TIMESTAMP, firestore.ArrayUnion([1]), firestore.Increment(1)]
)
def test_a_create_refuses_transforms_instead_of_writing_them_as_values(value):
    with pytest.raises(TypeError):
        create_pb(PATH, {"field": value})


@pytest.mark.parametrize(
    "value", [firestore.SERVER_TIMESTAMP, firestore.ArrayRemove([1]), firestore.Maximum(3)]
)
def test_a_merge_refuses_transforms_it_does_not_write(value):
    with pytest.raises(TypeError):
        merge_pb(PATH, {"field": value})


def test_non_text_map_keys_are_refused():
    with pytest.raises(TypeError):
        create_pb(PATH, {"map": {1: "one"}})


def test_utc_timestamps_keep_their_microseconds():
    when = datetime(2026, 11, 28, 13, 0, 0, 999999, tzinfo=UTC)
    stamp = create_pb(PATH, {"at": when}).update.fields["at"].timestamp_value
    assert stamp.ToDatetime(tzinfo=UTC) == when


def test_timestamps_read_from_firestore_keep_their_nanoseconds():
    read = DatetimeWithNanoseconds(2026, 11, 28, 13, 0, 0, tzinfo=UTC, nanosecond=123456789)
    data = {"at": read}
    assert ours(create_pb(PATH, data)) == library_create(data)
