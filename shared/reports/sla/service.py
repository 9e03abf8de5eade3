"""Build the SLA report: read the period's rollups, compute the figures, name everything in
the reader's language. Its cost grows with the days of the period, not with the tickets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from shared import texts
from shared.domain.organisation import SlaPolicy
from shared.reports.sla.catalog import value_label
from shared.reports.sla.figures import BREAKDOWNS, compute, trend_by
from shared.reports.sla.query import ReportQuery
from shared.repositories.directory import Directory
from shared.repositories.rollup_fold import Folded
from shared.repositories.rollups import Rollups
from shared.repositories.watch_lists import WatchLists

WORST = 15  # lines of each list the report shows


class RollupReader(Protocol):
    """The period's rollup documents and lists (shared/repositories/rollups.py), and the
    hourly fold of their shards."""

    def fold(self) -> Folded: ...

    def read(self, start: date, end: date, by: str) -> Rollups: ...

    def lists(
        self,
        start: date,
        end: date,
        filters: dict[str, str],
        late_now: Callable[[dict], int],
        calendars: list[str],
        limit: int,
    ) -> WatchLists:
        """The lists' lines; `late_now` measures an open breach, `calendars` names every
        calendar a ticket may run on."""
        ...


DIMENSION_OF_FILTER = {"area": "requester_area", "department": "requester_department"}


@dataclass(frozen=True)
class Report:
    query: ReportQuery
    locale: str
    organisation: str
    currency: str
    generated_at: datetime
    zone: str
    figures: dict[str, Any]
    labels: dict[str, dict[str, str]]  # dimension -> value -> name
    policies: list[SlaPolicy]
    documents_read: int
    calendar_names: dict[str, str] = field(default_factory=dict)


def build_report(
    rollups: RollupReader,
    directory: Directory,
    query: ReportQuery,
    locale: str,
    now: datetime,
    full: bool = True,
) -> Report:
    """`full`: also the breached and at-risk tickets' lines and every breakdown (the PDF's and
    the JSON's); the console's dashboard shows the overall figures, the trend, the Pareto and
    the lists' counts only (which the rollups hold)."""
    settings = directory.settings()
    default_calendar = directory.calendar(settings.default_calendar)
    assert default_calendar is not None
    found = rollups.read(query.start, query.end, trend_by(query.start, query.end))

    def late_now(line: dict) -> int:
        calendar = directory.calendar(line["calendar"]) or default_calendar
        due = datetime.fromisoformat(line["due"])
        return int(calendar.between(due, now).total_seconds()) if now > due else 0

    calendars = [settings.default_calendar] + [p.calendar for p in directory.policies()]
    lists = (
        rollups.lists(query.start, query.end, query.filters, late_now, calendars, WORST)
        if full
        else WatchLists([], [])
    )
    breakdowns = BREAKDOWNS if full else ()
    figures = compute(found, query.filters, query.start, query.end, lists, breakdowns)
    wanted = set(figures["breakdowns"].get("policy", {}))
    if "policy" in query.filters:
        wanted.add(query.filters["policy"])
    policies = [
        p
        for p in directory.policies()
        if p.id in wanted or (p.active and not query.filters and not wanted)
    ]
    return Report(
        query=query,
        locale=locale,
        organisation=settings.name,
        currency=settings.currency,
        generated_at=now,
        zone=str(default_calendar.zone),
        figures=figures,
        labels=_labels(directory, figures, query.filters, locale),
        policies=policies,
        documents_read=found.documents + lists.documents,
        calendar_names={p.calendar: directory.calendar_name(p.calendar) for p in policies},
    )


def _labels(
    directory: Directory, figures: dict, filters: dict[str, str], locale: str
) -> dict[str, dict[str, str]]:
    values: dict[str, set[str]] = {
        name: set(figures["breakdowns"].get(name, {})) for name in BREAKDOWNS
    }
    values["asset"] = set(figures["by_asset"]) | {row["asset"] for row in figures["pareto"]}
    values["category"] = set(figures["by_category"]) | {
        category for row in figures["pareto"] for category, _ in row["top_categories"]
    }
    for name, value in filters.items():
        values.setdefault(DIMENSION_OF_FILTER.get(name, name), set()).add(value)
    assets = directory.lookup([], sorted(values["asset"]))[1]
    labels: dict[str, dict[str, str]] = {}
    for dimension, keys in values.items():
        labels[dimension] = {}
        for key in keys:
            labels[dimension][key] = _name(directory, dimension, key, locale, assets)
    return labels


def _name(directory: Directory, dimension: str, key: str, locale: str, assets: dict) -> str:
    if not key:
        return texts.report("other", locale)
    fixed = value_label(dimension, key, locale)
    if fixed:
        return fixed
    found: Any = None
    if dimension.endswith("area"):
        found = directory.area(key)
    elif dimension.endswith("department"):
        found = directory.department(key)
    elif dimension == "policy":
        found = directory.policy(key, include_withdrawn=True)
    elif dimension == "category":
        found = directory.category(key)
    elif dimension == "asset" and key in assets:
        return f"{key} · {assets[key].name}"
    if found is None:
        return key
    name = found.name
    return name if isinstance(name, str) else name.get(locale)
