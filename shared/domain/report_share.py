"""A ticket's share of the SLA report's daily rollups.

The report must not read every ticket, so each ticket adds its figures to one "cell" of the
rollup of the day it was created (the cell is the combination of its dimensions: type,
priority, policy, category, asset, and the requester's and responsible's area and
department). The share is a pure function of the ticket; the ticket keeps the share it last
added, and every change writes only the difference, in the same guarded write as the change
itself (`shared/repositories/tickets.py`). Re-delivered events and tasks therefore never
count twice, and a ticket that moves (reassigned, reopened, corrected) moves its figures.

Durations are business time, as the SLA clock counts them (pauses excluded from resolution).
Their histograms have a bounded number of buckets (`minute_bucket`): whole business minutes
up to 4 hours, then coarser steps, so a cell never grows with its tickets.

The rollup documents are sharded: a ticket always writes to the shard its id names, so a
burst of changes spreads over `SHARDS` documents per day and week (the report sums them).
The breached and at-risk lists are not in the rollups: the ticket's share carries its own
line (`watch`, with the fields the report's indexed queries order by).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from shared.domain.costs import CostLine, current_lines
from shared.domain.organisation import Settings, SlaPolicy
from shared.domain.ticket import OPEN_STATUSES, Status, Ticket
from shared.sla import BusinessCalendar, Pause, SlaClock

DIMENSIONS = (
    "type",
    "priority",
    "policy",
    "category",
    "asset",
    "requester_area",
    "requester_department",
    "responsible_area",
    "responsible_department",
)
UNIT = "\x1f"  # the ASCII unit separator: never part of an id, a tag or a slug
SEP = "|"  # joins a metric's nested keys in a flat share ("resp_m|m37": one ticket, 37 min)
SHARDS = 64  # documents per day and per week: 50 ticket changes/s stay under 1 write/s each
# Histogram buckets of business minutes: (up to, step). Exact below 4 h, then 10 min below
# 24 h, 1 h below 100 h, 8 h below 800 h; 800 h and more share the last bucket.
TIERS = ((240, 1), (1440, 10), (6000, 60), (48000, 480))
CAP = TIERS[-1][0]


class Terms(Protocol):
    def calendar(self, calendar_id: str) -> BusinessCalendar | None: ...
    def policy(self, policy_id: str, include_withdrawn: bool = False) -> SlaPolicy | None: ...


class Directory(Terms, Protocol):
    def settings(self) -> Settings: ...


def minute_bucket(minutes: int) -> int:
    """The lower bound of the histogram bucket holding `minutes` (business minutes)."""
    lower = 0
    for limit, step in TIERS:
        if minutes < limit:
            return minutes - (minutes - lower) % step
        lower = limit
    return CAP


def shard_of(ticket_id: str) -> int:
    return int(hashlib.sha256(ticket_id.encode()).hexdigest()[:8], 16) % SHARDS


@dataclass(frozen=True)
class Share:
    day: str  # YYYY-MM-DD, the creation date in the organisation's time zone
    cell: str
    dims: dict[str, str]
    metrics: dict[str, int]
    watch: dict[str, Any] | None  # the ticket's line in the breached / at-risk lists
    shard: int = 0

    def to_doc(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "cell": self.cell,
            "dims": self.dims,
            "metrics": self.metrics,
            "watch": self.watch,
            "shard": self.shard,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Share | None:
        """The share a ticket last added; None when it added none to the current rollups
        (a share of the layout before shards lives in documents the report no longer reads:
        `tools.migrate_rollups` moves such tickets, and so does their next change)."""
        if not doc or "shard" not in doc:
            return None
        return cls(
            doc["day"], doc["cell"], doc["dims"], doc["metrics"], doc.get("watch"), doc["shard"]
        )


def dimensions(ticket: Ticket) -> dict[str, str]:
    responsible = ticket.responsible
    return {
        "type": str(ticket.type),
        "priority": str(ticket.priority),
        "policy": ticket.policy_id,
        "category": ticket.category,
        "asset": ticket.asset.tag if ticket.asset else "",
        "requester_area": ticket.requester.area_id or "",
        "requester_department": ticket.requester.department_id or "",
        "responsible_area": (responsible.area_id or "") if responsible else "",
        "responsible_department": ticket.responsible_department_id
        or ((responsible.department_id or "") if responsible else ""),
    }


def encode_dims(dims: dict[str, str]) -> str:
    """A cell's dimensions as one string (one value to read instead of nine)."""
    return UNIT.join(dims[name] for name in DIMENSIONS)


def decode_dims(text: str) -> dict[str, str]:
    return dict(zip(DIMENSIONS, text.split(UNIT), strict=True))


def cell_key(dims: dict[str, str]) -> str:
    text = SEP.join(dims[name] for name in DIMENSIONS)
    return "c" + hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Durations:
    response: timedelta | None
    resolution: timedelta | None


def durations(ticket: Ticket, calendar: BusinessCalendar) -> Durations:
    """Business time to the first response and to the resolution (pauses excluded)."""
    response = resolution = None
    if ticket.responded_at is not None:
        response = SlaClock(calendar, ticket.clock_started_at).elapsed(ticket.responded_at)
    if ticket.resolved_at is not None and ticket.status in (Status.RESOLVED, Status.CLOSED):
        pauses = [Pause(p.start, p.end or ticket.resolved_at) for p in ticket.pauses]
        clock = SlaClock(calendar, ticket.clock_started_at, pauses)
        resolution = clock.elapsed(ticket.resolved_at)
    return Durations(response, resolution)


def share_of(ticket: Ticket, terms: Terms, zone: ZoneInfo) -> Share:
    calendar = terms.calendar(ticket.calendar_id)
    policy = terms.policy(ticket.policy_id, include_withdrawn=True)
    if calendar is None or policy is None:
        raise LookupError(f"ticket {ticket.id}: calendar or policy missing from the directory")
    dims = dimensions(ticket)
    took = durations(ticket, calendar)
    metrics: dict[str, int] = {"n": 1}

    def add(name: str, value: int = 1) -> None:
        if value:
            metrics[name] = metrics.get(name, 0) + value

    add("open", ticket.status in OPEN_STATUSES)
    cancelled = ticket.status == Status.CANCELLED
    add("cancelled", cancelled)
    if cancelled:  # opened by mistake or a duplicate: no service was owed, none is measured
        took = Durations(None, None)
    add("breached", ticket.sla_flag == "breached" and not cancelled)
    add("at_risk", ticket.sla_flag == "at_risk" and ticket.status in OPEN_STATUSES)
    response_late = not cancelled and (
        ticket.response_breached_at is not None
        or (took.response is not None and took.response > policy.response_time)
    )
    resolution_late = not cancelled and (
        ticket.resolution_breached_at is not None
        or (took.resolution is not None and took.resolution > policy.resolution_time)
    )
    if response_late:
        add("resp_missed")
    elif took.response is not None:
        add("resp_met")
    if resolution_late:
        add("res_missed")
    elif took.resolution is not None:
        add("res_met")
    if took.response is not None:
        seconds = int(took.response.total_seconds())
        add("resp_s", seconds)
        add("resp_n")
        add(f"resp_m{SEP}m{minute_bucket(seconds // 60)}")
    if took.resolution is not None:
        seconds = int(took.resolution.total_seconds())
        add("res_s", seconds)
        add("res_n")
        add(f"res_m{SEP}m{minute_bucket(seconds // 60)}")
    for currency, cents in ticket.cost_cents.items():
        add(f"cost{SEP}{currency}", cents)
    lines = current_lines([CostLine.model_validate(line) for line in ticket.cost_lines])
    for line in lines:
        add(f"expense{SEP}{line.category}{SEP}{line.currency}", int(line.amount * 100))
    if ticket.loss_currency:
        add(f"loss{SEP}{ticket.loss_currency}", ticket.loss_cents)
    add("downtime_s", ticket.downtime_seconds)
    if ticket.rating:
        score = ticket.rating.score
        add("rated")
        add("rating_sum", score)
        add(f"ratings{SEP}s{score}")
    watch = _watch_line(ticket, policy, took, response_late, resolution_late)
    if watch:
        add("w_breached" if watch["flag"] == "breached" else "w_at_risk")
        watch |= {"dims": dims, "keys": filter_keys(dims)}
    return Share(
        day=ticket.created_at.astimezone(zone).date().isoformat(),
        cell=cell_key(dims),
        dims=dims,
        metrics=metrics,
        watch=watch,
        shard=shard_of(ticket.id),
    )


FILTER_DIMENSIONS = {
    "area": ("requester_area", "responsible_area"),
    "department": ("requester_department", "responsible_department"),
    "type": ("type",),
    "priority": ("priority",),
    "policy": ("policy",),
    "asset": ("asset",),
}


def filter_key(name: str, value: str) -> str:
    return f"{name}{UNIT}{value}"


def filter_keys(dims: dict[str, str]) -> list[str]:
    """The report's filters a ticket matches, one value each (area and department match either
    side): the lists' queries select by one of them with `array-contains`."""
    found = {
        filter_key(name, dims[dimension])
        for name, dimensions_ in FILTER_DIMENSIONS.items()
        for dimension in dimensions_
        if dims[dimension]
    }
    return sorted(found)


def _watch_line(
    ticket: Ticket,
    policy: SlaPolicy,
    took: Durations,
    response_late: bool,
    resolution_late: bool,
) -> dict[str, Any] | None:
    """Breached tickets (open or not) and open tickets at risk, for the report's lists.
    `late_s` is set once the late clock stopped; an open breach is measured at report time."""
    at_risk = ticket.sla_flag == "at_risk" and ticket.status in OPEN_STATUSES
    if not (response_late or resolution_late or at_risk):
        return None
    if resolution_late or not (response_late or ticket.responded_at is None):
        clock = "resolution"
    else:
        clock = "response"
    if clock == "resolution":
        due, took_time, target = ticket.resolution_due, took.resolution, policy.resolution_time
    else:
        due, took_time, target = ticket.response_due, took.response, policy.response_time
    late_s = None
    if took_time is not None:
        late_s = max(0, int((took_time - target).total_seconds()))
    elif ticket.status not in OPEN_STATUSES:
        late_s = 0  # cancelled after the breach: no clock left to run
    breached = response_late or resolution_late
    # The lists' order: the stopped breaches by lateness (most late first), the running ones
    # and those at risk by due instant (earliest first).
    if breached and late_s is not None:
        kind, order = "late", -late_s
    else:
        kind, order = ("open" if breached else "risk"), int(due.timestamp())
    return {
        "kind": kind,
        "order": order,
        "id": ticket.id,
        "number": ticket.number,
        "title": ticket.title[:120],
        "status": str(ticket.status),
        "flag": "breached" if breached else "at_risk",
        "clock": clock,
        "due": _iso(due),
        "late_s": late_s,
        "calendar": ticket.calendar_id,
        "responsible": ticket.responsible.name if ticket.responsible else "",
    }


def _iso(instant: datetime) -> str:
    return instant.isoformat()


class Rollup:
    """Computes tickets' shares with the organisation's calendars, policies and time zone
    (read from the directory when first needed, so building one costs nothing)."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory

    def share(self, ticket: Ticket) -> Share:
        settings = self._directory.settings()
        default = self._directory.calendar(settings.default_calendar)
        assert default is not None
        return share_of(ticket, self._directory, default.zone)
