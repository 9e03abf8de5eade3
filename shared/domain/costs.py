"""What a ticket cost: expense lines and the financial loss the interruption caused.

Amounts are exact decimals, totals are kept per currency and never summed across currencies.
A correction never edits a line: it adds a new one that supersedes it, so the history stays.
Loss is kept both ways — the asset's downtime times its loss rate, and an amount entered with
a reason — and one of them is marked as the one that counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

CENT = Decimal("0.01")

# Amounts are stored as exact decimal strings (Firestore has no decimal type).
Amount = Annotated[Decimal, PlainSerializer(str, return_type=str)]


class CostCategory(StrEnum):
    LABOUR = "labour"  # hours x rate
    PARTS = "parts"  # parts and materials
    EXTERNAL = "external_service"
    OTHER = "other"


def money(value: Decimal | str | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class CostLine(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    category: CostCategory
    amount: Amount = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    description: str = Field(min_length=1, max_length=500)
    hours: Amount | None = Field(default=None, ge=0)
    rate: Amount | None = Field(default=None, ge=0)
    by: str
    at: datetime
    supersedes: str | None = None  # the line this one corrects
    superseded_by: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _labour_amount(cls, data: dict) -> dict:
        if data.get("category") == CostCategory.LABOUR and data.get("hours") is not None:
            if data.get("rate") is None:
                raise ValueError("labour needs an hourly rate")
            data = {
                **data,
                "amount": money(Decimal(str(data["hours"])) * Decimal(str(data["rate"]))),
            }
        elif data.get("amount") is not None:
            data = {**data, "amount": money(data["amount"])}
        return data


class Loss(BaseModel):
    """Both ways of counting the loss; `counts` says which one the totals use."""

    model_config = ConfigDict(extra="ignore")

    down_from: datetime | None = None
    restored_at: datetime | None = None
    rate_per_hour: Amount | None = None
    currency: str | None = None
    downtime_amount: Amount | None = None
    manual_amount: Amount | None = None
    manual_currency: str | None = None
    manual_reason: str | None = None
    counts: str = "downtime"  # or "manual"

    @property
    def downtime_seconds(self) -> int:
        if self.down_from is None or self.restored_at is None:
            return 0
        return max(0, int((self.restored_at - self.down_from).total_seconds()))

    def counted(self) -> tuple[Decimal, str] | None:
        if self.counts == "manual" and self.manual_amount is not None and self.manual_currency:
            return self.manual_amount, self.manual_currency
        if self.downtime_amount is not None and self.currency:
            return self.downtime_amount, self.currency
        return None


def downtime_loss(down_from: datetime, restored_at: datetime, rate_per_hour: Decimal) -> Decimal:
    """Whole seconds of downtime times the rate: the same downtime the ticket shows."""
    hours = Decimal(int((restored_at - down_from).total_seconds())) / Decimal(3600)
    return money(max(Decimal(0), hours) * rate_per_hour)


def current_lines(lines: list[CostLine]) -> list[CostLine]:
    return [line for line in lines if line.superseded_by is None]


def totals_in_cents(lines: list[CostLine]) -> dict[str, int]:
    """Expenses per currency in cents (exact; Firestore sums integers exactly)."""
    totals: dict[str, int] = defaultdict(int)
    for line in current_lines(lines):
        totals[line.currency] += int(line.amount * 100)
    return dict(totals)
