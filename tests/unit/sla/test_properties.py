"""Properties of business-time arithmetic, checked by hypothesis over several calendars."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.sla import Pause, SlaClock
from tests.unit.sla.calendars import (
    night_shift_new_york,
    office_sao_paulo,
    round_the_clock_new_york,
)

CALENDARS = [office_sao_paulo(), round_the_clock_new_york(), night_shift_new_york()]

calendars = st.sampled_from(CALENDARS)
instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))
durations = st.integers(min_value=0, max_value=200 * 60).map(
    lambda minutes: timedelta(minutes=minutes)
)

settings.register_profile("default", max_examples=300, deadline=None)
settings.load_profile("default")


@given(calendars, instants, durations)
def test_measuring_what_was_added_gives_it_back(calendar, start, duration):
    assert calendar.between(start, calendar.add(start, duration)) == duration


@given(calendars, instants, durations)
def test_a_due_instant_never_lies_outside_working_hours(calendar, start, duration):
    due = calendar.add(start, duration)
    assert due >= start
    assert calendar.is_working_instant(due)


@given(calendars, instants, durations, durations)
def test_adding_more_never_ends_earlier(calendar, start, first, second):
    shorter, longer = sorted((first, second))
    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@given(calendars, instants, instants, durations)
def test_starting_later_never_ends_earlier(calendar, first, second, duration):
    earlier, later = sorted((first, second))
    assert calendar.add(earlier, duration) <= calendar.add(later, duration)


@given(calendars, instants, instants)
def test_adding_what_was_measured_reaches_the_same_business_instant(calendar, first, second):
    start, end = sorted((first, second))
    reached = calendar.add(start, calendar.between(start, end))
    # Not always `end` itself: from a closed instant, zero business time is the next opening.
    assert calendar.between(reached, end) == timedelta(0)
    assert calendar.between(start, reached) == calendar.between(start, end)


@given(calendars, instants, instants, instants)
def test_measuring_is_additive(calendar, a, b, c):
    a, b, c = sorted((a, b, c))
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)


pause_spans = st.lists(st.tuples(st.integers(0, 72 * 60), st.integers(0, 72 * 60)), max_size=4)


@given(calendars, instants, pause_spans, durations)
def test_a_paused_clock_is_due_when_its_elapsed_time_reaches_the_target(
    calendar, start, spans, target
):
    pauses, cursor = [], start
    for gap, length in spans:
        pause_start = cursor + timedelta(minutes=gap)
        cursor = pause_start + timedelta(minutes=length)
        pauses.append(Pause(pause_start, cursor))
    clock = SlaClock(calendar, start, pauses)
    due = clock.due(target)
    assert clock.elapsed(due) == target
    assert clock.elapsed(due) <= clock.elapsed(due + timedelta(minutes=1))


def walked(calendar, start, duration):
    """`add` as it was before it passed whole weeks and days: interval by interval."""
    cursor, remaining = start.astimezone(UTC), duration
    for span_start, span_end in calendar._intervals_from(cursor):
        if span_end <= cursor:
            continue
        begin = max(span_start, cursor)
        if remaining <= span_end - begin:
            return begin + remaining
        remaining -= span_end - begin
        cursor = span_end
    raise AssertionError("unreachable")


long_durations = st.integers(min_value=0, max_value=400 * 60).map(
    lambda minutes: timedelta(minutes=minutes)
)


@given(calendars, instants, long_durations)
def test_passing_whole_weeks_and_days_lands_where_walking_does(calendar, start, duration):
    assert calendar.add(start, duration) == walked(calendar, start, duration)


def _demo_calendars():
    from pathlib import Path

    from shared.orgconfig import read_organisation

    org = read_organisation(Path(__file__).resolve().parents[3] / "config/demo-organisation.yaml")
    return [spec.build() for spec in org.calendars]  # national and local holidays, three shifts


@given(st.sampled_from(_demo_calendars()), instants, long_durations)
def test_on_the_demo_calendars_with_holidays_too(calendar, start, duration):
    assert calendar.add(start, duration) == walked(calendar, start, duration)
