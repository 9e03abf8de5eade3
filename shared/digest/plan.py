"""Who receives a daily digest, and when: technicians (their tickets), department heads (their
departments' tickets) and managers (the service's figures), at the start of their first working
interval of the day in their calendar (the organisation's default unless the person has one).
A day without working time sends nothing."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from shared.domain.organisation import Person
from shared.domain.types import Role
from shared.repositories.directory import Directory


def readers(directory: Directory) -> list[Person]:
    """The active people a digest may concern: agents, managers and department heads."""
    heads = set()
    found: dict[str, Person] = {}
    for department_id in directory.department_ids():
        department = directory.department(department_id)
        if department is not None and department.head:
            heads.add(department.head)
        for person in directory.people_in(department_id):
            found.setdefault(person.email, person)
    return [
        person
        for email, person in sorted(found.items())
        if person.role in (Role.AGENT, Role.MANAGER) or email in heads
    ]


def calendar_id_of(person: Person, directory: Directory) -> str:
    if person.calendar and directory.calendar(person.calendar) is not None:
        return person.calendar
    return directory.settings().default_calendar


def local_day(person: Person, directory: Directory, now: datetime) -> date | None:
    calendar = directory.calendar(calendar_id_of(person, directory))
    return calendar.localize(now).date() if calendar else None


def first_start(person: Person, directory: Directory, day: date) -> datetime | None:
    """The start of the person's first working interval that begins on `day` (None: no work)."""
    calendar = directory.calendar(calendar_id_of(person, directory))
    spans = calendar.intervals_on(day) if calendar else ()
    return spans[0][0] if spans else None


def digest_id(email: str, day: date) -> str:
    """One digest per person and day: the claim's document id and the task's name."""
    return f"{day.isoformat()}--{hashlib.sha256(email.encode()).hexdigest()[:24]}"
