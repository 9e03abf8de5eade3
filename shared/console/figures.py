"""The dashboard's figures: the SLA report built from its rollups (shared/reports/sla), and the
open tickets counted by status (one counting query per status: the server counts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.domain.ticket import OPEN_STATUSES
from shared.reports.sla.service import build_report
from shared.repositories.directory import Directory
from shared.repositories.rollups import FirestoreRollups
from shared.repositories.ticket_queries import FirestoreTicketQueries


class ReportFigures:
    def __init__(
        self,
        rollups: FirestoreRollups,
        queries: FirestoreTicketQueries,
        directory: Directory,
        now: Callable[[], datetime],
    ) -> None:
        self._rollups, self._queries, self._directory, self._now = rollups, queries, directory, now

    def report(self, query, locale: str):
        return build_report(self._rollups, self._directory, query, locale, self._now())

    def open_now(self, departments: list[str] | None) -> dict[str, int]:
        found = {}
        for status in OPEN_STATUSES:
            where = [("status", "==", str(status))]
            if departments:  # single-field indexes, merged by Firestore: no composite index
                where.append(("responsible_department_id", "in", departments[:30]))
            found[str(status)] = int(self._queries.aggregate(where, {})["count"])
        return found
