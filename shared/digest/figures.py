"""A manager's figures for the digest: the report's rollups (tickets created in a period) and
two counting queries (tickets closed, deadlines missed in a day)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.reports.sla.figures import compute, trend_by
from shared.repositories.rollups import FirestoreRollups
from shared.repositories.ticket_queries import FirestoreTicketQueries
from shared.repositories.watch_lists import WatchLists


class ReportDayFigures:
    def __init__(self, rollups: FirestoreRollups, queries: FirestoreTicketQueries) -> None:
        self._rollups, self._queries = rollups, queries

    def opened(self, start: date, end: date) -> dict[str, Any]:
        found = self._rollups.read(start, end, trend_by(start, end))
        return compute(found, {}, start, end, WatchLists([], []))["overall"]

    def closed(self, since: datetime, until: datetime) -> int:
        # index: tickets(status ASC, closed_at ASC)
        where = [("status", "==", "closed"), ("closed_at", ">=", since), ("closed_at", "<", until)]
        return int(self._queries.aggregate(where, {})["count"])

    def breaches(self, since: datetime, until: datetime) -> int:
        """Deadlines missed in the period (a ticket that missed both counts twice)."""
        total = 0
        for field in ("response_breached_at", "resolution_breached_at"):
            where = [(field, ">=", since), (field, "<", until)]  # single-field indexes
            total += int(self._queries.aggregate(where, {})["count"])
        return total
