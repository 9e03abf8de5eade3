"""Cloud Functions of the help desk's mailbox.

`mailbox` (CloudEvent): triggered by the Pub/Sub topic Gmail's watch publishes to
(`google.cloud.pubsub.topic.v1.messagePublished`; the message's data is
`{"emailAddress", "historyId"}`). It applies every message added since the last history id
read, each once (shared/mailbox/sync.py). Raising makes Pub/Sub deliver it again; what was
applied is not applied twice.

`mailbox_watch` (HTTP, Cloud Scheduler daily): renews the watch, which Gmail ends after 7 days.
"""

import base64
import binascii
import json

import flask
import functions_framework
from cloudevents.http import CloudEvent

from shared.api.http import endpoint, json_response
from shared.bootstrap import mailbox_services, mailbox_watch_services, services
from shared.log import get_logger
from shared.mailbox.sync import sync
from shared.timers.auth import authenticate_timer

log = get_logger("mailbox")
PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"


@functions_framework.cloud_event
def mailbox(cloud_event: CloudEvent) -> None:
    if cloud_event["type"] != PUBLISHED:
        log.warning("ignored event type", extra={"type": cloud_event["type"]})
        return
    try:
        data = base64.b64decode((cloud_event.data or {})["message"]["data"])
        announced = str(json.loads(data)["historyId"])
    except (KeyError, TypeError, ValueError, binascii.Error):
        # Not Gmail's notification: no retry will make it one.
        log.error("unreadable mailbox notification", extra={"id": cloud_event["id"]})
        return
    app = mailbox_services()
    report = sync(app.mailbox, app.claims, app.cursor, app.service.apply, announced)
    log.info(
        "mailbox read",
        extra={
            "applied": len(report.applied),
            "skipped": report.skipped,
            "fell_back": report.fell_back,
        },
    )


@functions_framework.http
@endpoint(project=lambda: services().config.project)
def mailbox_watch(request: flask.Request) -> flask.Response:
    config = services().config
    authenticate_timer(request.headers, config, audience=config.mailbox_watch_url)
    if request.method != "POST":
        return json_response({"error": "POST only", "code": "method_not_allowed"}, 405)
    _, box, cursor = mailbox_watch_services()
    history_id = box.watch()
    if cursor.read() is None:  # the first watch: the mailbox is read from here on
        cursor.advance(history_id)
    return json_response({"history_id": history_id})
