"""What a manager asks for: a period, optional filters, a format and a language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.errors import BadRequest
from shared.reports.days import parse_day
from shared.reports.sla.catalog import LOCALES
from shared.reports.sla.figures import FILTERS

FORMATS = ("pdf", "csv", "json")
MAX_DAYS = 3 * 366
INLINE_DAYS = 93  # longer periods are rendered in the background and e-mailed as links


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date  # inclusive
    filters: dict[str, str] = field(default_factory=dict)
    format: str = "pdf"
    locale: str | None = None  # None: the manager's own language

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_args(self) -> dict[str, str]:
        args = {"from": self.start.isoformat(), "to": self.end.isoformat(), **self.filters}
        if self.locale:
            args["lang"] = self.locale
        return args


def parse_report_query(args: Mapping[str, str], today: date) -> ReportQuery:
    problems: list[tuple[str, str]] = []
    unknown = set(args) - {"from", "to", "format", "lang", *FILTERS}
    problems += [(name, "is not a parameter of the report") for name in sorted(unknown)]

    def day(name: str, default: date) -> date:
        if not args.get(name):
            return default
        try:
            return parse_day(args[name])
        except ValueError:
            problems.append((name, "must be a date as YYYY-MM-DD"))
            return default

    end = day("to", today)
    start = day("from", end.replace(day=1) if end.day > 1 else end - timedelta(days=30))
    if start > end:
        problems.append(("from", "must not come after 'to'"))
    if (end - start).days + 1 > MAX_DAYS:
        problems.append(("from", f"a period may be at most {MAX_DAYS} days"))
    kind = args.get("format") or "pdf"
    if kind not in FORMATS:
        problems.append(("format", "must be pdf, csv or json"))
    locale = args.get("lang") or None
    if locale is not None and locale not in LOCALES:
        problems.append(("lang", "must be pt-BR, es or en"))
    for name in FILTERS:
        if name in args and not 0 < len(args[name]) <= 100:
            problems.append((name, "must be between 1 and 100 characters"))
    if problems:
        raise BadRequest.from_problems("the report cannot be made", problems)
    filters = {name: args[name] for name in FILTERS if args.get(name)}
    return ReportQuery(start, end, filters, kind, locale)
