"""A person's lists of tickets, read a page at a time with indexed queries on the tickets' `work`
keys (shared/domain/work_lists.py): whose list (responsible, requester or responsible
department), which phase, in the lists' order, one filter in the query and the others checked
on the rows read. A page's cursor is the last row's order and id, opaque to the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.work_lists import filter_key, matches
from shared.repositories.cursors import decode_cursor, encode_cursor
from shared.repositories.firestore import TICKETS

WHO = ("responsible", "requester", "department")
ROW_FIELDS = [
    "id",
    "number",
    "type",
    "status",
    "title",
    "priority",
    "asset",
    "requester",
    "responsible",
    "response_due",
    "resolution_due",
    "responded_at",
    "sla_flag",
    "pauses",
    "calendar_id",
    "work",
]


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    next: str | None  # the cursor of the next page, None on the last
    reads: int  # documents the queries read


def read_page(
    db: firestore.Client,
    who: str,
    value: str,
    phases: list[str],
    filters: dict[str, str],
    size: int,
    cursor: str | None = None,
) -> Page:
    """Up to `size` rows of `who`'s tickets in `phases`, after `cursor`."""
    if who not in WHO:
        raise ValueError(f"no list by {who}")
    wanted = [filter_key(name, v) for name, v in sorted(filters.items())]
    # index: tickets(work.responsible ASC, work.phase ASC, work.order ASC)
    # index: tickets(work.requester ASC, work.phase ASC, work.order ASC)
    # index: tickets(work.department ASC, work.phase ASC, work.order ASC)
    # index: tickets(work.keys CONTAINS, work.responsible ASC, work.phase ASC, work.order ASC)
    # index: tickets(work.keys CONTAINS, work.requester ASC, work.phase ASC, work.order ASC)
    # index: tickets(work.keys CONTAINS, work.department ASC, work.phase ASC, work.order ASC)
    query = db.collection(TICKETS).where(filter=FieldFilter(f"work.{who}", "==", value))
    if len(phases) == 1:
        query = query.where(filter=FieldFilter("work.phase", "==", phases[0]))
    else:
        query = query.where(filter=FieldFilter("work.phase", "in", phases))
    if wanted:
        query = query.where(filter=FieldFilter("work.keys", "array_contains", wanted[0]))
    # index: (the six above)
    query = query.order_by("work.order").order_by("__name__").select(ROW_FIELDS)
    position = decode_cursor(cursor) if cursor else None
    rows: list[dict[str, Any]] = []
    reads = 0
    while True:
        page = query.limit(size + 1)
        if position is not None:
            ref = db.collection(TICKETS).document(position[1])
            page = page.start_after({"work.order": position[0], "__name__": ref})
        found = list(page.stream())
        reads += max(1, len(found))
        for snapshot in found:
            if len(rows) == size:  # a row past the page: there is a next one
                return Page(rows, _encoded(position), reads)
            data = snapshot.to_dict() or {}
            position = (data["work"]["order"], snapshot.id)
            if matches(data["work"], filters):
                rows.append(data)
        if len(found) <= size:
            return Page(rows, None, reads)


def _encoded(position: tuple[str, str] | None) -> str | None:
    return encode_cursor(*position) if position is not None else None


class FirestorePersonalLists:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def page(
        self,
        who: str,
        value: str,
        phases: list[str],
        filters: dict[str, str],
        size: int,
        cursor: str | None,
    ) -> Page:
        return read_page(self._db, who, value, phases, filters, size, cursor)
