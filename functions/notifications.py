"""Cloud Function `notifications` (CloudEvent): e-mail for every new ticket event.

Triggered by Eventarc on `google.cloud.firestore.document.v1.created` for documents
`ticket_events/{event}`; the data is the protobuf `DocumentEventData`. Raising makes the
platform deliver the event again (a transient mail failure); anything already sent is not
sent again.
"""

import functions_framework
from cloudevents.http import CloudEvent

from shared.bootstrap import notification_services
from shared.events.firestore_event import CREATED, decode_document
from shared.log import get_logger
from shared.notify.service import notify

log = get_logger("notifications")


@functions_framework.cloud_event
def notifications(cloud_event: CloudEvent) -> None:
    if cloud_event["type"] != CREATED:
        log.warning("ignored event type", extra={"type": cloud_event["type"]})
        return
    try:
        path, fields = decode_document(cloud_event.data)
    except Exception:  # a payload that cannot be read will not become readable by retrying
        log.exception("undecodable event payload", extra={"id": cloud_event["id"]})
        return
    app = notification_services()
    notify(
        path,
        fields,
        tickets=app.base.tickets,
        directory=app.base.directory,
        deliveries=app.deliveries,
        mailer=app.mailer,
        composer=app.composer,
    )
