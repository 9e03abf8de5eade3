"""Public holidays: the one-country loader and the stored dates give the library's own
holidays, and its errors."""

import subprocess
import sys
from datetime import date, timedelta

import holidays
import pytest

from shared.sla.public_holidays import SPAN, country_holidays, holiday_dates, is_holiday


def in_a_fresh_interpreter(script: str) -> str:
    """What `script` prints, run where nothing is imported yet."""
    answer = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return answer.stdout.strip()


@pytest.mark.parametrize(
    ("country", "subdivision"),
    [("BR", "SP"), ("BR", "MG"), ("BR", None), ("MX", None), ("US", "TX")],
)
def test_the_same_holidays_as_the_library(country, subdivision):
    ours = country_holidays(country, subdivision)
    theirs = holidays.country_holidays(country, subdiv=subdivision)
    for year in (2025, 2026, 2027, 2030):  # a lookup fills in its whole year
        assert (date(year, 6, 1) in ours) == (date(year, 6, 1) in theirs)
    assert dict(ours) == dict(theirs)
    assert date(2026, 1, 1) in ours


def test_sao_paulo_s_own_holidays_are_there():
    sao_paulo = country_holidays("BR", "SP")
    assert date(2026, 7, 9) in sao_paulo  # Revolução Constitucionalista
    assert date(2026, 7, 9) not in country_holidays("BR", "MG")


@pytest.mark.parametrize(("country", "subdivision"), [("XX", None), ("BR", "ZZ")])
def test_unknown_countries_and_subdivisions_are_refused_as_the_library_refuses_them(
    country, subdivision
):
    with pytest.raises(NotImplementedError):
        country_holidays(country, subdivision)


def test_only_the_country_asked_for_is_imported():
    script = (
        "import sys\n"
        "from shared.sla.public_holidays import country_holidays\n"
        "from datetime import date\n"
        "assert date(2026, 7, 9) in country_holidays('BR', 'SP')\n"
        "loaded = [name for name in sys.modules if name.startswith('holidays.countries')]\n"
        "print(sorted(loaded))\n"
    )
    assert in_a_fresh_interpreter(script) == "['holidays.countries.brazil']"


def test_stored_dates_answer_as_the_library_inside_the_span_and_the_library_outside():
    stored = holiday_dates("BR", "SP")
    from_dates = is_holiday("BR", "SP", stored)
    library = holidays.country_holidays("BR", subdiv="SP")
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 365 * 3, 1)]
    days += [date(1999, 12, 25), date(2061, 4, 21), date(2061, 6, 1)]  # outside the span
    assert [from_dates(day) for day in days] == [day in library for day in days]
    assert min(stored) >= f"{SPAN[0]}-01-01"
    assert max(stored) <= f"{SPAN[-1]}-12-31"


def test_stored_dates_need_no_import_of_the_library():
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from shared.sla.public_holidays import is_holiday\n"
        "test = is_holiday('BR', 'SP', ['2026-07-09'])\n"
        "assert test(date(2026, 7, 9)) and not test(date(2026, 7, 10))\n"
        "print('holidays' in sys.modules)\n"
    )
    assert in_a_fresh_interpreter(script) == "False"
