"""The help desk's mailbox as the mailbox channel reads it (Gmail's, or the local stand-in),
and what it raises when its history cannot be listed."""

from __future__ import annotations

from typing import Protocol


class HistoryGone(Exception):
    """The stored history id is too old to list (Gmail keeps about a week): fall back to a
    bounded search for recent messages not yet processed."""


class Mailbox(Protocol):
    """The help desk's mailbox (gmail_mailbox.py, local_mailbox.py)."""

    address: str

    def history(self, start: str) -> tuple[list[str], str]:
        """The ids of messages added since history id `start`, oldest first, and the newest
        history id listed; raises HistoryGone."""
        ...

    def recent_unprocessed(self, limit: int) -> list[str]:
        """Ids of recent messages in the inbox that do not carry the processed label."""
        ...

    def raw(self, message_id: str) -> bytes | None:
        """The message's RFC 5322 bytes (None: it was deleted since)."""
        ...

    def mark_processed(self, message_id: str) -> None: ...

    def watch(self) -> str:
        """(Re)start the push notifications; the mailbox's current history id."""
        ...
