"""The Firestore client and the names of the collections the help desk keeps."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore

from shared.config import Config

TICKETS = "tickets"
EVENTS = "ticket_events"  # every ticket's audit trail, one document per event
COUNTERS = "counters"
NUMBER_CLAIMS = "number_claims"  # the number drawn for a ticket not yet stored (numbers.py)
SETTINGS = "settings"
AREAS = "areas"
DEPARTMENTS = "departments"
PEOPLE = "people"
CALENDARS = "calendars"
CATEGORIES = "categories"
POLICIES = "policies"
ASSETS = "assets"
# The organisation's few, rarely changed entries, also kept together in one document of
# SETTINGS (written by the loader) so that a function reads them in one round trip.
DIRECTORY_COLLECTIONS = (AREAS, DEPARTMENTS, CALENDARS, CATEGORIES, POLICIES)
DIRECTORY_SNAPSHOT = "directory"
UPLOADS = "uploads"  # one per file sent to a ticket: its checks, and the evidence it became
DELIVERIES = "deliveries"  # one per (event, recipient): the exactly-once claim


def is_document_id(value: object) -> bool:
    """Whether a caller's value can name a document: a request's ids reach Firestore only when
    they can (an empty id, a slash or `__name__` would be an error there, not a 404 here)."""
    if not isinstance(value, str) or not value or value in (".", ".."):
        return False
    if "/" in value or len(value.encode("utf-8", "surrogatepass")) > 1500:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text Firestore can store
        return False
    return not (value.startswith("__") and value.endswith("__"))


def client(config: Config) -> firestore.Client:
    """A client for the configured project; FIRESTORE_EMULATOR_HOST points it at the emulator."""
    return firestore.Client(project=config.project, database=config.database)


def bounded(deadline: float) -> dict[str, Any]:
    """The retry and timeout of a Firestore call that gives up after `deadline` seconds: an
    outage then answers 503 in time, rather than a request hanging until the platform's own
    timeout (the client's defaults retry for minutes)."""
    from google.api_core import retry

    return {"retry": retry.Retry(timeout=deadline), "timeout": deadline}


def contended(deadline: float) -> dict[str, Any]:
    """`bounded`, also retrying a commit Firestore aborted for contention (a hot document
    under a burst: the counter, a rollup shard), with jittered exponential backoff. An aborted
    commit wrote nothing, so sending it again is safe; past `deadline` the caller answers 503
    with Retry-After."""
    from google.api_core import exceptions as google_errors
    from google.api_core import retry

    predicate = retry.if_exception_type(
        google_errors.Aborted,
        google_errors.InternalServerError,
        google_errors.TooManyRequests,
        google_errors.ServiceUnavailable,
    )
    policy = retry.Retry(
        predicate=predicate, initial=0.05, maximum=2.0, multiplier=2.0, timeout=deadline
    )
    return {"retry": policy, "timeout": deadline}


DIGESTS = "digests"  # one per person and day: the daily digest's exactly-once claim
DIGEST_SETTINGS = "digest_settings"  # one per person who turned the digest off (or on again)
CONSOLE_SESSIONS = "console_sessions"  # one per console sign-in: ended at sign-out, TTL after
