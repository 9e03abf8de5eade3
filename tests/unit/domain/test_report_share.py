"""The rollup's writes are the exact difference between a ticket's old and new share."""

import math
import random
from collections import Counter
from datetime import date

from google.cloud import firestore
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.report_share import (
    CAP,
    DIMENSIONS,
    SHARDS,
    TIERS,
    Share,
    decode_dims,
    filter_keys,
    minute_bucket,
    shard_of,
)
from shared.reports.sla.figures import percentile
from shared.repositories.rollups import REPORT_DAYS, REPORT_WEEKS, cover, rollup_writes

DIMS = dict.fromkeys(DIMENSIONS, "") | {"type": "incident", "priority": "high"}
DAY = (REPORT_DAYS, "2026-11-04.07")
WEEK = (REPORT_WEEKS, "2026-11-02.07")  # its Monday, the ticket's shard


def share(day="2026-11-04", cell="c1", watch=None, **metrics) -> Share:
    return Share(day, cell, DIMS, {"n": 1, **metrics}, watch, shard=7)


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
    # both name their dimensions: after a fold, a shard may hold only this difference
    assert decode_dims(cells["c1"]["dims"]) == decode_dims(cells["c2"]["dims"]) == DIMS


def test_a_change_writes_its_whole_difference_to_its_own_shard():
    """Old and new share in one shard chosen for the change: the shards' sum is the same."""
    writes = rollup_writes(share(cell="c1", open=1), share(cell="c2", open=1), shard=30)
    assert set(writes) == {(REPORT_DAYS, "2026-11-04.30"), (REPORT_WEEKS, "2026-11-02.30")}
    cells = writes[(REPORT_WEEKS, "2026-11-02.30")]["cells"]
    assert (increments(cells["c1"], "n"), increments(cells["c2"], "n")) == (-1, 1)


def test_the_lists_are_not_in_the_rollups():
    """A ticket's line in the breached and at-risk lists lives on the ticket (queried there):
    a line that comes or goes writes no rollup document."""
    line = {"id": "t1", "number": "INC-000001", "flag": "breached"}
    assert rollup_writes(share(), share(watch=line)) == {}
    assert rollup_writes(share(watch=line), share()) == {}


def test_tickets_spread_evenly_over_the_shards():
    counts = Counter(shard_of(f"{random.Random(n).getrandbits(96):024x}") for n in range(6400))
    assert set(counts) == set(range(SHARDS))
    assert max(counts.values()) < 2 * 6400 / SHARDS


def test_a_share_written_before_shards_is_not_subtracted_from_the_new_rollups():
    legacy = share().to_doc()
    del legacy["shard"]
    assert Share.from_doc(legacy) is None
    assert Share.from_doc(share().to_doc()) == share()


def test_filter_keys_name_either_side_of_area_and_department():
    dims = DIMS | {"requester_area": "a1", "responsible_area": "a2", "asset": "CNC-01"}
    keys = filter_keys(dims)
    assert {"area\x1fa1", "area\x1fa2", "asset\x1fCNC-01", "type\x1fincident"} <= set(keys)
    assert not any(key.startswith("department") for key in keys)  # empty values name nothing


def test_histogram_buckets_are_bounded_and_exact_below_four_hours():
    assert [minute_bucket(m) for m in (0, 1, 239)] == [0, 1, 239]
    assert [minute_bucket(m) for m in (240, 249, 250, 1439)] == [240, 240, 250, 1430]
    assert [minute_bucket(m) for m in (1440, 5999, 6000, 6479)] == [1440, 5940, 6000, 6000]
    assert minute_bucket(10**9) == CAP
    buckets = {minute_bucket(m) for m in range(0, 3 * CAP)}
    lower = 0
    expected = 1  # the cap's own bucket
    for limit, step in TIERS:
        expected += -(-(limit - lower) // step)  # the last bucket of a tier may be short
        lower = limit
    assert len(buckets) == expected < 600


def _tier_step(minutes: int) -> int:
    for limit, step in TIERS:
        if minutes < limit:
            return step
    return 0


@given(
    st.lists(
        st.one_of(st.integers(0, 300), st.integers(0, 3000), st.integers(0, 60000), st.just(10**6)),
        min_size=1,
        max_size=300,
    ),
    st.sampled_from([50, 90]),
)
def test_bucketed_percentiles_keep_the_stated_precision(minutes, p):
    """The report's percentile over the bounded histogram against the brute force over the
    exact minutes: equal below 4 hours, at most one bucket's step below the true value above,
    and `CAP` for anything at or past it."""
    exact = sorted(minutes)[max(1, math.ceil(p / 100 * len(minutes))) - 1]
    found = percentile(Counter(minute_bucket(m) for m in minutes), p)
    if exact >= CAP:
        assert found == CAP
    else:
        assert 0 <= exact - found < _tier_step(exact)
        assert found == minute_bucket(exact)


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
