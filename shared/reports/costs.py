"""Expenses and losses per area or department (the requester's: where the service was needed)
for a period, per currency, from aggregation queries."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.reports.assets import Period
from shared.repositories.firestore import TICKETS

GROUPS = {"area": "requester.area_id", "department": "requester.department_id"}


def cost_totals(
    db: firestore.Client,
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
        query = (
            db.collection(TICKETS)
            .where(filter=FieldFilter(GROUPS[group], "==", key))
            .where(filter=FieldFilter("created_at", ">=", since))
            .where(filter=FieldFilter("created_at", "<", until))
        )
        (counted,) = query.count(alias="n").get()
        if not counted[0].value:
            continue
        costs, losses = {}, {}
        for currency in currencies:
            (spent,) = query.sum(f"cost_cents.{currency}", alias="c").get()
            if spent[0].value:
                costs[currency] = int(spent[0].value)
            # index: tickets(requester.area_id ASC, loss_currency ASC, created_at ASC)
            # index: tickets(requester.department_id ASC, loss_currency ASC, created_at ASC)
            lost_query = query.where(filter=FieldFilter("loss_currency", "==", currency))
            (lost,) = lost_query.sum("loss_cents", alias="l").get()
            if lost[0].value:
                losses[currency] = int(lost[0].value)
        rows.append(
            {group: key, "tickets": counted[0].value, "costs_cents": costs, "loss_cents": losses}
        )
    return rows
