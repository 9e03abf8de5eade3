"""Photos an AppSheet app sent as references to its Drive folder: fetched by the media
function (a Cloud Task per ticket, retried while Drive is unavailable) and passed through the
same checks as any upload: real type, limits, location removed, thumbnail or poster. Each
becomes the requester's evidence on the ticket, once, however often the task runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from shared.domain.attachments import ALLOWED_TYPES, AttachmentLimits, UploadQuota, declared_type
from shared.domain.drive import parse_reference
from shared.domain.ticket import CLOSED_STATUSES
from shared.log import get_logger
from shared.media.checks import object_name
from shared.media.uploads import (
    QuotaExceeded,
    UploadRecords,
    UploadRejected,
    complete_upload,
    reserve_quota,
)
from shared.storage.drive import DriveFile, DriveFolder, DriveRefused
from shared.storage.evidence import UploadStore

if TYPE_CHECKING:
    from shared.repositories.tickets import FirestoreTickets

log = get_logger("media")


def fetch_drive_photos(
    uploads: UploadRecords,
    store: UploadStore,
    drive: DriveFolder,
    tickets: FirestoreTickets,
    *,
    ticket_id: str,
    folder_of: dict[str, str | None],
    limits: AttachmentLimits,
    quota: UploadQuota,
    now: datetime,
) -> list[str]:
    """Fetch the ticket's Drive photos not fetched yet; what became of each, in order
    (accepted, or the refusal's code). DriveUnavailable goes up: the task is tried again."""
    ticket = tickets.get(ticket_id)
    folder = folder_of.get(ticket.intake_client or "") if ticket else None
    if ticket is None or folder is None:
        return []
    outcomes = []
    for index, item in enumerate(ticket.attachments):
        if not item.drive_ref or item.status != "awaiting_upload":
            continue
        if ticket.status in CLOSED_STATUSES:
            outcomes.append(_refuse(tickets, ticket_id, index, "ticket_closed", now))
            continue
        try:
            _fetch(uploads, store, drive, ticket, index, folder, limits, quota, now)
            complete_upload(
                uploads,
                store,
                upload_id=_upload_id(ticket_id, index),
                ticket_id=ticket_id,
                limits=limits,
                now=now,
                tickets=tickets,
            )
            outcomes.append("accepted")
        except (DriveRefused, UploadRejected, QuotaExceeded) as refused:
            code = refused.code if isinstance(refused, DriveRefused) else refused.reason
            outcomes.append(_refuse(tickets, ticket_id, index, code, now))
    return outcomes


def _upload_id(ticket_id: str, index: int) -> str:
    return f"{ticket_id}-a{index}"  # the same id a form's announced file gets


def _fetch(uploads, store, drive: DriveFolder, ticket, index, folder, limits, quota, now) -> None:
    """Copy the file into the bucket unless an earlier run did; the upload's record is made
    (and the allowance taken) once."""
    item = ticket.attachments[index]
    upload_id = _upload_id(ticket.id, index)
    upload = uploads.get(upload_id)
    if upload is not None and upload["state"] != "pending":
        return  # checked already: complete_upload answers as it did
    found = drive.find(folder, parse_reference(item.drive_ref))
    content_type = declared_type(found.mime_type, found.name)
    _check_before_copy(found, content_type, limits)
    if upload is None:
        upload = {
            "ticket_id": ticket.id,
            "object_name": object_name(ticket.id, found.name),
            "filename": found.name,
            "declared_type": content_type,
            "declared_size": found.size,
            "by": f"intake:{ticket.intake_client}",
            "for": ticket.requester.email,
            "attachment": index,
            "state": "pending",
            "created_at": now,
            "source": "drive",
        }
        upload, created = uploads.create(upload_id, upload)  # a twin run's, if it was first
        if created:
            reserve_quota(uploads, ticket.id, upload["by"], found.size, quota, now)
    present = store.head(upload["object_name"], 1)
    if present is None or present[1] != found.size:
        with store.open_writer(upload["object_name"], content_type) as sink:
            drive.copy(found, sink)


def _check_before_copy(found: DriveFile, content_type: str, limits: AttachmentLimits) -> None:
    """Refuse what could never pass before copying a byte of it."""
    if found.size <= 0:
        raise DriveRefused("empty", "the file is empty")
    kind = ALLOWED_TYPES.get(content_type, ("document",))[0]
    if found.size > limits.for_kind(kind):
        raise DriveRefused("too_large", "the file is larger than the help desk takes")


def _refuse(tickets, ticket_id: str, index: int, code: str, now: datetime) -> str:
    """The file will not come: the ticket stops waiting for it (no event: the requester's
    app has the photo, and the ticket's page shows it as refused)."""
    from shared.domain.change import Change

    def decide(ticket) -> Change | None:
        if (
            index >= len(ticket.attachments)
            or ticket.attachments[index].status != "awaiting_upload"
        ):
            return None
        attachments = [item.model_dump() for item in ticket.attachments]
        attachments[index]["status"] = "refused"
        return Change({"attachments": attachments}, [])

    tickets.apply(ticket_id, decide, now)
    log.info("a Drive file was refused", extra={"ticket_id": ticket_id, "reason": code})
    return code
