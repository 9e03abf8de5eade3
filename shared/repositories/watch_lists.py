"""The report's lists of breached and at-risk tickets, read from the tickets themselves.

Each ticket's share (`report_share`, shared/domain/report_share.py) carries its line in the
lists when it has one: its kind (`late`: a breach whose clock stopped, ordered by lateness;
`open`: a breach still running; `risk`: at risk), an order key and the report's filters it
matches (`keys`). The queries select one kind and the period's creation days, take one filter
with `array-contains` (the others are checked here), and read in the lists' order only as far
as the PDF shows: the cost does not grow with the tickets of the period.

An open breach's lateness is counted now, in its calendar's business time: on one calendar it
only grows with the time since the due instant, so each calendar's earliest due open breaches
are its most late ones. They are read per calendar (the organisation has a few) and merged.
The queries are independent and run at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.report_share import filter_key
from shared.repositories.firestore import TICKETS

SHARE = "report_share"
PAGE = 30


@dataclass(frozen=True)
class WatchLists:
    breached: list[dict[str, Any]]  # the most late first (lateness in `late_s`)
    at_risk: list[dict[str, Any]]  # the soonest due first
    documents: int = 0  # documents the queries read


def read_lists(
    db: firestore.Client,
    start: date,
    end: date,
    filters: dict[str, str],
    late_now: Callable[[dict], int],
    calendars: list[str],
    limit: int,
) -> WatchLists:
    """The period's `limit` most late breaches and soonest due tickets at risk. `calendars`
    names every calendar a ticket may run on."""
    wanted = [filter_key(name, value) for name, value in sorted(filters.items())]
    queries = [("late", None), ("risk", None)] + [("open", c) for c in sorted(set(calendars))]
    with ThreadPoolExecutor(len(queries)) as pool:
        found = list(pool.map(lambda q: _first(db, q[0], q[1], start, end, wanted, limit), queries))
    (stopped, _), (at_risk, _) = found[0], found[1]
    running = [{**line, "late_s": late_now(line)} for lines, _ in found[2:] for line in lines]
    breached = sorted(stopped + running, key=lambda line: (-line["late_s"], line["number"]))
    documents = sum(reads for _, reads in found)
    return WatchLists(breached[:limit], at_risk, documents)


def _first(
    db: firestore.Client,
    kind: str,
    calendar: str | None,
    start: date,
    end: date,
    wanted: list[str],
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """The first `limit` lines of one kind (and calendar) in the lists' order, and the
    documents read to find them."""
    found: list[dict[str, Any]] = []
    reads = 0
    for line, read in _lines(db, kind, calendar, start, end, wanted):
        reads += read
        if line is not None:
            found.append(line)
            if len(found) == limit:
                break
    return found, reads


def _lines(
    db: firestore.Client,
    kind: str,
    calendar: str | None,
    start: date,
    end: date,
    wanted: list[str],
) -> Iterator[tuple[dict[str, Any] | None, int]]:
    """The period's lines of one kind in the lists' order, matching every filter, read a page
    at a time; with each, the documents read since the last (an empty page counts one)."""
    # index: tickets(report_share.watch.kind ASC, report_share.watch.order ASC, report_share.watch.number ASC, report_share.day ASC)  # noqa: E501
    # index: tickets(report_share.watch.keys CONTAINS, report_share.watch.kind ASC, report_share.watch.order ASC, report_share.watch.number ASC, report_share.day ASC)  # noqa: E501
    # index: tickets(report_share.watch.kind ASC, report_share.watch.calendar ASC, report_share.watch.order ASC, report_share.watch.number ASC, report_share.day ASC)  # noqa: E501
    # index: tickets(report_share.watch.keys CONTAINS, report_share.watch.kind ASC, report_share.watch.calendar ASC, report_share.watch.order ASC, report_share.watch.number ASC, report_share.day ASC)  # noqa: E501
    query = (
        db.collection(TICKETS)
        .where(filter=FieldFilter(f"{SHARE}.watch.kind", "==", kind))
        .where(filter=FieldFilter(f"{SHARE}.day", ">=", start.isoformat()))
        .where(filter=FieldFilter(f"{SHARE}.day", "<=", end.isoformat()))
    )
    if calendar is not None:
        query = query.where(filter=FieldFilter(f"{SHARE}.watch.calendar", "==", calendar))
    if wanted:
        query = query.where(filter=FieldFilter(f"{SHARE}.watch.keys", "array_contains", wanted[0]))
    # the range's field ordered explicitly (and last), as the index has it: the client library
    # would otherwise add it once per range bound to a page's cursor, which Firestore refuses
    # index: (the four above)
    query = query.order_by(f"{SHARE}.watch.order").order_by(f"{SHARE}.watch.number")
    query = query.order_by(f"{SHARE}.day").select([SHARE]).limit(PAGE)
    after = None
    while True:
        page = list((query.start_after(after) if after else query).stream())
        if not page:
            yield None, 1
        for snapshot in page:
            share = snapshot.get(SHARE)
            line = share["watch"]
            if all(key in line["keys"] for key in wanted[1:]):
                shown = {k: v for k, v in line.items() if k not in ("kind", "order", "keys")}
                yield {**shown, "day": share["day"]}, 1
            else:
                yield None, 1
        if len(page) < PAGE:
            return
        after = page[-1]
