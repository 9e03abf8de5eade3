"""The mailbox channel's records: each mailbox message claimed once, the history id read up to,
the answers' daily allowances, and the bounces written onto their tickets.

A message's claim (`mail_messages/{mailbox id}`) is created before it is applied: creation
fails if it exists, so of two deliveries listing the same message only one applies it. A claim
whose holder crashed (its lease ran out) is taken over with a precondition on its update time;
applying it again is harmless, because the ticket keeps the key of every action it applied
(the mail's Message-ID) and the evidence's records follow from it too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.domain.change import Change
from shared.domain.ticket import EventType
from shared.errors import ClaimedElsewhere
from shared.mail import Mailer, OutgoingMail
from shared.mail.inbound import Bounce
from shared.repositories.deliveries import FirestoreDeliveries, delivery_key
from shared.repositories.firestore import DELIVERIES, EVENTS

MESSAGES = "mail_messages"
MAILBOX_STATE = "mailbox/state"
ANSWERS = "mail_answers"
ANSWER_ALLOWANCES = "mail_answer_allowances"
LEASE = timedelta(minutes=2)
PER_DAY = 3  # answers of one kind to one address a day


class FirestoreMessageClaims:
    def __init__(self, db: firestore.Client, now: Callable[[], datetime]) -> None:
        self._db, self._now = db, now

    def _ref(self, message_id: str):
        return self._db.collection(MESSAGES).document(message_id)

    def claim(self, message_id: str) -> bool:
        ref, now = self._ref(message_id), self._now()
        try:
            ref.create({"state": "applying", "lease_until": now + LEASE, "claimed_at": now})
            return True
        except (google_errors.AlreadyExists, google_errors.Conflict):
            pass
        snapshot = ref.get()
        current = snapshot.to_dict() or {}
        if current.get("state") == "done":
            return False
        if current.get("state") == "applying" and current["lease_until"] > now:
            raise ClaimedElsewhere(f"mail message {message_id}")
        try:
            ref.update(
                {"state": "applying", "lease_until": now + LEASE, "claimed_at": now},
                option=self._db.write_option(last_update_time=snapshot.update_time),
            )
        except (google_errors.FailedPrecondition, google_errors.Conflict, google_errors.Aborted):
            raise ClaimedElsewhere(f"mail message {message_id}") from None
        return True

    def done(self, message_id: str, outcome: str) -> None:
        self._ref(message_id).update({"state": "done", "outcome": outcome, "at": self._now()})

    def release(self, message_id: str) -> None:
        self._ref(message_id).update({"state": "released", "lease_until": self._now()})


class FirestoreHistoryCursor:
    """The history id read up to, moved forward in a transaction (never back)."""

    def __init__(self, db: firestore.Client) -> None:
        self._db = db
        self._ref = db.document(MAILBOX_STATE)

    def read(self) -> str | None:
        found = self._ref.get().to_dict() or {}
        return found.get("history_id")

    def advance(self, history_id: str) -> None:
        @firestore.transactional
        def move(transaction) -> None:
            found = self._ref.get(transaction=transaction).to_dict() or {}
            current = found.get("history_id")
            if current is None or int(history_id) > int(current):
                transaction.set(self._ref, {"history_id": history_id}, merge=True)

        move(self._db.transaction())


class FirestoreAnswerRecords:
    def __init__(self, db: firestore.Client, now: Callable[[], datetime]) -> None:
        self._db, self._now = db, now
        self._deliveries = FirestoreDeliveries(db, now)

    def allow(self, sender: str, kind: str, key: str, now: datetime) -> bool:
        """The first `PER_DAY` messages of a day from one address get an answer of one kind
        (the same message asking again keeps its place)."""
        person = hashlib.sha256(sender.encode()).hexdigest()[:20]
        ref = self._db.collection(ANSWER_ALLOWANCES).document(
            f"{person}-{kind}-{now.date().isoformat()}"
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]

        @firestore.transactional
        def take(transaction) -> bool:
            keys = (ref.get(transaction=transaction).to_dict() or {}).get("keys", [])
            if digest in keys:
                return True
            if len(keys) >= PER_DAY:
                return False
            transaction.set(ref, {"keys": [*keys, digest], "expires_at": now + timedelta(days=2)})
            return True

        return take(self._db.transaction())

    def deliver(self, key: str, mail: OutgoingMail, mailer: Mailer) -> None:
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        ref = self._db.collection(ANSWERS).document(digest)
        ref.set({"kind": mail.headers.get("X-Helpdesk-Answer", ""), "at": self._now()}, merge=True)
        self._deliveries.deliver(ref.path, mail, mailer)


class FirestoreBounces:
    """A bounce marks its message's delivery failed, on the delivery's record, on the event it
    reported, and on the ticket's timeline (where the responsible sees it)."""

    def __init__(self, db: firestore.Client, tickets, now: Callable[[], datetime]) -> None:
        self._db, self._tickets, self._now = db, tickets, now

    def record(self, bounce: Bounce) -> bool:
        if not bounce.original_message_id or not bounce.failed:
            return False
        # one equality on one field: Firestore indexes it by itself
        found = list(
            self._db.collection(DELIVERIES)
            .where(filter=FieldFilter("message_id", "==", bounce.original_message_id))
            .limit(5)
            .stream()
        )
        recorded = False
        for snapshot in found:
            delivery = snapshot.to_dict() or {}
            recipient = delivery.get("recipient", "")
            if recipient not in bounce.failed:
                continue
            event_path = delivery.get("event", "")
            event = self._db.document(event_path).get() if event_path.startswith(EVENTS) else None
            ticket_id = (event.to_dict() or {}).get("ticket_id") if event else None
            self._mark(snapshot.reference, event_path if ticket_id else None, recipient, bounce)
            if ticket_id:
                self._tell_ticket(ticket_id, recipient, bounce, snapshot.id)
            recorded = True
        return recorded

    def _mark(self, ref, event_path: str | None, recipient: str, bounce: Bounce) -> None:
        now = self._now()
        failure = {
            "state": "failed",
            "error": f"bounced {bounce.status}".strip(),
            "bounced_at": now,
        }
        batch = self._db.batch()
        batch.update(ref, failure)
        if event_path:
            key = delivery_key(recipient)
            batch.update(
                self._db.document(event_path),
                {f"deliveries.{key}.state": "failed", f"deliveries.{key}.error": failure["error"]},
            )
        batch.commit()

    def _tell_ticket(self, ticket_id: str, recipient: str, bounce: Bounce, delivery: str) -> None:
        def decide(ticket) -> Change | None:
            if delivery in ticket.form_nonces:
                return None  # recorded already
            data = {"recipient": recipient, "status": bounce.status}
            nonces = [*ticket.form_nonces[-49:], delivery]
            return Change({"form_nonces": nonces}, [(EventType.DELIVERY_FAILED, "helpdesk", data)])

        self._tickets.apply(ticket_id, decide, self._now())
