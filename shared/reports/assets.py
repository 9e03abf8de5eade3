"""Per-asset figures for managers: history, costs, Pareto of incident categories, MTTR, MTBF
and availability, all from aggregation queries (count and sum on the server), so
their cost grows with the number of categories and currencies, never with tickets.

Each ticket keeps its own exact totals (cents per currency, downtime seconds), updated in the
same write as the change that caused them; the figures here are therefore always consistent
with the tickets, however often an event was delivered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from shared.domain.ticket import Ticket
from shared.reports.spreadsheet import money_columns, spreadsheet_time

Where = tuple[str, str, Any]


class TicketQueries(Protocol):
    """The tickets as reports ask of them (shared/repositories/ticket_queries.py)."""

    def aggregate(self, where: Sequence[Where], sums: dict[str, str]) -> dict[str, float]: ...

    def newest(self, where: Sequence[Where], limit: int) -> list[Ticket]: ...

    def created_between(
        self, since: datetime, until: datetime, where: Sequence[Where] = ()
    ) -> Iterator[Ticket]: ...


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time(0), zone),
            datetime.combine(self.end + timedelta(days=1), time(0), zone),
        )


def period_of(args, today: date, longest: int | None = None) -> Period:
    """`from` and `to` (YYYY-MM-DD, inclusive), by default the year up to today; at most
    `longest` days. BadRequest names what is wrong."""
    from shared.errors import BadRequest
    from shared.reports.days import parse_day

    try:
        end = parse_day(args.get("to") or today.isoformat())
        start = parse_day(args.get("from") or (end - timedelta(days=365)).isoformat())
    except ValueError:
        raise BadRequest.from_problems("bad period", [("from", "dates as YYYY-MM-DD")]) from None
    if start > end:
        raise BadRequest.from_problems("bad period", [("from", "must not come after 'to'")])
    if longest is not None and (end - start).days >= longest:
        raise BadRequest.from_problems("bad period", [("from", f"at most {longest} days")])
    return Period(start, end)


def _tickets_of(tag: str, since: datetime, until: datetime) -> list[Where]:
    # index: tickets(asset.tag ASC, created_at ASC)
    # with type (incidents): index: tickets(asset.tag ASC, type ASC, created_at ASC)
    return [("asset.tag", "==", tag), ("created_at", ">=", since), ("created_at", "<", until)]


PARETO_ORDERS = ("count", "downtime", "money")


def asset_figures(
    queries: TicketQueries,
    tag: str,
    period: Period,
    zone: ZoneInfo,
    categories: list[str],
    currencies: list[str],
    order: str = "count",
) -> dict:
    since, until = period.bounds(zone)
    base = _tickets_of(tag, since, until)
    aggregate = queries.aggregate
    money = {f"cost_{c}": f"cost_cents.{c}" for c in currencies}
    everything = aggregate(base, {"downtime": "downtime_seconds", **money})
    incidents_query = [*base, ("type", "==", "incident")]
    incidents = aggregate(incidents_query, {"downtime": "downtime_seconds"})
    # index: tickets(asset.tag ASC, type ASC, downtime_recorded ASC, created_at ASC)
    repaired = aggregate(
        [*incidents_query, ("downtime_recorded", "==", True)],
        {"downtime": "downtime_seconds"},
    )
    loss = {}
    for currency in currencies:
        # index: tickets(asset.tag ASC, loss_currency ASC, created_at ASC)
        found = aggregate([*base, ("loss_currency", "==", currency)], {"loss": "loss_cents"})
        if found["loss"]:
            loss[currency] = int(found["loss"])
    pareto = []
    for category in categories:
        # index: tickets(asset.tag ASC, type ASC, category ASC, created_at ASC)
        # and by currency:
        # index: tickets(asset.tag ASC, type ASC, category ASC, loss_currency ASC, created_at ASC)
        query = [*incidents_query, ("category", "==", category)]
        row = aggregate(query, {"downtime": "downtime_seconds"})
        if not row["count"]:
            continue
        money_by_currency = {}
        for currency in currencies:
            lost = aggregate(
                [*query, ("loss_currency", "==", currency)],
                {"loss": "loss_cents"},
            )
            if lost["loss"]:
                money_by_currency[currency] = int(lost["loss"])
        pareto.append(
            {
                "category": category,
                "incidents": int(row["count"]),
                "downtime_seconds": int(row["downtime"]),
                "loss_cents": money_by_currency,
            }
        )
    keys = {
        "count": lambda item: (-item["incidents"], -item["downtime_seconds"]),
        "downtime": lambda item: (-item["downtime_seconds"], -item["incidents"]),
        "money": lambda item: (-sum(item["loss_cents"].values()), -item["incidents"]),
    }
    pareto.sort(key=keys[order])
    period_seconds = max(1.0, (min(until, datetime.now(zone)) - since).total_seconds())
    failures = int(incidents["count"])
    downtime = float(incidents["downtime"])
    return {
        "asset": tag,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "tickets": int(everything["count"]),
        "incidents": failures,
        "costs_cents": {
            c: int(everything[f"cost_{c}"]) for c in currencies if everything[f"cost_{c}"]
        },
        "loss_cents": loss,
        "downtime_seconds": int(downtime),
        "mttr_seconds": int(repaired["downtime"] / repaired["count"])
        if repaired["count"]
        else None,
        "mtbf_seconds": int((period_seconds - downtime) / failures) if failures else None,
        "availability_percent": round(100 * (period_seconds - downtime) / period_seconds, 3),
        "pareto": pareto,
    }


def asset_history(queries: TicketQueries, tag: str, limit: int = 1000) -> list[Ticket]:
    """The asset's requests and incidents, newest first, each with the date it happened."""
    # index: tickets(asset.tag ASC, created_at DESC)
    return queries.newest([("asset.tag", "==", tag)], limit)


HISTORY_COLUMNS = (
    "date",
    "number",
    "type",
    "category",
    "priority",
    "status",
    "title",
    "downtime_minutes",
    "costs",
    "costs_currency",
    "costs_other",
    "loss",
    "loss_currency",
    "resolved_at",
    "id",
)


def history_row(ticket: Ticket, zone: ZoneInfo, currency: str, for_csv: bool = False) -> dict:
    """One ticket of an asset's history: amounts as text for JSON readers ("BRL 2087.50"),
    as numbers with their currency apart for spreadsheets."""
    row = {
        "number": ticket.number,
        "type": ticket.type,
        "category": ticket.category,
        "priority": ticket.priority,
        "status": ticket.status,
        "title": ticket.title,
        "downtime_minutes": ticket.downtime_seconds // 60,
        "id": ticket.id,
    }
    if for_csv:
        when = spreadsheet_time(zone)
        loss = {ticket.loss_currency: ticket.loss_cents} if ticket.loss_currency else {}
        return {
            **row,
            "date": when(ticket.created_at),
            "resolved_at": when(ticket.resolved_at),
            **money_columns("costs", ticket.cost_cents, currency),
            "loss": money_columns("loss", loss, currency)["loss"],
            "loss_currency": ticket.loss_currency,
        }
    costs = "; ".join(f"{c} {cents / 100:.2f}" for c, cents in sorted(ticket.cost_cents.items()))
    loss_text = (
        f"{ticket.loss_currency} {ticket.loss_cents / 100:.2f}" if ticket.loss_currency else ""
    )
    return {
        **row,
        "date": ticket.created_at.astimezone(zone).isoformat(),
        "costs": costs,
        "loss": loss_text,
        "resolved_at": ticket.resolved_at.astimezone(zone).isoformat()
        if ticket.resolved_at
        else "",
    }
