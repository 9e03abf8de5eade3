"""Start the day's digests (Cloud Scheduler, once a day) and send one (Cloud Tasks, per person).

`start` enqueues one named task per person for the start of their first working interval
today; `send` writes and sends that person's digest once: its claim document is the day's
(`digests/<day>--<person>`), so a job run twice, a task delivered twice or a retried send
never mails a second digest. A person who turned the digest off, who left, or who has nothing
to read today gets none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from shared.digest.content import DigestWriter
from shared.digest.mail import DigestMail
from shared.digest.plan import calendar_id_of, digest_id, first_start, local_day, readers
from shared.log import get_logger
from shared.mail import Mailer, OutgoingMail
from shared.repositories.directory import Directory, person_of
from shared.timers.queue import TaskQueue

log = get_logger("digest")
LATE = timedelta(hours=12)  # a task this late (a queue stalled overnight) is tomorrow's news


class DigestRecords(Protocol):
    """shared/repositories/digests.py"""

    def is_off(self, email: str) -> bool: ...
    def deliver(self, digest: str, email: str, mail: OutgoingMail, mailer: Mailer) -> str:
        """Send once for this digest id ("sent", "already_sent" or "failed")."""
        ...


@dataclass(frozen=True)
class DigestTask:
    email: str
    day: date
    late_ok: bool = False  # a person asked for today's now (tools.digest), however late

    def encode(self) -> bytes:
        data = {"email": self.email, "day": self.day.isoformat()}
        if self.late_ok:
            data["late_ok"] = True
        return json.dumps(data).encode()

    @classmethod
    def decode(cls, body: bytes) -> DigestTask:
        from shared.errors import BadRequest

        try:
            data = json.loads(body)
            late_ok = data.get("late_ok") is True
            return cls(str(data["email"]), date.fromisoformat(data["day"]), late_ok)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadRequest("a digest task names an e-mail and a day") from None


class DigestService:
    def __init__(
        self,
        directory: Directory,
        writer: DigestWriter,
        mail: DigestMail,
        records: DigestRecords,
        mailer: Mailer,
        queue: TaskQueue,
        now: Callable[[], datetime],
    ) -> None:
        self._directory, self._writer, self._mail = directory, writer, mail
        self._records, self._mailer, self._queue, self._now = records, mailer, queue, now

    def start(self) -> int:
        """Enqueue today's digests; the same day's run again enqueues the same named tasks."""
        now = self._now()
        count = 0
        for person in readers(self._directory):
            day = local_day(person, self._directory, now)
            at = first_start(person, self._directory, day) if day else None
            if day is None or at is None or at + LATE < now:
                continue
            task = DigestTask(person.email, day)
            self._queue.enqueue(
                f"digest-{digest_id(person.email, day)}", task.encode(), max(at, now)
            )
            count += 1
        log.info("digests planned", extra={"count": count})
        return count

    def send(self, task: DigestTask) -> str:
        """What happened: sent, already_sent, failed, off, nobody, nothing, no_work (no
        working time that day), early (a day not begun: its digest is not spent) or late."""
        now = self._now()
        person = person_of(self._directory, task.email)
        if person is None or not person.active:
            return "nobody"
        today = local_day(person, self._directory, now)
        if today is None or task.day > today:
            return "early"
        start = first_start(person, self._directory, task.day)
        if start is None:
            return "no_work"
        if now > start + LATE and not (task.late_ok and task.day == today):
            return "late"
        if self._records.is_off(person.email):
            return "off"
        calendar = self._directory.calendar(calendar_id_of(person, self._directory))
        if calendar is None:
            return "nothing"
        digest = self._writer.write(person, task.day, now, calendar)
        if digest.empty:
            return "nothing"
        key = digest_id(person.email, task.day)
        outcome = self._records.deliver(
            key, person.email, self._mail.compose(digest, key, now), self._mailer
        )
        log.info("digest", extra={"outcome": outcome})
        return outcome
