"""What acting on a ticket needs from the world, as typing Protocols (with `TicketStore`, in
shared/domain/ports.py): the adapters (Firestore today) implement them, and the unit tests'
in-memory fakes do too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.config import Config
from shared.domain.ports import TicketStore
from shared.domain.ticket import Evidence, Ticket
from shared.repositories.directory import Directory


class AcceptedUploads(Protocol):
    def accepted(self, ticket_id: str, upload_ids: list[str]) -> list[tuple[str, Evidence]]:
        """The uploads among `upload_ids` that passed their checks for this ticket, in order
        (any other id is left out)."""
        ...


class TicketNumbers(Protocol):
    def by_number(self, number: str) -> Ticket | None:
        """The ticket with this number ("INC-000012"), or None."""
        ...


@dataclass(frozen=True)
class Context:
    """What turning an input into a decision reads: the rules, the directory, the files, and
    other tickets by number (a duplicate's original)."""

    config: Config
    directory: Directory
    uploads: AcceptedUploads
    numbers: TicketNumbers | None = None


__all__ = ["AcceptedUploads", "Context", "TicketNumbers", "TicketStore"]
