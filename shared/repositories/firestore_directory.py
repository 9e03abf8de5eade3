"""The organisation directory read from Firestore, cached per function instance.

Areas, departments, calendars, categories and policies are few and change rarely: they are
read together, from the one document the loader writes, and kept for `ttl` seconds. People
and assets can be many: each is read by key when first needed (several in one round trip)
and kept for the same time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.organisation import (
    Area,
    Asset,
    CalendarSpec,
    Category,
    Department,
    Person,
    Settings,
    SlaPolicy,
)
from shared.repositories import firestore as names
from shared.sla import BusinessCalendar


@dataclass(frozen=True)
class _Static:
    settings: Settings
    areas: dict[str, Area]
    departments: dict[str, Department]
    calendars: dict[str, BusinessCalendar]
    calendar_names: dict[str, str]
    categories: dict[str, Category]
    policies: dict[str, SlaPolicy]


def _dates(stored: str | list[str] | None) -> list[str] | None:
    """A calendar's holiday dates as the loader stores them (one string; a list before)."""
    return stored.split() if isinstance(stored, str) else stored


class OrganisationNotLoaded(RuntimeError):
    """No configuration has been loaded into this project's Firestore yet."""


class FirestoreDirectory:
    def __init__(
        self,
        db: firestore.Client,
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        deadline: float = 20.0,
    ) -> None:
        self._db, self._ttl, self._clock = db, ttl, clock
        self._calls = names.bounded(deadline)
        self._lock = threading.Lock()
        self._static: tuple[float, _Static] | None = None
        self._people: dict[str, tuple[float, Person]] = {}
        self._assets: dict[str, tuple[float, Asset]] = {}

    def _load_static(self) -> _Static:
        cached = self._static
        if cached and self._clock() - cached[0] < self._ttl:
            return cached[1]
        with self._lock:
            cached = self._static
            if cached and self._clock() - cached[0] < self._ttl:
                return cached[1]
            snapshot = self._db.collection(names.SETTINGS).document(names.DIRECTORY_SNAPSHOT)
            found = snapshot.get(**self._calls)
            if not found.exists:
                raise OrganisationNotLoaded("load the organisation's configuration first")
            data = found.to_dict()

            def read(collection: str, model):
                return {key: model.model_validate(doc) for key, doc in data[collection].items()}

            specs = read(names.CALENDARS, CalendarSpec)
            static = _Static(
                settings=Settings.model_validate(data["organisation"]),
                areas=read(names.AREAS, Area),
                departments=read(names.DEPARTMENTS, Department),
                calendars={
                    key: spec.build(_dates(data.get("holiday_dates", {}).get(key)))
                    for key, spec in specs.items()
                },
                calendar_names={key: spec.name or key for key, spec in specs.items()},
                categories=read(names.CATEGORIES, Category),
                policies=read(names.POLICIES, SlaPolicy),
            )
            self._static = (self._clock(), static)
            return static

    def settings(self) -> Settings:
        return self._load_static().settings

    def policy(self, policy_id: str, include_withdrawn: bool = False) -> SlaPolicy | None:
        policy = self._load_static().policies.get(policy_id)
        return policy if policy and (policy.active or include_withdrawn) else None

    def calendar(self, calendar_id: str) -> BusinessCalendar | None:
        return self._load_static().calendars.get(calendar_id)

    def calendar_name(self, calendar_id: str) -> str:
        return self._load_static().calendar_names.get(calendar_id, calendar_id)

    def area(self, area_id: str) -> Area | None:
        return self._load_static().areas.get(area_id)

    def department(self, department_id: str) -> Department | None:
        return self._load_static().departments.get(department_id)

    def category(self, category_id: str) -> Category | None:
        return self._load_static().categories.get(category_id)

    def category_ids(self) -> list[str]:
        return sorted(self._load_static().categories)

    def policies(self) -> list[SlaPolicy]:
        """Every policy, withdrawn ones included (old tickets keep theirs)."""
        policies = self._load_static().policies
        return [policies[key] for key in sorted(policies)]

    def area_ids(self) -> list[str]:
        return sorted(self._load_static().areas)

    def department_ids(self) -> list[str]:
        return sorted(self._load_static().departments)

    def people_in(self, department_id: str) -> list[Person]:
        query = self._db.collection(names.PEOPLE).where(
            filter=FieldFilter("department", "==", department_id)
        )
        found = [Person.model_validate(s.to_dict()) for s in query.stream(**self._calls)]
        return sorted((p for p in found if p.active), key=lambda person: person.name)

    def lookup(
        self, emails: Iterable[str], tags: Iterable[str]
    ) -> tuple[dict[str, Person], dict[str, Asset]]:
        now = self._clock()
        emails = [e for e in emails if names.is_document_id(e)]
        tags = [t for t in tags if names.is_document_id(t)]
        people = self._fresh(self._people, emails, now)
        assets = self._fresh(self._assets, tags, now)
        missing = [self._db.collection(names.PEOPLE).document(e) for e in emails if e not in people]
        missing += [self._db.collection(names.ASSETS).document(t) for t in tags if t not in assets]
        for snapshot in self._db.get_all(missing, **self._calls) if missing else ():
            if not snapshot.exists:
                continue
            if snapshot.reference.parent.id == names.PEOPLE:
                people[snapshot.id] = Person.model_validate(snapshot.to_dict())
                self._people[snapshot.id] = (now, people[snapshot.id])
            else:
                assets[snapshot.id] = Asset.model_validate(snapshot.to_dict())
                self._assets[snapshot.id] = (now, assets[snapshot.id])
        return people, assets

    def _fresh(self, cache: dict, keys: Iterable[str], now: float) -> dict:
        found = {}
        for key in keys:
            entry = cache.get(key)
            if entry and now - entry[0] < self._ttl:
                found[key] = entry[1]
        return found
