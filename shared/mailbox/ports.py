"""What the mailbox channel needs from the mailbox and from its own records."""

from __future__ import annotations

from typing import Protocol

from shared.mail.mailbox import HistoryGone, Mailbox

__all__ = ["HistoryCursor", "HistoryGone", "Mailbox", "MessageClaims"]


class MessageClaims(Protocol):
    """Each mailbox message applied once (shared/repositories/mail_messages.py)."""

    def claim(self, message_id: str) -> bool:
        """True: this caller applies the message now; False: it was applied, or another
        caller holds a live claim on it (which raises ClaimedElsewhere)."""
        ...

    def done(self, message_id: str, outcome: str) -> None: ...

    def release(self, message_id: str) -> None: ...


class HistoryCursor(Protocol):
    def read(self) -> str | None: ...

    def advance(self, history_id: str) -> None:
        """Move forward to `history_id` (never back: Gmail's history ids only grow)."""
        ...
