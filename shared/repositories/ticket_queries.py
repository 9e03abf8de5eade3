"""Questions managers' reports ask of the tickets, answered by Firestore: counts and sums on
the server (aggregation queries) and lists read page by page. The reports say what they want
as field filters; each query's composite index is named beside the report that asks it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.ticket import Ticket
from shared.repositories.firestore import TICKETS

Where = tuple[str, str, Any]  # (field path, operator, value), as Firestore's filters
PAGE = 500


class FirestoreTicketQueries:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def _query(self, where: Sequence[Where]) -> firestore.Query:
        query: Any = self._db.collection(TICKETS)
        for field, op, value in where:
            query = query.where(filter=FieldFilter(field, op, value))
        return query

    def aggregate(self, where: Sequence[Where], sums: dict[str, str]) -> dict[str, float]:
        """The count of the tickets matching `where` and each sum (alias -> field), each in a
        query of its own: a ticket lacking one summed field (a currency it never used) must
        still count, and add to the other sums."""
        query = self._query(where)
        (counted,) = query.count(alias="count").get()
        found: dict[str, float] = {"count": counted[0].value}
        for alias, field in sums.items():
            (summed,) = query.sum(field, alias=alias).get()
            found[alias] = summed[0].value or 0
        return found

    # Each caller's composite index: declared by it, beside its filters (the "index:" lines).
    def newest(self, where: Sequence[Where], limit: int) -> list[Ticket]:
        query = self._query(where).order_by("created_at", direction=firestore.Query.DESCENDING)
        return [Ticket.model_validate(doc.to_dict()) for doc in query.limit(limit).stream()]

    def created_between(
        self, since: datetime, until: datetime, where: Sequence[Where] = ()
    ) -> Iterator[Ticket]:
        """The tickets created in [since, until) matching `where`, oldest first, read a page at
        a time (memory stays flat whatever the period holds)."""
        base = self._query(
            [*where, ("created_at", ">=", since), ("created_at", "<", until)]
        ).order_by("created_at")
        last = None
        while True:
            page = (base.start_after(last) if last is not None else base).limit(PAGE)
            snapshots = list(page.stream())
            for snapshot in snapshots:
                yield Ticket.model_validate(snapshot.to_dict())
            if len(snapshots) < PAGE:
                return
            last = snapshots[-1]
