"""What one person's digest says, read when it is sent:

- their own tickets: overdue, due today, and waiting on the requester;
- each department they head: breaches, at risk, and tickets nobody has taken on yet;
- a manager: yesterday's figures (opened, closed, breaches, expenses and loss) and the week's
  trend beside the week before.

Every list is one indexed page of the personal lists (shared/repositories/personal_lists.py);
the figures come from the report's rollups and counting queries: nothing grows with the number
of tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from shared import texts
from shared.domain.organisation import Person
from shared.domain.types import Role
from shared.formatting import format_business_time
from shared.links import LinkSigner
from shared.repositories.directory import Directory
from shared.sla import BusinessCalendar

SHOWN = 10  # lines per section; the rest is one click away in the person's lists
READ = 50  # rows read per list


class Lists(Protocol):
    def page(self, who, value, phases, filters, size, cursor) -> Any: ...


class DayFigures(Protocol):
    def opened(self, start: date, end: date) -> dict[str, Any]:
        """The report's overall figures of the tickets created from `start` to `end`."""
        ...

    def closed(self, since: datetime, until: datetime) -> int: ...
    def breaches(self, since: datetime, until: datetime) -> int: ...


@dataclass
class Line:
    number: str
    title: str
    detail: str
    url: str


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    more: int = 0  # lines left out (or "at least": the list was read one page deep)


@dataclass
class Digest:
    person: Person
    day: date
    sections: list[Section]
    figures: list[tuple[str, str]]  # a manager's: label, value
    trend: list[tuple[str, str, str]]  # label, this week, the week before
    leads: bool = False  # a manager or a department head: the console is theirs

    @property
    def empty(self) -> bool:
        return not any(s.lines for s in self.sections) and not self.figures


def _due(row: dict) -> datetime:
    return row["response_due"] if row.get("responded_at") is None else row["resolution_due"]


def _urgency(row: dict) -> str:
    return str((row.get("work") or {}).get("order", "2"))[:1]


class DigestWriter:
    def __init__(
        self, directory: Directory, lists: Lists, figures: DayFigures, links: LinkSigner
    ) -> None:
        self._directory, self._lists, self._figures, self._links = directory, lists, figures, links

    def write(self, person: Person, day: date, now: datetime, calendar: BusinessCalendar):
        locale = person.locale
        t = lambda key, **kw: texts.ui(key, locale, **kw)  # noqa: E731
        sections: list[Section] = []
        seen: set[str] = set()  # a ticket in their own lists is not repeated in a department's
        sections += self._own(person, day, now, calendar, t, seen)
        leads = person.role == Role.MANAGER
        for department_id in self._directory.department_ids():
            department = self._directory.department(department_id)
            if department is not None and department.head == person.email:
                leads = True
                name = department.name
                sections += self._department(person, department_id, name, now, t, seen)
        figures, trend = ([], [])
        if person.role == Role.MANAGER:
            figures, trend = self._manager(day, calendar, locale, t)
        return Digest(person, day, sections, figures, trend, leads)

    def _line(self, row: dict, person: Person, role: str, detail: str) -> Line:
        url = self._links.url(row["id"], person.email, role)
        return Line(row.get("number") or "", row.get("title", ""), detail, url)

    def _left(self, row: dict, now: datetime, t) -> str:
        calendar = self._directory.calendar(row.get("calendar_id", ""))
        due = _due(row)
        if calendar is None:
            return ""
        if due < now:
            return t("overdue_by", time=format_business_time(calendar.between(due, now)))
        return t("due_in", time=format_business_time(calendar.between(now, due)))

    def _own(
        self, person: Person, day: date, now: datetime, calendar, t, seen: set[str]
    ) -> list[Section]:
        open_rows = self._lists.page("responsible", person.email, ["open"], {}, READ, None).rows
        overdue = Section(t("digest_overdue"))
        today = Section(t("digest_due_today"))
        for row in open_rows:
            due = _due(row)
            if due < now or _urgency(row) == "0":
                target = overdue
            elif calendar.localize(due).date() <= day:
                target = today
            else:
                continue
            seen.add(row["id"])
            _add(target, self._line(row, person, "responsible", self._left(row, now, t)))
        waiting_page = self._lists.page("responsible", person.email, ["waiting"], {}, SHOWN, None)
        waiting = Section(t("digest_waiting"))
        for row in waiting_page.rows:
            seen.add(row["id"])
            _add(waiting, self._line(row, person, "responsible", ""))
        if waiting_page.next:
            waiting.more += 1
        return [s for s in (overdue, today, waiting) if s.lines]

    def _department(self, person: Person, department_id: str, name: str, now, t, seen: set[str]):
        page = self._lists.page("department", department_id, ["open", "waiting"], {}, READ, None)
        breached = Section(t("digest_dept_breached", department=name))
        at_risk = Section(t("digest_dept_at_risk", department=name))
        untaken = Section(t("digest_dept_untaken", department=name))
        for row in page.rows:
            if row["id"] in seen:
                continue
            line = self._line(row, person, "manager", self._left(row, now, t))
            urgency = _urgency(row)
            if urgency == "0":
                _add(breached, line)
            elif urgency == "1":
                _add(at_risk, line)
            if row.get("status") in ("new", "assigned"):
                responsible = (row.get("responsible") or {}).get("name", "")
                _add(untaken, Line(line.number, line.title, responsible, line.url))
        return [s for s in (breached, at_risk, untaken) if s.lines]

    def _manager(self, day: date, calendar: BusinessCalendar, locale: str, t):
        from babel.numbers import format_currency, format_decimal

        yesterday = day - timedelta(days=1)
        since = _local_midnight(yesterday, calendar)
        until = _local_midnight(day, calendar)
        opened = self._figures.opened(yesterday, yesterday)

        def money(cents: int, code: str) -> str:
            return format_currency(cents / 100, code, locale=locale.replace("-", "_"))

        expenses = [money(c, k) for k, c in sorted(opened["cost_cents"].items())]
        losses = [money(c, k) for k, c in sorted(opened["loss_cents"].items())]
        figures = [
            (t("digest_opened"), str(opened["tickets"])),
            (t("digest_closed"), str(self._figures.closed(since, until))),
            (t("digest_breaches"), str(self._figures.breaches(since, until))),
            (t("digest_expenses"), " · ".join(expenses) or "—"),
            (t("digest_loss"), " · ".join(losses) or "—"),
        ]
        this_week = self._figures.opened(day - timedelta(days=7), yesterday)
        week_before = self._figures.opened(day - timedelta(days=14), day - timedelta(days=8))

        def percent(figures: dict, clock: str) -> str:
            value = figures[clock]["compliance_percent"]
            if value is None:
                return "—"
            return format_decimal(value, format="#,##0.0", locale=locale.replace("-", "_")) + "%"

        trend = [
            (t("digest_opened"), str(this_week["tickets"]), str(week_before["tickets"])),
            (
                t("digest_response_met"),
                percent(this_week, "response"),
                percent(week_before, "response"),
            ),
            (
                t("digest_resolution_met"),
                percent(this_week, "resolution"),
                percent(week_before, "resolution"),
            ),
            (t("digest_breaches"), str(this_week["breached"]), str(week_before["breached"])),
        ]
        return figures, trend


def _add(section: Section, line: Line) -> None:
    if len(section.lines) < SHOWN:
        section.lines.append(line)
    else:
        section.more += 1


def _local_midnight(day: date, calendar: BusinessCalendar) -> datetime:
    return datetime.combine(day, datetime.min.time(), calendar.zone).astimezone(UTC)
