"""The body of a timer task: which ticket, which milestone, which clock version (< 1 KB)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime

from shared.errors import BadRequest
from shared.repositories.firestore import is_document_id

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")  # ticket ids and milestone keys


@dataclass(frozen=True)
class TimerPayload:
    ticket_id: str
    milestone: str
    version: int
    due: str  # ISO 8601; a task scheduled short of it (30-day horizon) enqueues itself again

    def encode(self) -> bytes:
        body = json.dumps(asdict(self), separators=(",", ":")).encode()
        assert len(body) < 1024
        return body

    @property
    def due_at(self) -> datetime:
        return datetime.fromisoformat(self.due)

    @classmethod
    def decode(cls, body: bytes) -> TimerPayload:
        try:
            raw = json.loads(body)
            payload = cls(
                str(raw["ticket_id"]), str(raw["milestone"]), int(raw["version"]), str(raw["due"])
            )
            payload.due_at  # noqa: B018 - validates the instant
            if not (_NAME.match(payload.ticket_id) and _NAME.match(payload.milestone)):
                raise ValueError("not a ticket id or a milestone")
            if not is_document_id(payload.ticket_id):  # __main__ is reserved by Firestore
                raise ValueError("not a ticket id")
        except (ValueError, KeyError, TypeError):
            raise BadRequest("a timer body is {ticket_id, milestone, version, due}") from None
        return payload

    def task_name(self, scheduled_at: datetime) -> str:
        """Unique per hop: Cloud Tasks refuses a name reused within about an hour."""
        return f"{self.ticket_id}-{self.milestone}-v{self.version}-{int(scheduled_at.timestamp())}"
