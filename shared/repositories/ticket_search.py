"""The console's tickets: the newest first, found by a word (`work.words`, array-contains) or
by one of the filters (`work.find`: shared/domain/work_lists.py), and limited to some
departments; read a page at a time with a cursor (the last row's creation instant and id).
The other words and filters of a search are checked on the rows read."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.work_lists import filter_key
from shared.errors import BadRequest
from shared.repositories.firestore import TICKETS
from shared.repositories.personal_lists import ROW_FIELDS

FIELDS = [*ROW_FIELDS, "created_at"]
BATCHES = 5  # a search reads at most this many pages of candidates for one page of matches
# The filter a query selects by when no word is typed: the likeliest to be rare first.
SELECTIVE = (
    "requester",
    "responsible",
    "asset",
    "policy",
    "department",
    "area",
    "sla",
    "status",
    "priority",
    "type",
)


@dataclass(frozen=True)
class Found:
    rows: list[dict[str, Any]]
    next: str | None
    reads: int


def search(
    db: firestore.Client,
    words: list[str],
    departments: list[str] | None,
    size: int,
    cursor: str | None = None,
    filters: dict[str, str] | None = None,
) -> Found:
    wanted = [filter_key(name, value) for name, value in sorted((filters or {}).items())]
    # index: tickets(work.find CONTAINS, created_at DESC)
    # index: tickets(work.find CONTAINS, work.department ASC, created_at DESC)
    query: Any = db.collection(TICKETS)
    if words:
        query = query.where(filter=FieldFilter("work.words", "array_contains", words[0]))
    elif wanted:
        first = next(filter_key(n, filters[n]) for n in SELECTIVE if (filters or {}).get(n))
        query = query.where(filter=FieldFilter("work.find", "array_contains", first))
    if departments:
        query = query.where(filter=FieldFilter("work.department", "in", departments[:30]))
    # index: tickets(work.words CONTAINS, created_at DESC)
    # index: tickets(work.words CONTAINS, work.department ASC, created_at DESC)
    # index: tickets(work.department ASC, created_at DESC)
    query = query.order_by("created_at", direction=firestore.Query.DESCENDING)
    query = query.order_by("__name__", direction=firestore.Query.DESCENDING).select(FIELDS)
    position = _decoded(cursor) if cursor else None
    rows: list[dict[str, Any]] = []
    reads = 0
    for _ in range(BATCHES):
        page = query.start_after(_start(db, position)) if position else query
        snapshots = list(page.limit(size + 1).stream())
        reads += len(snapshots)
        for snapshot in snapshots:
            row = snapshot.to_dict() | {"id": snapshot.id}
            position = (row["created_at"].isoformat(), snapshot.id)
            work = row.get("work") or {}
            found_by = work.get("find", [])
            if all(w in work.get("words", []) for w in words[1:]) and all(
                key in found_by for key in wanted
            ):
                rows.append(row)
                if len(rows) > size:
                    return Found(rows[:size], _encoded(rows[size - 1]), reads)
        if len(snapshots) <= size:
            return Found(rows, None, reads)
    return Found(rows, _encoded(rows[-1]) if rows else None, reads)


def _start(db: firestore.Client, position: tuple[str, str]) -> dict:
    return {
        "created_at": datetime.fromisoformat(position[0]),
        "__name__": db.collection(TICKETS).document(position[1]),
    }


def _encoded(row: dict[str, Any]) -> str:
    raw = json.dumps([row["created_at"].isoformat(), row["id"]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decoded(cursor: str) -> tuple[str, str]:
    try:
        created, ticket_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        datetime.fromisoformat(created)
    except (ValueError, TypeError):
        raise BadRequest("the page's cursor is not valid") from None
    if not isinstance(ticket_id, str) or "/" in ticket_id or not ticket_id:
        raise BadRequest("the page's cursor is not valid")
    return created, ticket_id


class FirestoreTicketSearch:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def search(self, words, departments, size, cursor=None, filters=None) -> Found:
        return search(self._db, words, departments, size, cursor, filters)
