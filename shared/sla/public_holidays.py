"""A country's public holidays, computed by the `holidays` library once, when the organisation
is loaded, and read as plain dates by the functions.

Importing `holidays` (with dateutil and six) is a noticeable share of a function's cold start,
and `holidays.country_holidays` imports all of the library's 170 countries. The loader therefore
writes each calendar's holiday dates for `SPAN` years into the directory document
(`holiday_dates`); a function asks the library itself only for a date outside those years,
loading the one module the library's registry names for the country (tests keep both equal to
the library).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

SPAN = range(2000, 2061)  # the years whose holidays the directory document carries
_PACKAGE = "holidays.countries"
_lock = threading.Lock()


def country_holidays(country: str, subdivision: str | None = None) -> Any:
    """The library's holidays object. Raises NotImplementedError, as the library does, for an
    unknown country or subdivision."""
    from holidays import registry

    for module, (class_name, *codes) in registry.COUNTRIES.items():
        if country in codes:
            return getattr(_module(module), class_name)(subdiv=subdivision)
    raise NotImplementedError(f"Country {country} is not available")


def holiday_dates(country: str, subdivision: str | None, years: range = SPAN) -> list[str]:
    """Every public holiday of `years`, as ISO dates, for the directory document."""
    public = country_holidays(country, subdivision)
    return sorted(day.isoformat() for year in years for day in _year(public, year))


def is_holiday(
    country: str, subdivision: str | None, dates: list[str] | None
) -> Callable[[date], bool]:
    """A date test from the stored dates, falling back to the library outside `SPAN` (or
    for all dates when none were stored)."""
    known = {date.fromisoformat(day) for day in dates or ()}
    library: list[Any] = []

    def test(day: date) -> bool:
        if dates is not None and day.year in SPAN:
            return day in known
        if not library:
            library.append(country_holidays(country, subdivision))
        return day in library[0]

    return test


def _year(public: Any, year: int) -> list[date]:
    date(year, 1, 1) in public  # noqa: B015 - the lookup fills in the whole year
    return [day for day in public if day.year == year]


def _module(name: str) -> Any:
    import holidays

    qualified = f"{_PACKAGE}.{name}"
    with _lock:
        if qualified in sys.modules or _PACKAGE in sys.modules:
            return importlib.import_module(qualified)
        path = Path(holidays.__file__).parent / "countries" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(qualified, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[qualified]
            raise
        return module
