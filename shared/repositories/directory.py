"""Looking up the organisation: the port the services use, and an in-memory version of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from shared.domain.organisation import (
    Area,
    Asset,
    Category,
    Department,
    Organisation,
    Person,
    Settings,
    SlaPolicy,
)
from shared.sla import BusinessCalendar


class Directory(Protocol):
    def settings(self) -> Settings: ...
    def policy(self, policy_id: str, include_withdrawn: bool = False) -> SlaPolicy | None:
        """An active policy; a withdrawn one too when asked (its open tickets still run)."""
        ...

    def calendar(self, calendar_id: str) -> BusinessCalendar | None: ...
    def calendar_name(self, calendar_id: str) -> str: ...
    def area(self, area_id: str) -> Area | None: ...
    def department(self, department_id: str) -> Department | None: ...
    def category(self, category_id: str) -> Category | None: ...
    def category_ids(self) -> list[str]: ...
    def policies(self) -> list[SlaPolicy]: ...
    def area_ids(self) -> list[str]: ...
    def department_ids(self) -> list[str]: ...

    def people_in(self, department_id: str) -> list[Person]:
        """The active people of one department, by name."""
        ...

    def lookup(
        self, emails: Iterable[str], tags: Iterable[str]
    ) -> tuple[dict[str, Person], dict[str, Asset]]:
        """People by e-mail and assets by tag, in one round trip; unknown keys are left out."""
        ...


def person_of(directory: Directory, email: str) -> Person | None:
    """One person of the directory, or None when the address is nobody's."""
    return directory.lookup([email], [])[0].get(email)


def asset_of(directory: Directory, tag: str) -> Asset | None:
    """One asset of the registry, or None when no asset has the tag."""
    return directory.lookup([], [tag])[1].get(tag)


class StaticDirectory:
    """The directory of an already loaded organisation (unit tests, the loader's own checks)."""

    def __init__(self, organisation: Organisation) -> None:
        self._org = organisation
        self._policies = {policy.id: policy for policy in organisation.policies}
        self._calendars = {spec.id: spec.build() for spec in organisation.calendars}
        self._areas = {area.id: area for area in organisation.areas}
        self._departments = {dept.id: dept for dept in organisation.departments}
        self._categories = {category.id: category for category in organisation.categories}
        self._people = {person.email: person for person in organisation.people}
        self._assets = {asset.tag: asset for asset in organisation.assets}

    def settings(self) -> Settings:
        return self._org.organisation

    def policy(self, policy_id: str, include_withdrawn: bool = False) -> SlaPolicy | None:
        policy = self._policies.get(policy_id)
        return policy if policy and (policy.active or include_withdrawn) else None

    def calendar(self, calendar_id: str) -> BusinessCalendar | None:
        return self._calendars.get(calendar_id)

    def calendar_name(self, calendar_id: str) -> str:
        spec = next((c for c in self._org.calendars if c.id == calendar_id), None)
        return (spec.name or calendar_id) if spec else calendar_id

    def area(self, area_id: str) -> Area | None:
        return self._areas.get(area_id)

    def department(self, department_id: str) -> Department | None:
        return self._departments.get(department_id)

    def category(self, category_id: str) -> Category | None:
        return self._categories.get(category_id)

    def category_ids(self) -> list[str]:
        return sorted(self._categories)

    def policies(self) -> list[SlaPolicy]:
        """Every policy, withdrawn ones included (old tickets keep theirs)."""
        return [self._policies[key] for key in sorted(self._policies)]

    def area_ids(self) -> list[str]:
        return sorted(self._areas)

    def department_ids(self) -> list[str]:
        return sorted(self._departments)

    def people_in(self, department_id: str) -> list[Person]:
        found = [p for p in self._people.values() if p.department == department_id and p.active]
        return sorted(found, key=lambda person: person.name)

    def lookup(
        self, emails: Iterable[str], tags: Iterable[str]
    ) -> tuple[dict[str, Person], dict[str, Asset]]:
        people = {e: self._people[e] for e in emails if e in self._people}
        return people, {t: self._assets[t] for t in tags if t in self._assets}


def departments_headed(email: str, directory: Directory) -> list[str]:
    """The departments this person heads (none for most)."""
    found = []
    for department_id in directory.department_ids():
        department = directory.department(department_id)
        if department is not None and department.head == email:
            found.append(department_id)
    return found


def leads(directory: Directory, email: str) -> bool:
    """An active manager or department head: the managers' console is theirs."""
    from shared.domain.types import Role

    person = person_of(directory, email)
    if person is None or not person.active:
        return False
    return person.role == Role.MANAGER or bool(departments_headed(email, directory))
