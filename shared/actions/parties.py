"""A person of the directory as a ticket keeps them: where they work, under the names of now."""

from __future__ import annotations

from shared.domain.organisation import Person
from shared.domain.ticket import Party
from shared.repositories.directory import Directory


def party_of(person: Person, directory: Directory) -> Party:
    area = directory.area(person.area)
    department = directory.department(person.department)
    return Party(
        email=person.email,
        name=person.name,
        locale=person.locale,
        area_id=person.area,
        area_name=area.name if area else person.area,
        department_id=person.department,
        department_name=department.name if department else person.department,
    )
