"""Dates and durations as a person reads them, in their language (Babel)."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_datetime

from shared.sla import BusinessCalendar


def format_when(instant: datetime, calendar: BusinessCalendar, locale: str) -> str:
    """ "1 de dez. de 2026 15:00:00 (-03:00)": in the calendar's zone, with its offset."""
    local = calendar.localize(instant)
    text = format_datetime(local, format="medium", locale=locale.replace("-", "_"))
    offset = local.strftime("%z")
    return f"{text} ({offset[:3]}:{offset[3:]})"


def format_business_time(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"
