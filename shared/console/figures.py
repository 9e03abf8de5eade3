"""The dashboard's figures: the SLA report built from its rollups (shared/reports/sla), and the
open tickets now by status, from their counters (shared/repositories/open_now.py): both read a
fixed number of documents however many tickets there are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.reports.sla.service import build_report
from shared.repositories.directory import Directory
from shared.repositories.open_now import FirestoreOpenNow
from shared.repositories.rollups import FirestoreRollups


class ReportFigures:
    def __init__(
        self,
        rollups: FirestoreRollups,
        counters: FirestoreOpenNow,
        directory: Directory,
        now: Callable[[], datetime],
    ) -> None:
        self._rollups, self._counters = rollups, counters
        self._directory, self._now = directory, now

    def report(self, query, locale: str):
        """The report's overall figures, trend and Pareto (no lists' lines, no breakdowns)."""
        return build_report(self._rollups, self._directory, query, locale, self._now(), full=False)

    def open_now(self, departments: list[str] | None):
        """The open tickets now: `by_status`, `by_sla` (shared/repositories/open_now.py)."""
        return self._counters.read(departments)
