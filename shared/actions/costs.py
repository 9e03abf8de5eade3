"""Recording what a ticket cost, from the responsible's page (each change audited as an event)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from shared.domain.change import Change, Decide
from shared.domain.costs import CostLine, Loss, downtime_loss, money, totals_in_cents
from shared.domain.organisation import Asset
from shared.domain.ticket import EventType, Status, Ticket
from shared.errors import NotAllowedNow


def costs_editable(ticket: Ticket, now: datetime, after_closing: timedelta) -> bool:
    """Expenses and the loss are recorded while the ticket is worked on, and a while after it
    closed (a late invoice, a correction); never on a cancelled ticket."""
    if ticket.status == Status.CANCELLED:
        return False
    if ticket.status != Status.CLOSED:
        return True
    return ticket.closed_at is not None and now <= ticket.closed_at + after_closing


def _check_editable(ticket: Ticket, now: datetime, after_closing: timedelta) -> None:
    if not costs_editable(ticket, now, after_closing):
        raise NotAllowedNow("the ticket's costs can no longer be changed", "costs_closed")


def _with_totals(lines: list[CostLine], updates: dict) -> dict:
    return {
        **updates,
        "cost_lines": [line.model_dump(mode="json") for line in lines],
        "cost_cents": totals_in_cents(lines),
    }


# How long after closing a ticket its costs may still change (HELPDESK_COST_EDIT_DAYS).
AFTER_CLOSING = timedelta(days=7)


def add_cost(
    who: str, fields: dict, now: datetime, after_closing: timedelta = AFTER_CLOSING
) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        _check_editable(ticket, now, after_closing)
        line = CostLine.model_validate(
            {**fields, "id": uuid.uuid4().hex[:12], "by": who, "at": now}
        )
        lines = [CostLine.model_validate(item) for item in ticket.cost_lines] + [line]
        return Change(
            _with_totals(lines, {}), [(EventType.COST_ADDED, who, line.model_dump(mode="json"))]
        )

    return decide


def correct_cost(
    who: str,
    line_id: str,
    fields: dict,
    now: datetime,
    after_closing: timedelta = AFTER_CLOSING,
) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        _check_editable(ticket, now, after_closing)
        lines = [CostLine.model_validate(item) for item in ticket.cost_lines]
        old = next((line for line in lines if line.id == line_id), None)
        if old is None or old.superseded_by is not None:
            raise NotAllowedNow("only a current cost line can be corrected", "line_superseded")
        # A corrected amount replaces the line's working: a labour line's hours × rate would
        # otherwise compute the old amount again.
        working = {"hours": None, "rate": None} if "amount" in fields else {}
        new = CostLine.model_validate(
            {
                **old.model_dump(),
                **working,
                **fields,
                "id": uuid.uuid4().hex[:12],
                "by": who,
                "at": now,
                "supersedes": old.id,
                "superseded_by": None,
            }
        )
        lines = [
            line.model_copy(update={"superseded_by": new.id}) if line.id == old.id else line
            for line in lines
        ] + [new]
        data = {"old": old.model_dump(mode="json"), "new": new.model_dump(mode="json")}
        return Change(_with_totals(lines, {}), [(EventType.COST_CORRECTED, who, data)])

    return decide


def record_loss(
    who: str,
    asset: Asset | None,
    now: datetime,
    *,
    restored_at: datetime | None = None,
    manual_amount: Decimal | None = None,
    manual_currency: str | None = None,
    manual_reason: str | None = None,
    counts: str = "downtime",
    after_closing: timedelta = AFTER_CLOSING,
) -> Decide:
    """The downtime (incident start to service restored, which may come before the ticket is
    resolved) times the asset's loss rate, and/or an amount entered with its reason."""

    def decide(ticket: Ticket) -> Change | None:
        _check_editable(ticket, now, after_closing)
        loss = Loss.model_validate(ticket.loss or {})
        if restored_at is not None:
            if restored_at > now:
                raise NotAllowedNow("service cannot be restored in the future", "restored_future")
            if restored_at < ticket.clock_started_at:
                raise NotAllowedNow(
                    "service is restored after the incident's start",
                    "restored_before_start",
                    start=ticket.clock_started_at,
                )
            if asset is None:
                raise NotAllowedNow("the downtime loss needs the ticket's asset", "loss_no_asset")
            loss = loss.model_copy(
                update={
                    "down_from": ticket.clock_started_at,
                    "restored_at": restored_at,
                    "rate_per_hour": asset.loss_rate_per_hour,
                    "currency": asset.currency,
                    "downtime_amount": downtime_loss(
                        ticket.clock_started_at, restored_at, asset.loss_rate_per_hour
                    ),
                }
            )
        if manual_amount is not None:
            if not manual_reason or not manual_currency:
                raise NotAllowedNow(
                    "an amount entered directly needs its currency and reason", "manual_reason"
                )
            loss = loss.model_copy(
                update={
                    "manual_amount": money(manual_amount),
                    "manual_currency": manual_currency,
                    "manual_reason": manual_reason,
                }
            )
        loss = loss.model_copy(update={"counts": counts})
        counted = loss.counted()
        updates = {
            "loss": loss.model_dump(mode="json"),
            "downtime_seconds": loss.downtime_seconds,
            "downtime_recorded": loss.downtime_seconds > 0,
            "loss_cents": int(counted[0] * 100) if counted else 0,
            "loss_currency": counted[1] if counted else None,
        }
        return Change(updates, [(EventType.LOSS_RECORDED, who, loss.model_dump(mode="json"))])

    return decide
