"""Cloud Function `media` (HTTP): evidence goes straight to Cloud Storage, then is checked.

POST /uploads                 {filename, content_type, size[, ticket_id]} -> 201 {upload_id,
                              upload_url, object_name}: PUT the bytes to upload_url
POST /uploads/<id>/complete   -> 200 the checked evidence, or 422 with the reason it was refused
POST /sweep                   Cloud Scheduler (hourly): delete uploads never checked, a day on
POST /drive                   Cloud Tasks: fetch a ticket's photos from its AppSheet app's
                              Drive folder, check them and attach them (idempotent)
Authenticated by the ticket link (X-Helpdesk-Link) or the intake client's signature or key.
Every answer, refusals included, carries the CORS header: the page must read the reason.
"""

import json

import flask
import functions_framework

from shared.api.http import endpoint, json_response, read_body
from shared.bootstrap import media_services
from shared.domain.ticket import CLOSED_STATUSES
from shared.errors import BadRequest, MethodNotAllowed, NotFound, Unavailable
from shared.media.access import LINK_HEADER, uploader
from shared.media.drive_photos import fetch_drive_photos
from shared.media.uploads import TicketClosed, complete_upload, start_upload, sweep_unchecked
from shared.repositories.firestore import is_document_id
from shared.storage.drive import DriveUnavailable
from shared.timers.auth import authenticate_timer


@functions_framework.http
def media(request: flask.Request) -> flask.Response:
    response = _handle(request)
    response.headers["Access-Control-Allow-Origin"] = media_services().pages_origin
    response.headers["Vary"] = "Origin"
    return response


@endpoint(project=lambda: media_services().config.project)
def _handle(request: flask.Request) -> flask.Response:
    app = media_services()
    if request.method == "OPTIONS":  # the pages call from their own origin
        return flask.Response(
            status=204,
            headers={
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": f"Content-Type, {LINK_HEADER}",
                "Access-Control-Max-Age": "3600",
            },
        )
    if request.method != "POST":
        raise MethodNotAllowed("uploads are POSTed")
    body = read_body(request, 4096)
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    parts = request.path.strip("/").split("/")
    if parts == ["sweep"]:
        sweep_url = app.config.media_url.rstrip("/") + "/sweep"
        authenticate_timer(request.headers, app.config, audience=sweep_url)
        swept = sweep_unchecked(app.uploads, app.store, app.now())
        return json_response({"swept": swept})
    if parts == ["drive"]:
        authenticate_timer(request.headers, app.config, audience=app.drive_url)
        return json_response({"files": _drive_photos(app, payload.get("ticket_id"))})
    ticket_id, who = uploader(
        request.headers,
        body,
        payload.get("ticket_id"),
        app.config,
        app.links,
        app.tickets,
        app.now(),
        app.directory,
        app.config.signed(request.method, request.path),
    )
    if parts == ["uploads"]:
        ticket = app.tickets.get(ticket_id)
        if ticket is None or ticket.status in CLOSED_STATUSES:
            raise TicketClosed("the ticket is closed: it takes no more files", "ticket_closed")
        started = start_upload(
            app.uploads,
            app.store,
            ticket_id=ticket_id,
            filename=str(payload.get("filename", "")),
            content_type=str(payload.get("content_type", "")),
            size=_size(payload),
            by=who,
            limits=app.config.attachment_limits,
            origin=app.pages_origin,
            now=app.now(),
            quota=app.config.upload_quota,
        )
        return json_response(
            {
                "upload_id": started.upload_id,
                "upload_url": started.upload_url,
                "object_name": started.object_name,
            },
            201,
        )
    if len(parts) == 3 and parts[0] == "uploads" and parts[2] == "complete":
        evidence = complete_upload(
            app.uploads,
            app.store,
            upload_id=parts[1],
            ticket_id=ticket_id,
            limits=app.config.attachment_limits,
            now=app.now(),
            tickets=app.tickets,
        )
        return json_response({"upload_id": parts[1], "evidence": evidence.model_dump()}, 200)
    raise NotFound(f"no endpoint at {request.path}")


def _drive_photos(app, ticket_id) -> list[str]:
    if not isinstance(ticket_id, str) or not is_document_id(ticket_id):
        raise BadRequest.from_problems("no ticket named", [("ticket_id", "a ticket id")])
    try:
        return fetch_drive_photos(
            app.uploads,
            app.store,
            app.drive,
            app.tickets,
            ticket_id=ticket_id,
            folder_of={client.id: client.drive_folder for client in app.config.intake_clients},
            limits=app.config.attachment_limits,
            quota=app.config.upload_quota,
            now=app.now(),
        )
    except DriveUnavailable as error:  # Cloud Tasks tries again, with backoff
        raise Unavailable(f"Google Drive is unavailable ({error})") from None


def _size(payload: dict) -> int:
    size = payload.get("size")
    if not isinstance(size, int) or isinstance(size, bool):
        raise BadRequest.from_problems(
            "the file cannot be uploaded", [("size", "must be a whole number of bytes")]
        )
    return size
