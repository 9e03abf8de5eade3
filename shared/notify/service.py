"""Notify everyone concerned by one ticket event, each exactly once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from jinja2 import TemplateError
from pydantic import ValidationError

from shared.domain.ticket import Ticket, TicketEvent
from shared.errors import ClaimedElsewhere, RetryLater
from shared.log import get_logger, pseudonym
from shared.mail import Mailer, OutgoingMail, TransientMailError
from shared.notify.compose import Composer
from shared.notify.recipients import recipients_for
from shared.repositories.deliveries import Outcome
from shared.repositories.directory import Directory

log = get_logger("notify")


# What composing a message can raise for a text or a value it cannot handle (not an outage).
UNBUILDABLE = (ValueError, TypeError, LookupError, TemplateError)


@dataclass
class NotifyReport:
    outcomes: dict[str, Outcome] = field(default_factory=dict)


class Tickets(Protocol):
    def get(self, ticket_id: str) -> Ticket | None: ...


class Deliveries(Protocol):
    """Each (event, recipient) message sent once, whatever the retries (see
    shared/repositories/deliveries.py)."""

    def deliver(self, event: str, mail: OutgoingMail, mailer: Mailer) -> Outcome: ...

    def refuse(self, event: str, recipient: str, error: str) -> Outcome: ...


def notify(
    event_path: str,
    event_doc: dict,
    *,
    tickets: Tickets,
    directory: Directory,
    deliveries: Deliveries,
    mailer: Mailer,
    composer: Composer,
) -> NotifyReport:
    """Mail every recipient of a new ticket event (at `event_path`) their message, once."""
    event_id = event_path.rpartition("/")[2]
    try:
        event = TicketEvent.model_validate(event_doc)
    except ValidationError:
        # Not an event this code wrote: retrying will not mend it (Eventarc would retry for a
        # day), so it is logged for a person and acknowledged.
        log.error("malformed ticket event", extra={"event": event_path})
        return NotifyReport()
    ticket_id = event_doc.get("ticket_id")
    ticket = tickets.get(ticket_id) if ticket_id else None
    report = NotifyReport()
    if ticket is None:
        log.error("event of an unknown ticket", extra={"event": event_path, "ticket_id": ticket_id})
        return report
    calendar = directory.calendar(ticket.calendar_id)
    retry: list[str] = []
    for recipient in recipients_for(event, ticket, directory):
        try:
            mail = composer.compose(event_id, event, ticket, recipient, calendar)
            mail.to_mime()  # what the transport will build: fail here, not in a retry loop
        except UNBUILDABLE as error:
            # Retrying cannot mend a message that cannot be built (Eventarc would retry for
            # a day): recorded as failed for this recipient, the others still get theirs.
            log.error(
                "message could not be built",
                extra={"ticket_id": ticket.id, "event": event.type, "error": repr(error)},
            )
            report.outcomes[recipient.email] = deliveries.refuse(
                event_path, recipient.email, f"message could not be built: {type(error).__name__}"
            )
            continue
        try:
            report.outcomes[recipient.email] = deliveries.deliver(event_path, mail, mailer)
        except (TransientMailError, ClaimedElsewhere) as error:
            log.warning(
                "delivery postponed",
                extra={
                    "ticket_id": ticket.id,
                    "event": event.type,
                    "recipient": pseudonym(recipient.email),
                    "error": str(error),
                },
            )
            retry.append(recipient.email)
    log.info(
        "event notified",
        extra={
            "ticket_id": ticket.id,
            "event": event.type,
            "outcomes": {pseudonym(k): str(v) for k, v in report.outcomes.items()},
        },
    )
    if retry:
        raise RetryLater(f"retry for {len(retry)} recipient(s)")
    return report
