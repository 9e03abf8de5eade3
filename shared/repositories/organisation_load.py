"""Write a validated organisation into Firestore.

Running it twice changes nothing. Entries that left the file are not deleted, since tickets
refer to them: people and policies become inactive and assets retired. Areas, departments,
calendars and categories that left the file stay as they are (open tickets may still use them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from google.cloud import firestore

from shared.domain.organisation import AssetStatus, CalendarSpec, Organisation
from shared.repositories import firestore as names
from shared.sla.public_holidays import holiday_dates

_BATCH = 400


@dataclass
class LoadReport:
    written: dict[str, int] = field(default_factory=dict)
    withdrawn: dict[str, list[str]] = field(default_factory=dict)


def load_organisation(db: firestore.Client, org: Organisation) -> LoadReport:
    report = LoadReport()
    writes: list[tuple[firestore.DocumentReference, dict, bool]] = [
        (
            db.collection(names.SETTINGS).document("organisation"),
            org.organisation.model_dump(mode="json"),
            False,
        )
    ]
    entries = {
        names.AREAS: {a.id: a.model_dump(mode="json") for a in org.areas},
        names.DEPARTMENTS: {d.id: d.model_dump(mode="json") for d in org.departments},
        names.PEOPLE: {p.email: p.model_dump(mode="json") for p in org.people},
        names.CALENDARS: {c.id: c.model_dump(mode="json") for c in org.calendars},
        names.CATEGORIES: {c.id: c.model_dump(mode="json") for c in org.categories},
        names.POLICIES: {p.id: p.model_dump(mode="json") for p in org.policies},
        names.ASSETS: {a.tag: a.model_dump(mode="json") for a in org.assets},
    }
    withdraw = {
        names.PEOPLE: {"active": False},
        names.POLICIES: {"active": False},
        names.ASSETS: {"status": AssetStatus.RETIRED.value},
    }
    for collection, docs in entries.items():
        report.written[collection] = len(docs)
        for key, doc in docs.items():
            writes.append((db.collection(collection).document(key), doc, False))
        if collection in withdraw:
            gone = [
                ref.id for ref in db.collection(collection).list_documents() if ref.id not in docs
            ]
            report.withdrawn[collection] = gone
            writes += [
                (db.collection(collection).document(key), withdraw[collection], True)
                for key in gone
            ]
    for start in range(0, len(writes), _BATCH):
        batch = db.batch()
        for ref, doc, merge in writes[start : start + _BATCH]:
            batch.set(ref, doc, merge=merge)
        batch.commit()
    write_directory_snapshot(db)
    return report


def write_directory_snapshot(db: firestore.Client) -> None:
    """The organisation and every area, department, calendar, category and policy (withdrawn
    ones included) in one document, with the calendars' public holidays as dates: a function
    instance reads its directory in one round trip and never imports the holidays library.
    Each calendar's dates are one space-separated string: a list of ~1,300 values would cost
    a cold start ~20 ms to decode and copy."""
    settings = db.collection(names.SETTINGS)
    snapshot = {"organisation": settings.document("organisation").get().to_dict()}
    for collection in names.DIRECTORY_COLLECTIONS:
        snapshot[collection] = {doc.id: doc.to_dict() for doc in db.collection(collection).stream()}
    specs = [CalendarSpec.model_validate(doc) for doc in snapshot[names.CALENDARS].values()]
    snapshot["holiday_dates"] = {
        spec.id: " ".join(holiday_dates(spec.holidays.country, spec.holidays.subdivision))
        for spec in specs
        if spec.holidays
    }
    settings.document(names.DIRECTORY_SNAPSHOT).set(snapshot)
