"""Dates in managers' queries: ISO days within the years a help desk can hold tickets."""

from __future__ import annotations

from datetime import date

EARLIEST, LATEST = date(1970, 1, 1), date(2199, 12, 31)


def parse_day(text: str) -> date:
    """YYYY-MM-DD between 1970 and 2199; ValueError otherwise (a date far outside would
    overflow the period's arithmetic, not just find nothing)."""
    day = date.fromisoformat(text)
    if not EARLIEST <= day <= LATEST or len(text) != 10:
        raise ValueError(f"{text!r} is not a day between {EARLIEST} and {LATEST}")
    return day
