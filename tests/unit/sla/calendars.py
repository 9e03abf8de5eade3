"""Calendars used by the SLA clock tests."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import holidays

from shared.sla import BusinessCalendar, WorkingHours

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NEW_YORK = ZoneInfo("America/New_York")


def hours(*texts: str) -> list[WorkingHours]:
    return [WorkingHours.parse(text) for text in texts]


def office_sao_paulo() -> BusinessCalendar:
    """Mon-Fri 08-12 and 13-17 in São Paulo, Brazilian and São Paulo holidays, Dec 24 closed."""
    public = holidays.country_holidays("BR", subdiv="SP")
    closed = {date(2026, 12, 24)}
    return BusinessCalendar(
        "America/Sao_Paulo",
        {weekday: hours("08:00-12:00", "13:00-17:00") for weekday in range(5)},
        lambda day: day in closed or day in public,
    )


def round_the_clock_new_york() -> BusinessCalendar:
    """Every day 00:00-24:00 in New York: the real length of a day changes with DST."""
    return BusinessCalendar("America/New_York", {d: hours("00:00-24:00") for d in range(7)})


def night_shift_new_york() -> BusinessCalendar:
    """Saturday 22:00 to Sunday 06:00 (past midnight), plus a weekday shift that overlaps."""
    return BusinessCalendar(
        "America/New_York",
        {5: hours("22:00-06:00"), 6: hours("05:00-07:00"), 0: hours("09:00-17:00")},
    )


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)
