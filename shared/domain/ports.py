"""The ticket store, as every use case sees it (actions, timers, uploads): a port, which the
Firestore adapter (shared/repositories/tickets.py) and the unit tests' fakes implement."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from shared.domain.change import Change, Decide
from shared.domain.ticket import Ticket


class TicketStore(Protocol):
    def get(self, ticket_id: str) -> Ticket | None: ...

    def apply(
        self, ticket_id: str, decide: Decide, now: datetime
    ) -> tuple[Ticket | None, Change | None]:
        """Read the ticket, let `decide` choose a change, and write it with its events in one
        guarded write (deciding again on the fresh ticket when another change won the race).
        Answers the ticket as `decide` last saw it and the change written (None: nothing)."""
        ...
