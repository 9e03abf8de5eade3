"""Pauses: time waiting on the requester counts neither as elapsed nor towards deadlines."""

from datetime import timedelta

import pytest

from shared.sla import Pause, SlaClock
from tests.unit.sla.calendars import SAO_PAULO, local, office_sao_paulo

H = timedelta(hours=1)


def at(*parts: int):
    return local(SAO_PAULO, *parts)


def test_a_pause_pushes_the_deadline_by_the_business_time_it_lasted():
    calendar = office_sao_paulo()
    # Monday 08:00, 8h to resolve; paused Monday 10:00 until Tuesday 09:00.
    clock = SlaClock(
        calendar, at(2026, 11, 30, 8), [Pause(at(2026, 11, 30, 10), at(2026, 12, 1, 9))]
    )
    # 2h before the pause, then Tuesday 09-12 and 13-16.
    assert clock.due(8 * H) == at(2026, 12, 1, 16)
    # A deadline reached before the pause is not moved by it.
    assert clock.due(1 * H) == at(2026, 11, 30, 9)
    # Tuesday 10:00: Monday 08-10 and Tuesday 09-10 have run.
    assert clock.elapsed(at(2026, 12, 1, 10)) == 3 * H
    # The pause itself lasted Monday 10-12, 13-17 and Tuesday 08-09.
    assert clock.paused_business_time(at(2026, 12, 1, 10)) == 7 * H


def test_an_open_pause_stops_the_clock():
    calendar = office_sao_paulo()
    clock = SlaClock(calendar, at(2026, 11, 30, 8), [Pause(at(2026, 11, 30, 10))])
    assert clock.is_paused
    assert clock.due(8 * H) is None
    assert clock.due(2 * H) == at(2026, 11, 30, 10)
    assert clock.elapsed(at(2026, 12, 3, 10)) == 2 * H


def test_two_pauses_in_one_day():
    calendar = office_sao_paulo()
    pauses = [
        Pause(at(2026, 11, 30, 9), at(2026, 11, 30, 10)),
        Pause(at(2026, 11, 30, 14), at(2026, 11, 30, 15)),
    ]
    clock = SlaClock(calendar, at(2026, 11, 30, 8), pauses)
    # 8h of work with 2h paused: Monday has 6 counted hours, two more on Tuesday.
    assert clock.due(8 * H) == at(2026, 12, 1, 10)
    assert clock.elapsed(at(2026, 11, 30, 17)) == 6 * H


def test_a_pause_during_the_night_changes_nothing():
    calendar = office_sao_paulo()
    plain = SlaClock(calendar, at(2026, 11, 30, 8))
    # Monday 08-17 gives 8h, Tuesday 08-12 the other 4h.
    paused_overnight = SlaClock(
        calendar, at(2026, 11, 30, 8), [Pause(at(2026, 11, 30, 19), at(2026, 12, 1, 7))]
    )
    assert paused_overnight.due(12 * H) == plain.due(12 * H) == at(2026, 12, 1, 12)


@pytest.mark.parametrize(
    "pauses",
    [
        [Pause(at(2026, 11, 30, 7), at(2026, 11, 30, 9))],  # before the start
        [Pause(at(2026, 11, 30, 11)), Pause(at(2026, 11, 30, 12), at(2026, 11, 30, 13))],
        [Pause(at(2026, 11, 30, 11), at(2026, 11, 30, 10))],
    ],
)
def test_inconsistent_pauses_are_refused(pauses):
    with pytest.raises(ValueError, match="pause"):
        SlaClock(office_sao_paulo(), at(2026, 11, 30, 8), pauses)
