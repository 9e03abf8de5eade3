"""The help desk's mailbox under `make dev` and in the tests: a folder that the local inbound
SMTP server (tools/dev_mailbox.py) writes and the mailbox function reads, with the same
interface as Gmail's (shared/mail/gmail_mailbox.py).

Each message is `messages/<id>.eml`, its id the hexadecimal of its history id (the order it
arrived in); `processed/<id>` is the processed label. `history_floor` stands for Gmail's
limit on old history ids: listing from below it raises HistoryGone, as Gmail answers 404.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from shared.mail.mailbox import HistoryGone

_lock = threading.Lock()


class LocalMailbox:
    def __init__(self, root: Path, address: str) -> None:
        self.root, self.address = Path(root), address
        self._messages = self.root / "messages"
        self._processed = self.root / "processed"

    # the inbound server's side

    def deliver(self, raw: bytes) -> str:
        """Store a received message; its history id (the number Gmail's watch announces)."""
        self._messages.mkdir(parents=True, exist_ok=True)
        with _lock:
            number = self._newest() + 1
            while True:
                path = self._messages / f"{number:016x}.eml"
                try:
                    with open(path, "xb") as stream:  # x: another process cannot take it too
                        stream.write(raw)
                    break
                except FileExistsError:
                    number += 1
        return str(number)

    def forget_history_before(self, history_id: str) -> None:
        """Make older history ids unlistable (Gmail keeps about a week)."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "history_floor").write_text(history_id)

    # the Mailbox port

    def history(self, start: str) -> tuple[list[str], str]:
        floor = self.root / "history_floor"
        if floor.exists() and int(start) < int(floor.read_text() or 0):
            raise HistoryGone(start)
        found = sorted(n for n in self._numbers() if n > int(start))
        return [f"{n:016x}" for n in found], str(max(found, default=int(start)))

    def recent_unprocessed(self, limit: int) -> list[str]:
        numbers = sorted(self._numbers())[-limit:]
        ids = [f"{n:016x}" for n in numbers]
        return [i for i in ids if not (self._processed / i).exists()]

    def raw(self, message_id: str) -> bytes | None:
        path = self._messages / f"{message_id}.eml"
        return path.read_bytes() if path.exists() else None

    def mark_processed(self, message_id: str) -> None:
        self._processed.mkdir(parents=True, exist_ok=True)
        (self._processed / message_id).touch()

    def watch(self) -> str:
        return str(self._newest())

    def _numbers(self) -> list[int]:
        if not self._messages.exists():
            return []
        return [int(name[:-4], 16) for name in os.listdir(self._messages) if name.endswith(".eml")]

    def _newest(self) -> int:
        return max(self._numbers(), default=0)
