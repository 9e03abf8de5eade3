"""The report's lists of breached and at-risk tickets, read from the tickets themselves.

Each ticket's share (`report_share`, shared/domain/report_share.py) carries its line in the
lists when it has one: its kind (`late`: a breach whose clock stopped, ordered by lateness;
`open`: a breach still running; `risk`: at risk), an order key and the report's filters it
matches (`keys`). The queries select one kind and the period's creation days, take one filter
with `array-contains` (the others are checked here), and read in the lists' order only as far
as the PDF shows: the cost does not grow with the tickets of the period.

An open breach's lateness is counted now, in its calendar's business time, which is never more
than the wall-clock time since it fell due: reading by due instant may stop as soon as that
wall-clock time falls below the lateness of the last line kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
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


def read_lists(
    db: firestore.Client,
    start: date,
    end: date,
    filters: dict[str, str],
    late_now: Callable[[dict], int],
    now: datetime,
    limit: int,
) -> WatchLists:
    wanted = [filter_key(name, value) for name, value in sorted(filters.items())]

    def lines(kind: str) -> Iterator[dict[str, Any]]:
        return _lines(db, kind, start, end, wanted)

    stopped = _first(lines("late"), limit)
    running = _open_breaches(lines("open"), late_now, now, limit)
    breached = sorted(stopped + running, key=lambda line: (-line["late_s"], line["number"]))
    return WatchLists(breached[:limit], _first(lines("risk"), limit))


def _first(lines: Iterator[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    found = []
    for line in lines:
        found.append(line)
        if len(found) == limit:
            break
    return found


def _open_breaches(
    lines: Iterator[dict[str, Any]], late_now: Callable[[dict], int], now: datetime, limit: int
) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for line in lines:
        if len(kept) >= limit:
            floor = kept[limit - 1]["late_s"]
            if (now - datetime.fromisoformat(line["due"])).total_seconds() < floor:
                break
        kept.append({**line, "late_s": late_now(line)})
        kept.sort(key=lambda item: (-item["late_s"], item["number"]))
    return kept[:limit]


def _lines(
    db: firestore.Client, kind: str, start: date, end: date, wanted: list[str]
) -> Iterator[dict[str, Any]]:
    """The period's lines of one kind in the lists' order, matching every filter, read a page
    at a time."""
    # index: tickets(report_share.watch.kind ASC, report_share.watch.order ASC, report_share.watch.number ASC, report_share.day ASC)  # noqa: E501
    # index: tickets(report_share.watch.keys CONTAINS, report_share.watch.kind ASC, report_share.watch.order ASC, report_share.watch.number ASC, report_share.day ASC)  # noqa: E501
    query = (
        db.collection(TICKETS)
        .where(filter=FieldFilter(f"{SHARE}.watch.kind", "==", kind))
        .where(filter=FieldFilter(f"{SHARE}.day", ">=", start.isoformat()))
        .where(filter=FieldFilter(f"{SHARE}.day", "<=", end.isoformat()))
    )
    if wanted:
        query = query.where(filter=FieldFilter(f"{SHARE}.watch.keys", "array_contains", wanted[0]))
    # the range's field ordered explicitly (and last), as the index has it: the client library
    # would otherwise add it once per range bound to a page's cursor, which Firestore refuses
    # index: (the two above)
    query = query.order_by(f"{SHARE}.watch.order").order_by(f"{SHARE}.watch.number")
    query = query.order_by(f"{SHARE}.day").select([SHARE]).limit(PAGE)
    after = None
    while True:
        page = list((query.start_after(after) if after else query).stream())
        for snapshot in page:
            share = snapshot.get(SHARE)
            line = share["watch"]
            if all(key in line["keys"] for key in wanted[1:]):
                shown = {k: v for k, v in line.items() if k not in ("kind", "order", "keys")}
                yield {**shown, "day": share["day"]}
        if len(page) < PAGE:
            return
        after = page[-1]
