"""Exactly-once e-mail per (event, recipient) under at-least-once event delivery.

Each send is claimed before it is made, in a delivery document whose id follows from the
event and the recipient:

1. Claim: create the document (state "sending", a lease). Creation fails if it exists, so of
   two concurrent deliveries only one claims; the other sees a fresh lease and asks to be
   retried later (so nothing is lost if the first one dies).
2. Send, then record "sent" with the transport's message id at once.
3. A claim whose lease ran out belongs to a delivery that crashed, and one released after a
   transient failure to a send that may have gone through all the same (an error answer, a
   timeout). It is taken over with a precondition on the document's update time, so only one
   taker wins. Before sending again the taker asks the transport whether the message already
   left (the Gmail API searches the mailbox for the Message-ID); SMTP cannot tell, and the
   copy it resends carries the same Message-ID, which Gmail drops as a duplicate.

What this guarantees: never two sends for one claim; after a crash between send and record,
or an error answer to a send that went through, no second message with the Gmail transport,
and at worst a second copy with the same Message-ID with SMTP (which Workspace mailboxes
collapse). A permanent failure (invalid
address) is recorded and not retried; a transient one releases the claim and raises so that
the platform retries the event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from google.api_core import exceptions as google_errors
from google.cloud import firestore

from shared.errors import ClaimedElsewhere
from shared.mail import Mailer, OutgoingMail, PermanentMailError, TransientMailError
from shared.repositories.firestore import DELIVERIES

LEASE = timedelta(seconds=60)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"  # permanent: recorded, not retried


def delivery_key(recipient: str) -> str:
    return hashlib.sha256(recipient.encode()).hexdigest()[:16]


class FirestoreDeliveries:
    def __init__(
        self,
        db: firestore.Client,
        now: Callable[[], datetime],
        fault_after_send: Callable[[], None] | None = None,
    ) -> None:
        self._db, self._now = db, now
        self._fault_after_send = fault_after_send  # tests simulate a crash here

    def deliver(self, event: str, mail: OutgoingMail, mailer: Mailer) -> Outcome:
        """Send `mail` for the document at path `event` (a ticket's event, a report job) once:
        a delivery called again, or concurrently, sends nothing more."""
        event_ref = self._db.document(event)
        key = delivery_key(mail.to)
        ref = self._db.collection(DELIVERIES).document(f"{event_ref.id}--{key}")
        taken_over = self._claim(ref, event_ref, mail)
        if taken_over is None:
            return Outcome.ALREADY_SENT
        if taken_over and mailer.already_sent(mail):
            self._record(ref, event_ref, mail, mailer.name, Outcome.SENT, mail.message_id, None)
            return Outcome.ALREADY_SENT
        try:
            message_id = mailer.send(mail)
        except PermanentMailError as error:
            self._record(ref, event_ref, mail, mailer.name, Outcome.FAILED, None, str(error))
            return Outcome.FAILED
        except TransientMailError:
            ref.update({"state": "retry", "lease_until": self._now()})
            raise
        if self._fault_after_send:
            self._fault_after_send()
        self._record(ref, event_ref, mail, mailer.name, Outcome.SENT, message_id, None)
        return Outcome.SENT

    def _claim(self, ref, event_ref, mail: OutgoingMail) -> bool | None:
        """True: took over an abandoned claim; False: fresh claim; None: nothing to do."""
        now = self._now()
        claim = {
            "state": "sending",
            "lease_until": now + LEASE,
            "claimed_at": now,
            "recipient": mail.to,
            "event": event_ref.path,
            "message_id": mail.message_id,
        }
        try:
            ref.create({**claim, "attempts": 1})
            return False
        except (google_errors.AlreadyExists, google_errors.Conflict):
            pass
        snapshot = ref.get()
        current = snapshot.to_dict() or {}
        if current.get("state") in (Outcome.SENT, Outcome.FAILED):
            return None
        if current.get("state") == "sending" and current["lease_until"] > now:
            raise ClaimedElsewhere(mail.to)
        try:
            ref.update(
                {**claim, "attempts": current.get("attempts", 0) + 1},
                option=self._db.write_option(last_update_time=snapshot.update_time),
            )
        except (google_errors.FailedPrecondition, google_errors.Conflict, google_errors.Aborted):
            raise ClaimedElsewhere(mail.to) from None
        # "sending": a delivery crashed around its send; "retry": the transport failed, and
        # may have taken the message before failing. Either way it may have left already.
        return current.get("state") in ("sending", "retry")

    def _record(
        self,
        ref,
        event_ref,
        mail: OutgoingMail,
        transport: str,
        outcome: Outcome,
        message_id: str | None,
        error: str | None,
    ) -> None:
        now = self._now()
        record = {
            "state": outcome.value,
            "at": now,
            "transport": transport,
            "transport_message_id": message_id,
            "error": error,
        }
        batch = self._db.batch()
        batch.update(ref, record)
        batch.update(
            event_ref,
            {
                f"deliveries.{delivery_key(mail.to)}": {
                    "recipient": mail.to,
                    "at": now,
                    "state": outcome.value,
                    "transport": transport,
                    "message_id": message_id,
                    "error": error,
                }
            },
        )
        batch.commit()

    def refuse(self, event: str, recipient: str, error: str) -> Outcome:
        """Record that this recipient's message could not be built: a permanent failure, kept
        where the ticket's deliveries are read, and never retried."""
        event_ref = self._db.document(event)
        ref = self._db.collection(DELIVERIES).document(f"{event_ref.id}--{delivery_key(recipient)}")
        now = self._now()
        record = {"state": Outcome.FAILED.value, "at": now, "transport": None, "error": error}
        batch = self._db.batch()
        batch.set(ref, {**record, "recipient": recipient, "event": event_ref.path}, merge=True)
        batch.update(
            event_ref,
            {f"deliveries.{delivery_key(recipient)}": {**record, "recipient": recipient}},
        )
        batch.commit()
        return Outcome.FAILED
