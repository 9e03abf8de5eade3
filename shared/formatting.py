"""Dates and durations as a person reads them, in their language (Babel)."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date, format_time

from shared.sla import BusinessCalendar


def format_when(instant: datetime, calendar: BusinessCalendar, locale: str) -> str:
    """In the calendar's zone, to the minute, with its offset: 1 de dez. de 2026 15:00 (-03:00)."""
    local = calendar.localize(instant)
    babel_locale = locale.replace("-", "_")
    day = format_date(local, format="medium", locale=babel_locale)
    hour = format_time(local, format="short", tzinfo=local.tzinfo, locale=babel_locale)
    text = f"{day} {hour}"
    offset = local.strftime("%z")
    return f"{text} ({offset[:3]}:{offset[3:]})"


def format_business_time(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def clock(seconds: float) -> str:
    """A video's duration as players show it, the same in every language: 0:07, 12:00,
    1:02:03."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
