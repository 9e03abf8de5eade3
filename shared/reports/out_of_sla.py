"""Tickets outside the agreed time: every ticket that breached (open or closed) and the open
tickets at risk (past a warning), for a period and optional filters, as rows for JSON or CSV.

The period is on the ticket's creation date, in the organisation's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.domain.ticket import OPEN_STATUSES, Ticket
from shared.errors import BadRequest
from shared.reports.assets import TicketQueries
from shared.reports.days import parse_day
from shared.reports.spreadsheet import DIALECTS

FILTERS = ("area", "department", "type", "priority", "policy", "asset")
MAX_DAYS = 366


@dataclass(frozen=True)
class OutOfSlaQuery:
    start: date
    end: date  # inclusive
    filters: dict[str, str]


def parse_query(args: Mapping[str, str], today: date) -> OutOfSlaQuery:
    problems = []
    unknown = set(args) - {"from", "to", "format", "lang", *FILTERS}
    problems += [(name, "is not a filter of this list") for name in sorted(unknown)]
    try:
        end = parse_day(args["to"]) if args.get("to") else today
    except ValueError:
        problems.append(("to", "must be a date as YYYY-MM-DD"))
        end = today
    try:
        start = parse_day(args["from"]) if args.get("from") else end - timedelta(days=30)
    except ValueError:
        problems.append(("from", "must be a date as YYYY-MM-DD"))
        start = end
    if start > end:
        problems.append(("from", "must not come after 'to'"))
    if (end - start).days > MAX_DAYS:
        problems.append(("from", f"a period may be at most {MAX_DAYS} days"))
    if args.get("format", "json") not in ("json", "csv"):
        problems.append(("format", "must be json or csv"))
    if args.get("lang") and args["lang"] not in DIALECTS:
        problems.append(("lang", "must be pt-BR, es or en"))
    if problems:
        raise BadRequest.from_problems("the list cannot be made", problems)
    return OutOfSlaQuery(start, end, {k: args[k] for k in FILTERS if args.get(k)})


def find_out_of_sla(queries: TicketQueries, query: OutOfSlaQuery, zone: ZoneInfo) -> list[Ticket]:
    since = datetime.combine(query.start, time(0), zone)
    until = datetime.combine(query.end + timedelta(days=1), time(0), zone)
    # index: tickets(sla_flag ASC, created_at ASC)
    found = queries.created_between(since, until, [("sla_flag", "in", ["at_risk", "breached"])])
    return [t for t in found if _listed(t) and _matches(t, query.filters)]


def _listed(ticket: Ticket) -> bool:
    return ticket.sla_flag == "breached" or ticket.status in OPEN_STATUSES


def _matches(ticket: Ticket, filters: dict[str, str]) -> bool:
    sides = [p for p in (ticket.requester, ticket.responsible) if p is not None]
    checks = {
        "area": lambda v: any(p.area_id == v for p in sides),
        "department": lambda v: any(p.department_id == v for p in sides),
        "type": lambda v: ticket.type == v,
        "priority": lambda v: ticket.priority == v,
        "policy": lambda v: ticket.policy_id == v,
        "asset": lambda v: ticket.asset is not None and ticket.asset.tag == v,
    }
    return all(checks[name](value) for name, value in filters.items())


COLUMNS = (
    "number",
    "type",
    "status",
    "sla_flag",
    "priority",
    "policy",
    "title",
    "asset",
    "requester",
    "requester_area",
    "requester_department",
    "responsible",
    "responsible_area",
    "responsible_department",
    "created_at",
    "response_due",
    "responded_at",
    "response_breached_at",
    "resolution_due",
    "resolved_at",
    "resolution_breached_at",
    "id",
)


def row(ticket: Ticket, zone: ZoneInfo, when=None) -> dict[str, str | None]:
    """One ticket's line; `when` formats instants (ISO 8601 in `zone` by default)."""
    if when is None:

        def when(instant: datetime | None) -> str | None:
            return instant.astimezone(zone).isoformat() if instant else None

    responsible = ticket.responsible
    return {
        "number": ticket.number,
        "type": ticket.type,
        "status": ticket.status,
        "sla_flag": ticket.sla_flag,
        "priority": ticket.priority,
        "policy": ticket.policy_id,
        "title": ticket.title,
        "asset": ticket.asset.tag if ticket.asset else None,
        "requester": ticket.requester.email,
        "requester_area": ticket.requester.area_name,
        "requester_department": ticket.requester.department_name,
        "responsible": responsible.email if responsible else None,
        "responsible_area": responsible.area_name if responsible else None,
        "responsible_department": responsible.department_name if responsible else None,
        "created_at": when(ticket.created_at),
        "response_due": when(ticket.response_due),
        "responded_at": when(ticket.responded_at),
        "response_breached_at": when(ticket.response_breached_at),
        "resolution_due": when(ticket.resolution_due),
        "resolved_at": when(ticket.resolved_at),
        "resolution_breached_at": when(ticket.resolution_breached_at),
        "id": ticket.id,
    }
