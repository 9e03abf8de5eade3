"""Limits of the advance status request, in business time (configurable per deployment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class StatusRequestRules:
    interval: timedelta = timedelta(hours=4)  # between two requests on one ticket
    escalate_after: timedelta = timedelta(hours=2)  # to answer before it is escalated
