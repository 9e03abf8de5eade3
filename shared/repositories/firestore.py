"""The Firestore client and the names of the collections the help desk keeps."""

from __future__ import annotations

from google.cloud import firestore

from shared.config import Config

TICKETS = "tickets"
EVENTS = "ticket_events"  # every ticket's audit trail, one document per event
COUNTERS = "counters"
SETTINGS = "settings"
AREAS = "areas"
DEPARTMENTS = "departments"
PEOPLE = "people"
CALENDARS = "calendars"
CATEGORIES = "categories"
POLICIES = "policies"
ASSETS = "assets"
DELIVERIES = "deliveries"  # one per (event, recipient): the exactly-once claim


def client(config: Config) -> firestore.Client:
    """A client for the configured project; FIRESTORE_EMULATOR_HOST points it at the emulator."""
    return firestore.Client(project=config.project, database=config.database)
