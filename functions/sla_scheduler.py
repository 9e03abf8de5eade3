"""Cloud Function `sla_scheduler` (CloudEvent): enqueue SLA timers when a ticket's clock changes.

Triggered like `notifications` by new `ticket_events` documents. Scheduling twice is harmless:
tasks are named (production deduplicates them) and the timer itself is idempotent.
"""

import functions_framework
from cloudevents.http import CloudEvent

from shared.bootstrap import timer_services
from shared.domain.ticket import EventType
from shared.events.firestore_event import CREATED, decode_document
from shared.log import get_logger
from shared.timers.service import schedule, schedule_status_request

log = get_logger("sla_scheduler")

# Events after which the deadlines may differ from those already scheduled.
RESCHEDULE_ON = {
    EventType.CREATED,
    EventType.WAITING_ON_REQUESTER,
    EventType.INFORMATION_ADDED,
    EventType.RESUMED,
    EventType.POLICY_CHANGED,
    EventType.REOPENED,
    EventType.STATUS_REQUESTED,
    EventType.RESOLVED,  # the auto-close and its reminder
}


@functions_framework.cloud_event
def sla_scheduler(cloud_event: CloudEvent) -> None:
    if cloud_event["type"] != CREATED:
        return
    try:
        _, fields = decode_document(cloud_event.data)
    except Exception:
        log.exception("undecodable event payload", extra={"id": cloud_event["id"]})
        return
    if fields.get("type") not in RESCHEDULE_ON:
        return
    app = timer_services()
    ticket = app.base.tickets.get(fields.get("ticket_id", ""))
    if ticket is None:
        return
    if fields.get("type") == EventType.STATUS_REQUESTED:
        schedule_status_request(
            ticket,
            app.base.directory,
            app.queue,
            app.base.config.status_request_rules,
            app.base.now(),
        )
        return
    count = schedule(ticket, app.base.directory, app.queue, app.base.now())
    log.info(
        "timers scheduled",
        extra={"ticket_id": ticket.id, "count": count, "version": ticket.clock_version},
    )
