"""Cloud Function `intake` (HTTP): tickets posted by the Google Form, AppSheet or API clients.

POST /            open a ticket (201), or return the one already opened for the same
                  submission_id (200)
GET  /tickets/ID  read a ticket this client opened
Both are authenticated with the client's HMAC signature or static key.
"""

import json

import flask
import functions_framework

from shared.api.http import endpoint, json_response, read_body
from shared.api.views import ticket_view
from shared.bootstrap import media_services, services
from shared.errors import BadRequest, MethodNotAllowed, NotFound
from shared.intake.auth import authenticate
from shared.intake.schema import read_submission
from shared.intake.service import check_submission, open_ticket
from shared.log import get_logger
from shared.media.uploads import announced_uploads

log = get_logger("intake")


@functions_framework.http
@endpoint(project=lambda: services().config.project)
def intake(request: flask.Request) -> flask.Response:
    app = services()
    body = read_body(request, app.config.max_body_bytes)
    client = authenticate(
        request.headers,
        body,
        app.config.intake_clients,
        app.now(),
        app.config.signature_tolerance,
        app.config.signed(request.method, request.path),
    )
    path = request.path.rstrip("/")
    if request.method == "GET" and path.startswith("/tickets/"):
        ticket = app.tickets.get(path.removeprefix("/tickets/"))
        if ticket is None or ticket.intake_client != client.id:
            raise NotFound("no such ticket")
        return json_response(ticket_view(ticket, app.directory.calendar(ticket.calendar_id)))
    if path not in ("", "/tickets"):
        raise NotFound(f"no endpoint at {request.path}")
    if request.method != "POST":
        raise MethodNotAllowed("POST a ticket here")
    submission = check_submission(read_submission(body), app.directory, app.config)
    if submission.photos and client.drive_folder is None:
        raise BadRequest.from_problems(
            "the ticket was not accepted",
            [
                (
                    "photos",
                    f"photos from a Drive folder are taken only from a client with one "
                    f"(AppSheet's); {client.id} has none",
                )
            ],
        )
    ticket, created = open_ticket(
        submission,
        client.id,
        directory=app.directory,
        tickets=app.tickets,
        config=app.config,
        now=app.now,
    )
    log.info(
        "ticket created" if created else "submission already accepted",
        extra={"ticket_id": ticket.id, "number": ticket.number, "client": client.id},
    )
    view = ticket_view(ticket, app.directory.calendar(ticket.calendar_id))
    if any(not item.drive_ref for item in ticket.attachments):
        # the files go straight to the bucket, then to `media`'s completion
        media = media_services()
        view["uploads"] = announced_uploads(
            media.uploads, media.store, ticket, client.id, media.pages_origin, app.now()
        )
    if any(item.drive_ref and item.status == "awaiting_upload" for item in ticket.attachments):
        # Drive photos (AppSheet): media fetches them; the named task is scheduled once
        media_services().drive_queue.enqueue(
            f"drive-{ticket.id}", json.dumps({"ticket_id": ticket.id}).encode(), app.now()
        )
    return json_response(view, 201 if created else 200, {"Location": f"/tickets/{ticket.id}"})
