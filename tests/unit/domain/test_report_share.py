"""The rollup's writes are the exact difference between a ticket's old and new share."""

import json
from collections import Counter
from datetime import date

from google.cloud import firestore

from shared.domain.report_share import DIMENSIONS, Share, decode_dims
from shared.reports.sla.figures import percentile
from shared.repositories.rollups import REPORT_DAYS, REPORT_WEEKS, cover, rollup_writes

DIMS = dict.fromkeys(DIMENSIONS, "") | {"type": "incident", "priority": "high"}
DAY = (REPORT_DAYS, "2026-11-04")
WEEK = (REPORT_WEEKS, "2026-11-02")  # its Monday


def share(day="2026-11-04", cell="c1", watch=None, **metrics) -> Share:
    return Share(day, cell, DIMS, {"n": 1, **metrics}, watch)


def increments(fields: dict, *path: str) -> int:
    for part in path:
        fields = fields[part]
    assert isinstance(fields, firestore.Increment)
    return fields.value


def test_a_new_ticket_adds_its_whole_share_and_names_its_cell():
    writes = rollup_writes(None, share(resp_met=1, **{"resp_m|m37": 1}))
    assert set(writes) == {DAY, WEEK}
    for document in (DAY, WEEK):
        cell = writes[document]["cells"]["c1"]
        assert increments(cell, "n") == 1
        assert increments(cell, "resp_m", "m37") == 1
        assert decode_dims(cell["dims"]) == DIMS


def test_a_change_writes_only_the_difference():
    old = share(resp_met=1, **{"cost|BRL": 100})
    new = share(resp_met=1, res_missed=1)
    cell = rollup_writes(old, new)[WEEK]["cells"]["c1"]
    assert set(cell) == {"res_missed", "cost", "dims"}
    assert increments(cell, "cost", "BRL") == -100
    assert increments(cell, "res_missed") == 1


def test_an_unchanged_share_writes_nothing():
    assert rollup_writes(share(resp_met=1), share(resp_met=1)) == {}


def test_a_ticket_that_moves_cell_leaves_the_old_one():
    writes = rollup_writes(share(cell="c1", open=1), share(cell="c2", open=1))
    cells = writes[DAY]["cells"]
    assert increments(cells["c1"], "n") == -1
    assert increments(cells["c2"], "n") == 1
    assert "dims" not in cells["c1"]


def test_watch_lines_come_and_go_in_the_week():
    line = {"id": "t1", "number": "INC-000001", "flag": "breached"}
    added = rollup_writes(share(), share(watch=line))
    assert set(added) == {WEEK}  # the counts did not change, only the list
    assert json.loads(added[WEEK]["watch"]["t1"]) == {**line, "day": "2026-11-04"}
    removed = rollup_writes(share(watch=line), share())
    assert removed[WEEK]["watch"]["t1"] is firestore.DELETE_FIELD


def test_a_period_is_read_as_whole_weeks_and_edge_days():
    weeks, days = cover(date(2026, 11, 1), date(2026, 11, 30), "week")
    assert weeks == [date(2026, 11, d) for d in (2, 9, 16, 23)]
    assert days == [date(2026, 11, 1), date(2026, 11, 30)]
    # a monthly trend cannot use a week that straddles two months
    weeks, days = cover(date(2026, 10, 1), date(2026, 11, 30), "month")
    assert date(2026, 10, 26) not in weeks
    assert date(2026, 10, 31) in days
    assert date(2026, 11, 1) in days
    assert len(weeks) * 7 + len(days) == 61


def test_percentiles_are_nearest_rank():
    values = Counter({1: 1, 2: 1, 3: 1, 4: 1, 10: 1})
    assert percentile(values, 50) == 3
    assert percentile(values, 90) == 10
    assert percentile(Counter(), 50) is None
    assert percentile(Counter({7: 3}), 90) == 7
