"""Every ticket of the report's period and filters as CSV: the detail the PDF leaves out.

This one reads every ticket (a list of every ticket cannot do otherwise); it streams them in
pages so memory stays flat. Its SLA columns come from each ticket's rollup share, so the CSV
and the PDF always agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.domain.report_share import Share, dimensions
from shared.domain.ticket import Ticket
from shared.reports.assets import TicketQueries
from shared.reports.out_of_sla import row
from shared.reports.sla.figures import matches
from shared.reports.sla.query import ReportQuery
from shared.reports.spreadsheet import money_columns, spreadsheet_time

COLUMNS = (
    "number",
    "type",
    "status",
    "sla_flag",
    "priority",
    "policy",
    "category",
    "title",
    "asset",
    "requester",
    "requester_area",
    "requester_department",
    "responsible",
    "responsible_area",
    "responsible_department",
    "created_at",
    "response_due",
    "responded_at",
    "response_business_minutes",
    "response_sla",
    "resolution_due",
    "resolved_at",
    "resolution_business_minutes",
    "resolution_sla",
    "costs",
    "costs_currency",
    "costs_other",
    "loss",
    "loss_currency",
    "downtime_minutes",
    "rating",
    "id",
)


def tickets_in(
    queries: TicketQueries, query: ReportQuery, zone: ZoneInfo
) -> Iterator[tuple[Ticket, Share | None]]:
    since = datetime.combine(query.start, time(0), zone)
    until = datetime.combine(query.end + timedelta(days=1), time(0), zone)
    # index: single-field on `created_at` only (automatic), no composite index
    for ticket in queries.created_between(since, until):
        if matches(dimensions(ticket), query.filters):
            yield ticket, Share.from_doc(ticket.report_share)


def ticket_row(ticket: Ticket, share: Share | None, zone: ZoneInfo, currency: str) -> dict:
    metrics = share.metrics if share else {}

    def verdict(clock: str) -> str:
        if metrics.get(f"{clock}_missed"):
            return "missed"
        return "met" if metrics.get(f"{clock}_met") else "pending"

    base = row(ticket, zone, spreadsheet_time(zone))
    loss = {ticket.loss_currency: ticket.loss_cents} if ticket.loss_currency else {}
    return {
        **{key: base[key] for key in COLUMNS if key in base},
        "category": ticket.category,
        "response_business_minutes": _minutes(metrics, "resp"),
        "response_sla": verdict("resp"),
        "resolution_business_minutes": _minutes(metrics, "res"),
        "resolution_sla": verdict("res"),
        **money_columns("costs", ticket.cost_cents, currency),
        "loss": money_columns("loss", loss, currency)["loss"],
        "loss_currency": ticket.loss_currency,
        "downtime_minutes": ticket.downtime_seconds // 60,
        "rating": ticket.rating.score if ticket.rating else "",
    }


def _minutes(metrics: dict[str, int], clock: str) -> int | str:
    """Whole business minutes, or empty while the clock has not stopped (zero is a value)."""
    return metrics.get(f"{clock}_s", 0) // 60 if metrics.get(f"{clock}_n") else ""
