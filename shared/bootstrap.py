"""Build the real collaborators once per function instance (from the environment)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from shared import log
from shared.config import Config
from shared.repositories.firestore import client
from shared.repositories.firestore_directory import FirestoreDirectory
from shared.repositories.tickets import FirestoreTickets


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    config: Config
    directory: FirestoreDirectory
    tickets: FirestoreTickets
    now: Callable[[], datetime]


@functools.cache
def services() -> Services:
    config = Config.from_env()
    log.configure(config.log_level)
    db = client(config)
    return Services(
        config=config,
        directory=FirestoreDirectory(db, ttl=config.directory_cache_seconds),
        tickets=FirestoreTickets(db),
        now=utc_now,
    )
