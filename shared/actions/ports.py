"""What acting on a ticket needs from the world, as typing Protocols (with `TicketStore`, in
shared/domain/ports.py): the adapters (Firestore today) implement them, and the unit tests'
in-memory fakes do too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.config import Config
from shared.domain.ports import TicketStore
from shared.domain.ticket import Evidence
from shared.repositories.directory import Directory


class AcceptedUploads(Protocol):
    def accepted(self, ticket_id: str, upload_ids: list[str]) -> list[tuple[str, Evidence]]:
        """The uploads among `upload_ids` that passed their checks for this ticket, in order
        (any other id is left out)."""
        ...


@dataclass(frozen=True)
class Context:
    """What turning an input into a decision reads: the rules, the directory, the files."""

    config: Config
    directory: Directory
    uploads: AcceptedUploads


__all__ = ["AcceptedUploads", "Context", "TicketStore"]
