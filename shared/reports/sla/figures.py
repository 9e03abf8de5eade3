"""The SLA report's figures, computed from the daily rollups (never from the tickets).

Compliance counts a clock as met when it stopped within the policy's business time and no
breach was recorded, and as missed when it was late or a breach was recorded; clocks still
running and not yet late count in neither. Percentiles are nearest-rank over the histograms'
buckets (`report_share.TIERS`): whole business minutes below 4 hours, then the lower bound of
a 10-minute, 1-hour or 8-hour bucket; means are over seconds, exact.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.domain.report_share import decode_dims
from shared.repositories.rollups import Rollups
from shared.repositories.watch_lists import WatchLists

BREAKDOWNS = (
    "type",
    "priority",
    "policy",
    "requester_area",
    "requester_department",
    "responsible_area",
    "responsible_department",
)
FILTERS = ("area", "department", "type", "priority", "policy", "asset")


@dataclass
class Tally:
    """Summed metrics of a set of cells."""

    values: Counter = field(default_factory=Counter)
    response_minutes: Counter = field(default_factory=Counter)
    resolution_minutes: Counter = field(default_factory=Counter)
    cost: Counter = field(default_factory=Counter)
    loss: Counter = field(default_factory=Counter)
    expense: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    ratings: Counter = field(default_factory=Counter)
    # Groups that show no durations (trend, assets, categories) skip the histograms' cost.
    with_times: bool = True

    def add(self, cell: dict[str, Any]) -> None:
        for name, value in cell.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.values[name] += int(value)
        if self.with_times:  # bucket keys ("m37") as stored: read as minutes once, at the end
            self.response_minutes.update(cell.get("resp_m") or {})
            self.resolution_minutes.update(cell.get("res_m") or {})
        self.cost.update(_positive(cell.get("cost")))
        self.loss.update(_positive(cell.get("loss")))
        for category, money in (cell.get("expense") or {}).items():
            self.expense[category].update(_positive(money))
        self.ratings.update({int(k[1:]): v for k, v in (cell.get("ratings") or {}).items() if v})

    def merge(self, other: Tally) -> None:
        self.values.update(other.values)
        if self.with_times:
            self.response_minutes.update(other.response_minutes)
            self.resolution_minutes.update(other.resolution_minutes)
        self.cost.update(other.cost)
        self.loss.update(other.loss)
        for category, money in other.expense.items():
            self.expense[category].update(money)
        self.ratings.update(other.ratings)

    def figures(self) -> dict[str, Any]:
        v = self.values
        return {
            "tickets": v["n"],
            "open": v["open"],
            "cancelled": v["cancelled"],
            "breached": v["breached"],
            "at_risk": v["at_risk"],
            "response": _clock(
                v["resp_met"], v["resp_missed"], v["resp_s"], self.response_minutes, self.with_times
            ),
            "resolution": _clock(
                v["res_met"], v["res_missed"], v["res_s"], self.resolution_minutes, self.with_times
            ),
            "cost_cents": dict(sorted(self.cost.items())),
            "loss_cents": dict(sorted(self.loss.items())),
            "downtime_seconds": v["downtime_s"],
            "rating": {
                "count": v["rated"],
                "mean": round(v["rating_sum"] / v["rated"], 2) if v["rated"] else None,
                "distribution": {str(score): self.ratings.get(score, 0) for score in range(1, 6)},
            },
        }


def _positive(money: dict[str, int] | None) -> dict[str, int]:
    return {k: v for k, v in (money or {}).items() if v}


def percentile(histogram: Counter, p: float) -> int | None:
    """Nearest rank: the smallest value with at least p% of the observations at or below
    (keys are minutes, or histogram buckets as stored: "m37")."""
    histogram = Counter(
        {(int(k[1:]) if isinstance(k, str) else k): v for k, v in histogram.items() if v > 0}
    )
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(p / 100 * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover - unreachable with a positive total


def _clock(
    met: int, missed: int, seconds: int, minutes: Counter, with_times: bool
) -> dict[str, Any]:
    compliance = {
        "met": met,
        "missed": missed,
        "compliance_percent": round(100 * met / (met + missed), 1) if met + missed else None,
    }
    if not with_times:
        return compliance
    measured = sum(minutes.values())
    return {
        **compliance,
        "measured": measured,
        "mean_minutes": round(seconds / measured / 60, 1) if measured else None,
        "median_minutes": percentile(minutes, 50),
        "p90_minutes": percentile(minutes, 90),
    }


def matches(dims: dict[str, str], filters: dict[str, str]) -> bool:
    """Area and department match either side (requester or responsible), as in the lists."""
    for name, wanted in filters.items():
        if name in ("area", "department"):
            if wanted not in (dims[f"requester_{name}"], dims[f"responsible_{name}"]):
                return False
        elif dims[name] != wanted:
            return False
    return True


def _cells(
    rollups: Rollups, filters: dict[str, str]
) -> Iterable[tuple[date, dict[str, str], dict]]:
    decoded: dict[str, dict[str, str]] = {}
    for when, cells in rollups.parts:
        for cell in cells.values():
            if "dims" not in cell:  # pragma: no cover - every cell written names them
                continue
            text = cell["dims"]
            if text not in decoded:
                decoded[text] = decode_dims(text)
            if matches(decoded[text], filters):
                yield when, decoded[text], cell


def trend_by(start: date, end: date) -> str:
    return "week" if (end - start).days <= 92 else "month"


def trend_bucket(day: date, by: str) -> date:
    return day - timedelta(days=day.weekday()) if by == "week" else day.replace(day=1)


# Priorities read from the most urgent down; other dimensions alphabetically.
_PRIORITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _order(dimension: str):
    if dimension == "priority":
        return lambda key: (_PRIORITY_ORDER.get(key, len(_PRIORITY_ORDER)), key)
    return lambda key: key


def compute(
    rollups: Rollups,
    filters: dict[str, str],
    start: date,
    end: date,
    lists: WatchLists,
    breakdowns: tuple[str, ...] = BREAKDOWNS,
) -> dict[str, Any]:
    """Every figure of the report; the lists' first lines are read apart (from the tickets).
    `breakdowns`: the dimensions broken down (the type's always: it makes the overall)."""
    overall = Tally()
    names = tuple(dict.fromkeys(("type", *breakdowns)))
    by: dict[str, dict[str, Tally]] = {name: defaultdict(Tally) for name in names}
    by_bucket = trend_by(start, end)
    trend: dict[date, Tally] = defaultdict(lambda: Tally(with_times=False))
    by_asset: dict[str, Tally] = defaultdict(lambda: Tally(with_times=False))
    by_category: dict[str, Tally] = defaultdict(lambda: Tally(with_times=False))
    incidents_by_asset: Counter = Counter()
    asset_categories: dict[str, Counter] = defaultdict(Counter)
    # The same dimensions recur day after day: sum them per trend bucket first, so that each
    # grouping below merges one tally per (bucket, dimensions), not one per day.
    # The histograms are summed once per dimensions over the whole period (the trend shows no
    # durations): their cost does not grow with the weeks.
    combined: dict[tuple[date, tuple], tuple[dict[str, str], Tally]] = {}
    timed: dict[tuple, tuple[dict[str, str], Tally]] = {}
    for when, dims, cell in _cells(rollups, filters):
        values = tuple(dims.values())
        key = (trend_bucket(when, by_bucket), values)
        if key not in combined:
            combined[key] = (dims, Tally(with_times=False))
        combined[key][1].add(cell)
        if values not in timed:
            timed[values] = (dims, Tally())
        timed[values][1].add(cell)
    for dims, tally in timed.values():
        if tally.values["n"]:  # zero: its tickets moved to other cells (the shards' sum)
            for name in names:
                by[name][dims[name]].merge(tally)
    for (bucket, _), (dims, tally) in combined.items():
        if not tally.values["n"]:
            continue
        trend[bucket].merge(tally)
        by_category[dims["category"]].merge(tally)
        if dims["asset"]:
            by_asset[dims["asset"]].merge(tally)
            if dims["type"] == "incident":
                incidents_by_asset[dims["asset"]] += tally.values["n"]
                asset_categories[dims["asset"]][dims["category"]] += tally.values["n"]
    for tally in by["type"].values():  # the types partition every ticket
        overall.merge(tally)
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "filters": filters,
        "overall": overall.figures(),
        "breakdowns": {
            name: {key: groups[key].figures() for key in sorted(groups, key=_order(name))}
            for name, groups in by.items()
        },
        "trend": {
            "by": by_bucket,
            "points": [
                {"start": bucket.isoformat(), **tally.figures()}
                for bucket, tally in sorted(trend.items())
            ],
        },
        "by_asset": {key: tally.figures() for key, tally in sorted(by_asset.items())},
        "by_category": {key: tally.figures() for key, tally in sorted(by_category.items())},
        "expense_by_category": {
            category: dict(sorted(money.items()))
            for category, money in sorted(overall.expense.items())
            if any(money.values())
        },
        "pareto": _pareto(incidents_by_asset, asset_categories),
        "breached": {"count": overall.values["w_breached"], "worst": lists.breached},
        "at_risk": {"count": overall.values["w_at_risk"], "soonest": lists.at_risk},
    }


def _pareto(incidents: Counter, categories: dict[str, Counter]) -> list[dict]:
    total = sum(incidents.values())
    rows, running = [], 0
    for asset, count in sorted(incidents.items(), key=lambda item: (-item[1], item[0])):
        running += count
        rows.append(
            {
                "asset": asset,
                "incidents": count,
                "cumulative_percent": round(100 * running / total, 1),
                "top_categories": sorted(
                    categories[asset].items(), key=lambda item: (-item[1], item[0])
                )[:3],
            }
        )
    return rows
