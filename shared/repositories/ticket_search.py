"""The console's tickets: the newest first, found by a word (`work.words`, array-contains) or
by one of the filters (`work.find`: shared/domain/work_lists.py), and limited to some
departments; read a page at a time with a cursor (the last row's creation instant and id).
The other words and filters of a search are checked on the rows read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.work_lists import filter_key
from shared.errors import BadRequest
from shared.repositories.cursors import decode_cursor, encode_cursor
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
                    last = rows[size - 1]
                    return Found(rows[:size], _encoded(_place(last)), reads)
        if len(snapshots) <= size:
            return Found(rows, None, reads)
    # The batches ran out before the page filled: the next page goes on from the last row read.
    return Found(rows, _encoded(position) if position else None, reads)


def _place(row: dict[str, Any]) -> tuple[str, str]:
    return row["created_at"].isoformat(), row["id"]


def _start(db: firestore.Client, position: tuple[str, str]) -> dict:
    return {
        "created_at": datetime.fromisoformat(position[0]),
        "__name__": db.collection(TICKETS).document(position[1]),
    }


def _encoded(position: tuple[str, str]) -> str:
    return encode_cursor(*position)


def _decoded(cursor: str) -> tuple[str, str]:
    created, ticket_id = decode_cursor(cursor)
    try:
        datetime.fromisoformat(created)
    except ValueError:
        raise BadRequest("the page's cursor is not valid") from None
    return created, ticket_id


class FirestoreTicketSearch:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def search(self, words, departments, size, cursor=None, filters=None) -> Found:
        return search(self._db, words, departments, size, cursor, filters)
