"""Hand-checked business-time cases: weekends, holidays, lunch breaks, midnight, DST."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.sla import BusinessCalendar, NoWorkingTimeError, WorkingHours
from tests.unit.sla.calendars import (
    NEW_YORK,
    SAO_PAULO,
    local,
    night_shift_new_york,
    office_sao_paulo,
    round_the_clock_new_york,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # Friday 16:00 + 4h: one hour on Friday, three on Monday morning.
        ((2026, 11, 27, 16, 0), 4 * H, (2026, 11, 30, 11, 0)),
        # Across the lunch break.
        ((2026, 11, 30, 11, 30), 1 * H, (2026, 11, 30, 13, 30)),
        # Thursday 16:00 + 2h: Friday 20 November is Consciência Negra (national holiday).
        ((2026, 11, 19, 16, 0), 2 * H, (2026, 11, 23, 9, 0)),
        # Christmas Eve closed by the organisation, Christmas a public holiday.
        ((2026, 12, 23, 16, 30), 1 * H, (2026, 12, 28, 8, 30)),
        # Started on Saturday night: the clock starts on Monday at 08:00.
        ((2026, 11, 28, 23, 0), 15 * M, (2026, 11, 30, 8, 15)),
        # Zero duration outside hours: the next working instant.
        ((2026, 11, 30, 12, 20), timedelta(0), (2026, 11, 30, 13, 0)),
        # Exactly filling a day ends at closing time, not at next morning's opening.
        ((2026, 11, 30, 8, 0), 8 * H, (2026, 11, 30, 17, 0)),
        # 40 business hours = one working week.
        ((2026, 11, 30, 8, 0), 40 * H, (2026, 12, 4, 17, 0)),
    ],
)
def test_add_in_an_office_calendar(start, duration, expected):
    due = office_sao_paulo().add(local(SAO_PAULO, *start), duration)
    assert due == local(SAO_PAULO, *expected)


def test_between_counts_only_working_hours():
    calendar = office_sao_paulo()
    friday_afternoon = local(SAO_PAULO, 2026, 11, 27, 15, 0)
    tuesday_morning = local(SAO_PAULO, 2026, 12, 1, 9, 30)
    # Friday 15-17 (2h) + Monday 8h + Tuesday 1h30.
    assert calendar.between(friday_afternoon, tuesday_morning) == 11 * H + 30 * M
    assert calendar.between(tuesday_morning, friday_afternoon) == -(11 * H + 30 * M)


def test_a_day_is_23_hours_when_clocks_spring_forward():
    calendar = round_the_clock_new_york()
    midnight = local(NEW_YORK, 2026, 3, 8, 0, 0)
    next_midnight = local(NEW_YORK, 2026, 3, 9, 0, 0)
    assert calendar.between(midnight, next_midnight) == 23 * H
    assert calendar.add(midnight, 23 * H) == next_midnight
    assert calendar.add(midnight, 3 * H).astimezone(NEW_YORK).hour == 4


def test_a_day_is_25_hours_when_clocks_fall_back():
    calendar = round_the_clock_new_york()
    midnight = local(NEW_YORK, 2026, 11, 1, 0, 0)
    assert calendar.between(midnight, local(NEW_YORK, 2026, 11, 2, 0, 0)) == 25 * H


def test_night_shift_runs_past_midnight_and_through_the_dst_change():
    calendar = night_shift_new_york()
    # Saturday 31 October 2026 22:00 to Sunday 06:00 is 9 real hours (clocks fall back at 02:00);
    # the Sunday 05:00-07:00 shift overlaps it and only adds 06:00-07:00.
    saturday_evening = local(NEW_YORK, 2026, 10, 31, 21, 0)
    sunday_noon = local(NEW_YORK, 2026, 11, 1, 12, 0)
    assert calendar.between(saturday_evening, sunday_noon) == 10 * H
    assert calendar.add(saturday_evening, 10 * H) == local(NEW_YORK, 2026, 11, 1, 7, 0)
    # The next hour of work is Monday 09:00-10:00.
    assert calendar.add(saturday_evening, 11 * H) == local(NEW_YORK, 2026, 11, 2, 10, 0)


def test_results_are_instants_comparable_across_zones():
    due = office_sao_paulo().add(datetime(2026, 11, 30, 11, 0, tzinfo=UTC), 1 * H)
    assert due == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # 09:00 -03:00 + 1h


def test_a_calendar_without_working_time_is_reported():
    calendar = BusinessCalendar("UTC", {})
    with pytest.raises(NoWorkingTimeError):
        calendar.add(datetime(2026, 1, 1, tzinfo=UTC), H)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        office_sao_paulo().add(datetime(2026, 11, 30, 9, 0), H)


@pytest.mark.parametrize("text", ["7-12", "07:00", "07:00-12:00:30", "25:00-26:00"])
def test_bad_working_hours_are_refused(text):
    with pytest.raises(ValueError, match="working hours"):
        WorkingHours.parse(text)
