"""Business calendars and the two operations an SLA needs from them.

A calendar knows, for each local date, the working intervals of that date as UTC instants.
`add` passes whole weeks, then whole days, whose working time it has summed once, and walks
the intervals of the day the due instant lies in (never minute by minute): a long deadline
costs about one step per week; `between` sums their overlap with a span. All arithmetic is on
UTC instants: subtracting two aware datetimes that share a tzinfo compares wall clocks, which is
wrong across a DST change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]

# How far `add` looks ahead before concluding that a calendar never opens.
_SEARCH_HORIZON_DAYS = 3 * 366
_BLOCK_DAYS = 128  # days of cumulative working time computed at once
_ZERO, _ONE_DAY = timedelta(0), timedelta(days=1)


class NoWorkingTimeError(ValueError):
    """The calendar has no working time in the searched horizon (misconfigured calendar)."""


@dataclass(frozen=True)
class WorkingHours:
    """One working interval of a weekday, in local wall-clock time.

    An `end` at or before `start` runs past midnight into the next day (a night shift
    22:00-06:00); `end` 00:00 means midnight. The interval belongs to the day it starts on,
    so a holiday closes the shift that starts on it.
    """

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Parse "07:00-12:00" (also "22:00-06:00" and "00:00-24:00")."""
        try:
            start_text, end_text = (part.strip() for part in text.split("-"))
            start = time.fromisoformat(start_text)
            end = time(0) if end_text == "24:00" else time.fromisoformat(end_text)
        except ValueError:
            raise ValueError(f"working hours must look like 07:00-12:00, not {text!r}") from None
        if start.second or end.second or start.microsecond or end.microsecond:
            raise ValueError(f"working hours are given to the minute: {text!r}")
        return cls(start, end)

    def on(self, day: date, zone: ZoneInfo) -> Interval:
        """This interval on a local date, as UTC instants."""
        end_day = day if self.end > self.start else day + timedelta(days=1)
        start_at = datetime.combine(day, self.start, zone).astimezone(UTC)
        end_at = datetime.combine(end_day, self.end, zone).astimezone(UTC)
        return start_at, end_at


class BusinessCalendar:
    """Working hours per weekday, in one time zone, minus closed days."""

    def __init__(
        self,
        timezone: str,
        weekly_hours: Mapping[int, Sequence[WorkingHours]],
        is_closed: Callable[[date], bool] = lambda day: False,
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self._weekly = {weekday: tuple(weekly_hours.get(weekday, ())) for weekday in range(7)}
        self._is_closed = is_closed
        self._days: dict[date, tuple[Interval, ...]] = {}
        self._blocks: dict[int, _Block] = {}

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """The working intervals that start on a local date, sorted, as UTC instants."""
        cached = self._days.get(day)
        if cached is None:
            if self._is_closed(day):
                cached = ()
            else:
                spans = (hours.on(day, self.zone) for hours in self._weekly[day.weekday()])
                cached = tuple(sorted(span for span in spans if span[1] > span[0]))
            self._days[day] = cached
        return cached

    def _block(self, day: date) -> tuple[_Block, int]:
        """The block of `_BLOCK_DAYS` days holding `day`, and the day's index in it."""
        ordinal = day.toordinal()
        number, index = divmod(ordinal, _BLOCK_DAYS)
        block = self._blocks.get(number)
        if block is None:
            first = date.fromordinal(number * _BLOCK_DAYS)
            before = self.intervals_on(first - _ONE_DAY)
            last_end = max((end for _, end in before), default=None)
            starts, cumulative, carry = [], [_ZERO], [last_end]
            total = _ZERO
            for offset in range(_BLOCK_DAYS):
                spans = self.intervals_on(first + timedelta(days=offset))
                starts.append(spans[0][0] if spans else None)
                for start, end in spans:
                    if last_end is not None and start < last_end:
                        start = last_end
                    if end > start:
                        total += end - start
                        last_end = end
                cumulative.append(total)
                carry.append(last_end)
            block = self._blocks[number] = _Block(tuple(starts), tuple(cumulative), tuple(carry))
        return block, index

    def _skip(
        self, day: date, cursor: datetime, last_end: datetime | None, remaining: timedelta
    ) -> tuple[date, datetime | None, timedelta]:
        """From `day`, pass the whole days whose working time is less than `remaining`, found
        by bisecting the cumulative working time of blocks of days; the day the due instant
        lies in is then walked interval by interval. Only from a day whose first interval
        begins after the cursor and after the work before it (as walked here, and as summed
        in the block): from there on, both count the same intervals the same way."""
        while True:
            block, index = self._block(day)
            start = block.starts[index]
            if start is None or start < cursor:
                return day, last_end, remaining
            carry = block.carry[index]
            if (last_end is not None and start < last_end) or (carry is not None and start < carry):
                return day, last_end, remaining
            target = block.cumulative[index] + remaining
            found = bisect_left(block.cumulative, target, lo=index) - 1  # its total < remaining
            if found == index:
                return day, last_end, remaining
            remaining -= block.cumulative[found] - block.cumulative[index]
            last_end = block.carry[found]
            day += timedelta(days=found - index)
            if found < _BLOCK_DAYS:
                return day, last_end, remaining
            # the whole block passed: on to the next one (if it has work at its start)

    def _intervals_from(self, instant: datetime) -> Iterator[Interval]:
        """Working intervals in time order, from the one that may contain `instant` on.

        Starts a day early to catch a night shift begun the day before. Overlapping
        intervals are clipped so that no working time is counted twice.
        """
        day = instant.astimezone(self.zone).date() - timedelta(days=1)
        last_end: datetime | None = None
        idle_days = 0
        while idle_days <= _SEARCH_HORIZON_DAYS:
            spans = self.intervals_on(day)
            idle_days = 0 if spans else idle_days + 1
            for start, end in spans:
                if last_end is not None and start < last_end:
                    start = last_end
                if end > start:
                    last_end = end
                    yield start, end
            day += timedelta(days=1)
        raise NoWorkingTimeError(
            f"no working time within {_SEARCH_HORIZON_DAYS} days after {instant.isoformat()}"
        )

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which `duration` of business time has passed since `start`.

        A zero duration gives the next working instant at or after `start` (a clock started
        at night starts running when work begins). The result always lies in a working
        interval, its closing instant included.
        """
        if duration < timedelta(0):
            raise ValueError("business time to add must not be negative")
        cursor = _utc(start)
        remaining = duration
        day = cursor.astimezone(self.zone).date() - timedelta(days=1)
        last_end: datetime | None = None
        idle_days = 0
        first_whole = day + timedelta(days=2)  # the first day that may begin after the cursor
        while idle_days <= _SEARCH_HORIZON_DAYS:
            if day >= first_whole and remaining > _ZERO:
                day, last_end, remaining = self._skip(day, cursor, last_end, remaining)
                cursor = max(cursor, last_end) if last_end is not None else cursor
            spans = self.intervals_on(day)
            idle_days = 0 if spans else idle_days + 1
            for span_start, span_end in spans:
                if last_end is not None and span_start < last_end:
                    span_start = last_end
                if span_end <= span_start:
                    continue
                last_end = span_end
                if span_end <= cursor:
                    continue
                begin = max(span_start, cursor)
                available = span_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
                cursor = span_end
            day += _ONE_DAY
        raise NoWorkingTimeError(
            f"no working time within {_SEARCH_HORIZON_DAYS} days after {start.isoformat()}"
        )

    def working_days_after(self, instant: datetime, count: int) -> list[Interval]:
        """The next `count` working days after the local date of `instant`, each as its first
        start and last end (the auto-close counts whole business days)."""
        day = _utc(instant).astimezone(self.zone).date()
        found: list[Interval] = []
        idle_days = 0
        while len(found) < count:
            day += _ONE_DAY
            spans = self.intervals_on(day)
            if spans:
                found.append((spans[0][0], max(end for _, end in spans)))
                idle_days = 0
            else:
                idle_days += 1
                if idle_days > _SEARCH_HORIZON_DAYS:
                    raise NoWorkingTimeError(f"no working day after {instant.isoformat()}")
        return found

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from `start` to `end` (negative when `end` comes first)."""
        start, end = _utc(start), _utc(end)
        if end < start:
            return -self.between(end, start)
        total = timedelta(0)
        for span_start, span_end in self._intervals_from(start):
            if span_start >= end:
                break
            overlap = min(span_end, end) - max(span_start, start)
            if overlap > timedelta(0):
                total += overlap
        return total

    def is_working_instant(self, instant: datetime) -> bool:
        """Whether `instant` lies in a working interval (both ends included)."""
        instant = _utc(instant)
        for span_start, span_end in self._intervals_from(instant):
            if span_start > instant:
                return False
            if instant <= span_end:
                return True
        return False  # pragma: no cover

    def localize(self, instant: datetime) -> datetime:
        """The instant in the calendar's own time zone (for display and ISO 8601 output)."""
        return _utc(instant).astimezone(self.zone)


@dataclass(frozen=True)
class _Block:
    """Working time of `_BLOCK_DAYS` consecutive days, clipped as `add` walks it."""

    starts: tuple[datetime | None, ...]  # each day's first interval start (None: closed)
    cumulative: tuple[timedelta, ...]  # working time before each day (and after the last)
    carry: tuple[datetime | None, ...]  # where the work before each day ends


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("business-time arithmetic needs timezone-aware datetimes")
    return instant.astimezone(UTC)
