"""Expenses and losses per area or department (the requester's: where the service was needed)
for a period, per currency, from aggregation queries."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from shared.reports.assets import Period, TicketQueries

GROUPS = {"area": "requester.area_id", "department": "requester.department_id"}


def cost_totals(
    queries: TicketQueries,
    group: str,
    keys: list[str],
    period: Period,
    zone: ZoneInfo,
    currencies: list[str],
) -> list[dict]:
    since, until = period.bounds(zone)
    rows = []
    for key in keys:
        # index: tickets(requester.area_id ASC, created_at ASC)
        # index: tickets(requester.department_id ASC, created_at ASC)
        query = [
            (GROUPS[group], "==", key),
            ("created_at", ">=", since),
            ("created_at", "<", until),
        ]
        spent = queries.aggregate(query, {c: f"cost_cents.{c}" for c in currencies})
        if not spent["count"]:
            continue
        costs, losses = {}, {}
        for currency in currencies:
            if spent[currency]:
                costs[currency] = int(spent[currency])
            # index: tickets(requester.area_id ASC, loss_currency ASC, created_at ASC)
            # index: tickets(requester.department_id ASC, loss_currency ASC, created_at ASC)
            lost = queries.aggregate(
                [*query, ("loss_currency", "==", currency)], {"l": "loss_cents"}
            )
            if lost["l"]:
                losses[currency] = int(lost["l"])
        rows.append(
            {group: key, "tickets": int(spent["count"]), "costs_cents": costs, "loss_cents": losses}
        )
    return rows
