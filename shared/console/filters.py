"""The console's filters: the report's (area, department either side, type, priority, policy,
asset), and for the tickets also status, the SLA's state now, requester and responsible. Each
is read from the address, checked against what exists, and given back as typed when it is
wrong, with the fields named (the page answers 400 and lists nothing)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from shared import texts
from shared.domain.ticket import Status
from shared.domain.types import ASSET_TAG, Priority, Role, TicketType
from shared.domain.work_lists import SLA_STATES
from shared.reports.sla.figures import FILTERS as REPORT_FILTERS

TICKET_FILTERS = (*REPORT_FILTERS, "status", "sla", "requester", "responsible")
texts.N_("ui", "console_filter_status", "console_filter_sla", "console_filter_requester")
texts.N_("ui", "console_filter_responsible", "console_filter_asset", "console_bad_filter")
texts.N_("ui", "console_sla_breached", "console_sla_at_risk", "console_sla_on_time")
texts.N_("ui", "console_email_hint")


@dataclass
class Filters:
    values: dict[str, str] = field(default_factory=dict)  # the valid ones
    typed: dict[str, str] = field(default_factory=dict)  # everything typed, to show again
    wrong: list[str] = field(default_factory=list)  # the names of the wrong ones

    def query(self, **more: str) -> str:
        return urlencode({**self.typed, **{k: v for k, v in more.items() if v}})


def choices(directory, locale: str, headed: list[str]) -> dict[str, list[tuple[str, str]]]:
    departments = headed or directory.department_ids()
    return {
        "area": [(a, directory.area(a).name) for a in directory.area_ids() if directory.area(a)],
        "department": [
            (d, directory.department(d).name) for d in departments if directory.department(d)
        ],
        "type": [(str(k), texts.ui(k, locale)) for k in TicketType],
        "priority": [(str(p), texts.text("priority", p, locale)) for p in Priority],
        "policy": [(p.id, p.name.get(locale)) for p in directory.policies()],
        "status": [(str(s), texts.text("status", s, locale)) for s in Status],
        "sla": [(s, texts.ui(f"console_sla_{s}", locale)) for s in SLA_STATES],
    }


def headed_by(app, person) -> list[str]:
    """The departments a head's console is limited to; none for a manager (the organisation)."""
    from shared.repositories.directory import departments_headed

    return [] if person.role == Role.MANAGER else departments_headed(person.email, app.directory)


def read_filters(args, names: tuple[str, ...], options: dict[str, list[tuple[str, str]]]):
    found = Filters()
    for name in names:
        value = (args.get(name) or "").strip()[:120]
        if not value:
            continue
        found.typed[name] = value
        if name in ("requester", "responsible"):
            value = value.lower()
            ok = "@" in value and " " not in value
        elif name == "asset":
            ok = re.fullmatch(ASSET_TAG, value) is not None
        else:
            ok = value in {v for v, _ in options.get(name, [])}
        if ok:
            found.values[name] = value
        else:
            found.wrong.append(name)
    return found


def wrong_notice(filters: Filters, locale: str) -> str:
    names = ", ".join(texts.ui(f"console_filter_{n}", locale) for n in filters.wrong)
    return texts.ui("console_bad_filter", locale, names=names)


def read_report_query(app, person, locale: str, args, formats=("pdf", "csv")):
    """The report's query from the address or a form: (the query or None, what was typed, to
    show again, and what is wrong, named, or ""). A head's department is theirs; an asset must
    be in the registry (its tag in any case)."""
    from shared.console.handlers import today_in
    from shared.errors import BadRequest
    from shared.reports.sla.query import MAX_DAYS, parse_report_query
    from shared.repositories.directory import asset_of

    headed = headed_by(app, person)
    filters = read_filters(args, REPORT_FILTERS, choices(app.directory, locale, headed))
    tag = filters.values.get("asset")
    if tag:
        found = asset_of(app.directory, tag) or asset_of(app.directory, tag.upper())
        if found is None:
            del filters.values["asset"]
            filters.wrong.append("asset")
        else:
            filters.values["asset"] = found.tag
    typed = {**filters.typed}
    for name in ("from", "to"):
        if (args.get(name) or "").strip():
            typed[name] = args[name].strip()[:20]
    if headed and filters.values.get("department") not in headed:
        filters.values["department"] = typed["department"] = headed[0]
    if filters.wrong:
        return None, typed, wrong_notice(filters, locale)
    kind = args.get("format") if args.get("format") in formats else formats[0]
    wanted = {k: typed[k] for k in ("from", "to") if k in typed}
    try:
        query = parse_report_query({**wanted, **filters.values, "format": kind}, today_in(app))
    except BadRequest:
        return None, typed, texts.ui("console_bad_period", locale, days=MAX_DAYS)
    return query, typed, ""
