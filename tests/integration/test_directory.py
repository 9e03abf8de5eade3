"""The organisation as the functions read it, after the loader wrote it to Firestore."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.repositories.firestore_directory import FirestoreDirectory, OrganisationNotLoaded
from shared.repositories.organisation_load import load_organisation
from tests.unit.intake.test_service import ORG


def test_the_directory_reads_what_the_file_says(db):
    load_organisation(db, ORG)
    directory = FirestoreDirectory(db)
    assert [policy.id for policy in directory.policies()] == sorted(p.id for p in ORG.policies)
    assert directory.area_ids() == sorted(area.id for area in ORG.areas)
    assert directory.department_ids() == sorted(d.id for d in ORG.departments)
    assert directory.category_ids() == sorted(c.id for c in ORG.categories)
    assert directory.settings() == ORG.organisation
    for spec in ORG.calendars:
        assert directory.calendar(spec.id).zone.key == spec.timezone
    people, assets = directory.lookup([ORG.people[0].email], [ORG.assets[0].tag])
    assert people[ORG.people[0].email] == ORG.people[0]
    assert assets[ORG.assets[0].tag] == ORG.assets[0]


def test_a_policy_that_left_the_file_is_withdrawn_but_still_known(db):
    load_organisation(db, ORG)
    gone = ORG.policies[0]
    load_organisation(db, ORG.model_copy(update={"policies": ORG.policies[1:]}))
    directory = FirestoreDirectory(db)
    assert directory.policy(gone.id) is None  # no new ticket may use it
    withdrawn = directory.policy(gone.id, include_withdrawn=True)  # old tickets keep it
    assert withdrawn is not None
    assert not withdrawn.active


def test_a_new_load_reaches_running_instances_after_their_cache_time(db):
    load_organisation(db, ORG)
    fresh, cached = FirestoreDirectory(db, ttl=0), FirestoreDirectory(db, ttl=3600)
    assert fresh.policy(ORG.policies[0].id) is not None
    assert cached.policy(ORG.policies[0].id) is not None
    load_organisation(db, ORG.model_copy(update={"policies": ORG.policies[1:]}))
    assert fresh.policy(ORG.policies[0].id) is None
    assert cached.policy(ORG.policies[0].id) is not None


def test_nothing_loaded_yet_is_said_plainly(db):
    with pytest.raises(OrganisationNotLoaded):
        FirestoreDirectory(db).policies()


def test_calendars_read_back_close_on_the_same_holidays_as_the_library_says(db):
    load_organisation(db, ORG)
    directory = FirestoreDirectory(db)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(730)]
    for spec in ORG.calendars:
        stored, library = directory.calendar(spec.id), spec.build()
        assert [stored.intervals_on(day) for day in days] == [
            library.intervals_on(day) for day in days
        ]
    snapshot = db.collection("settings").document("directory")
    stored_dates = snapshot.get().get("holiday_dates")
    assert set(stored_dates) == {spec.id for spec in ORG.calendars if spec.holidays} != set()
    assert not directory.calendar(ORG.calendars[0].id).intervals_on(date(2026, 12, 25))

    # A snapshot written by an older loader (dates as lists) reads the same.
    snapshot.update({"holiday_dates": {key: text.split() for key, text in stored_dates.items()}})
    older = FirestoreDirectory(db)
    for spec in ORG.calendars:
        assert [older.calendar(spec.id).intervals_on(day) for day in days] == [
            directory.calendar(spec.id).intervals_on(day) for day in days
        ]
