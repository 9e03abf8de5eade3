"""A ticket's SLA clock: a start instant, a calendar and the pauses in between.

Time spent waiting on the requester is a pause: it counts neither towards the elapsed
business time nor towards the due instants. Deadlines are always recomputed from the
original start and the full list of pauses, never patched incrementally, so that a change
of policy or priority mid-flight gives the same answer as if it had been set from the start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.sla.calendar import BusinessCalendar


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None = None  # None: still paused

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class SlaClock:
    calendar: BusinessCalendar
    started_at: datetime
    pauses: Sequence[Pause] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        previous_end = self.started_at
        for index, pause in enumerate(self.pauses):
            if pause.start < previous_end:
                raise ValueError("pauses must be in order, not overlap and start after the clock")
            if pause.end is None and index != len(self.pauses) - 1:
                raise ValueError("only the last pause may still be open")
            if pause.end is not None and pause.end < pause.start:
                raise ValueError("a pause cannot end before it starts")
            previous_end = pause.end or pause.start

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].is_open

    def due(self, target: timedelta) -> datetime | None:
        """When `target` business time will have run, or None while the clock is paused."""
        cursor, remaining = self.started_at, target
        for pause in self.pauses:
            available = self.calendar.between(cursor, pause.start)
            if remaining <= available:
                return self.calendar.add(cursor, remaining)
            remaining -= available
            if pause.end is None:
                return None
            cursor = pause.end
        return self.calendar.add(cursor, remaining)

    def elapsed(self, now: datetime) -> timedelta:
        """Business time that has run from the start until `now`, pauses excluded."""
        if now <= self.started_at:
            return timedelta(0)
        total = self.calendar.between(self.started_at, now)
        for pause in self.pauses:
            if pause.start >= now:
                break
            pause_end = now if pause.end is None else min(pause.end, now)
            total -= self.calendar.between(pause.start, pause_end)
        return total

    def paused_business_time(self, now: datetime) -> timedelta:
        """Business time spent paused until `now`."""
        return self.calendar.between(self.started_at, max(now, self.started_at)) - self.elapsed(now)
