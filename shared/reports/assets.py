"""Per-asset figures for managers: history, costs, Pareto of incident categories, MTTR, MTBF
and availability, all from Firestore aggregation queries (count and sum on the server), so
their cost grows with the number of categories and currencies, never with tickets.

Each ticket keeps its own exact totals (cents per currency, downtime seconds), updated in the
same write as the change that caused them; the figures here are therefore always consistent
with the tickets, however often an event was delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.ticket import Ticket
from shared.reports.spreadsheet import money_columns, spreadsheet_time
from shared.repositories.firestore import TICKETS


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time(0), zone),
            datetime.combine(self.end + timedelta(days=1), time(0), zone),
        )


def _tickets_of(db: firestore.Client, tag: str, since: datetime, until: datetime):
    # index: tickets(asset.tag ASC, created_at ASC)
    # with type (incidents): index: tickets(asset.tag ASC, type ASC, created_at ASC)
    return (
        db.collection(TICKETS)
        .where(filter=FieldFilter("asset.tag", "==", tag))
        .where(filter=FieldFilter("created_at", ">=", since))
        .where(filter=FieldFilter("created_at", "<", until))
    )


def _aggregate(query, sums: dict[str, str]) -> dict[str, float]:
    """The count and each sum, each in a query of its own: a document lacking one summed
    field (a currency it never used) must still count, and add to the other sums."""
    (counted,) = query.count(alias="count").get()
    found: dict[str, float] = {"count": counted[0].value}
    for alias, field in sums.items():
        (summed,) = query.sum(field, alias=alias).get()
        found[alias] = summed[0].value or 0
    return found


PARETO_ORDERS = ("count", "downtime", "money")


def asset_figures(
    db: firestore.Client,
    tag: str,
    period: Period,
    zone: ZoneInfo,
    categories: list[str],
    currencies: list[str],
    order: str = "count",
) -> dict:
    since, until = period.bounds(zone)
    base = _tickets_of(db, tag, since, until)
    money = {f"cost_{c}": f"cost_cents.{c}" for c in currencies}
    everything = _aggregate(base, {"downtime": "downtime_seconds", **money})
    incidents_query = base.where(filter=FieldFilter("type", "==", "incident"))
    incidents = _aggregate(incidents_query, {"downtime": "downtime_seconds"})
    # index: tickets(asset.tag ASC, type ASC, downtime_recorded ASC, created_at ASC)
    repaired = _aggregate(
        incidents_query.where(filter=FieldFilter("downtime_recorded", "==", True)),
        {"downtime": "downtime_seconds"},
    )
    loss = {}
    for currency in currencies:
        # index: tickets(asset.tag ASC, loss_currency ASC, created_at ASC)
        found = _aggregate(
            base.where(filter=FieldFilter("loss_currency", "==", currency)), {"loss": "loss_cents"}
        )
        if found["loss"]:
            loss[currency] = int(found["loss"])
    pareto = []
    for category in categories:
        # index: tickets(asset.tag ASC, type ASC, category ASC, created_at ASC)
        # and by currency:
        # index: tickets(asset.tag ASC, type ASC, category ASC, loss_currency ASC, created_at ASC)
        query = incidents_query.where(filter=FieldFilter("category", "==", category))
        row = _aggregate(query, {"downtime": "downtime_seconds"})
        if not row["count"]:
            continue
        money_by_currency = {}
        for currency in currencies:
            lost = _aggregate(
                query.where(filter=FieldFilter("loss_currency", "==", currency)),
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


def asset_history(db: firestore.Client, tag: str, limit: int = 1000) -> list[Ticket]:
    """The asset's requests and incidents, newest first, each with the date it happened."""
    # index: tickets(asset.tag ASC, created_at DESC)
    query = (
        db.collection(TICKETS)
        .where(filter=FieldFilter("asset.tag", "==", tag))
        .order_by("created_at", direction=firestore.Query.DESCENDING)
        .limit(limit)
    )
    return [Ticket.model_validate(doc.to_dict()) for doc in query.stream()]


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
