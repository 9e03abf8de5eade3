"""Evidence uploads: open a resumable upload for an announced file, then check what arrived.

Files go straight from the phone (or Apps Script) to the bucket, never through a function
(whose requests stop at 32 MB). Completion checks the object itself: its real type from its
first bytes, its size; a rejected object is deleted and the reason recorded; an image gets a
thumbnail and loses its GPS location. Nothing is attached to a ticket before it passed.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from shared.domain.attachments import (
    AttachmentLimits,
    UploadQuota,
    attachment_problems,
    declared_type,
)
from shared.domain.ticket import CLOSED_STATUSES, Evidence
from shared.errors import BadRequest, NotFound
from shared.media.checks import check_object, object_name
from shared.media.sniff import HEAD_BYTES
from shared.repositories.firestore import is_document_id
from shared.storage.evidence import UploadStore

if TYPE_CHECKING:
    from shared.repositories.tickets import FirestoreTickets


class UploadRefused(BadRequest):
    """An upload the help desk will not take; `reason` is a code the page says in the
    person's language (empty, type, too_large, size_mismatch, filename, not_uploaded)."""

    def __init__(self, message: str, reason: str, details: list | None = None) -> None:
        super().__init__(message, details)
        self.reason = reason

    def to_json(self) -> dict:
        return {**super().to_json(), "reason": self.reason}


class UploadRejected(UploadRefused):
    """The uploaded object failed its checks: it was deleted and the refusal recorded."""

    status, code = 422, "upload_rejected"


def _start_reason(problems: list[tuple[str, str]]) -> str:
    fields = [name for name, _ in problems]
    if "filename" in fields:
        return "filename"
    if "content_type" in fields:
        return "type"
    return "empty" if any("empty" in text for _, text in problems) else "too_large"


UNCHECKED_KEPT = timedelta(days=1)  # an object uploaded but never checked is deleted after
SESSION_LIFE = timedelta(days=7)  # a resumable session's URI works this long


class QuotaExceeded(UploadRefused):
    status = 429


class TicketClosed(UploadRefused):
    status = 409


@dataclass(frozen=True)
class StartedUpload:
    upload_id: str
    upload_url: str
    object_name: str


class UploadRecords(Protocol):
    """The uploads' records and allowances (shared/repositories/uploads.py)."""

    def get(self, upload_id: str) -> dict[str, Any] | None: ...

    def create(self, upload_id: str, record: dict[str, Any]) -> tuple[dict[str, Any], bool]: ...

    def update(self, upload_id: str, fields: dict[str, Any]) -> None: ...

    def unchecked(
        self, since: datetime, before: datetime, limit: int
    ) -> list[tuple[str, dict]]: ...

    def take(self, allowance: str, size: int, most: int, most_bytes: int) -> bool: ...

    def give_back(self, allowance: str, size: int) -> None: ...


def start_upload(
    uploads: UploadRecords,
    store: UploadStore,
    *,
    ticket_id: str,
    filename: str,
    content_type: str,
    size: int,
    by: str,
    limits: AttachmentLimits,
    origin: str | None,
    now: datetime,
    quota: UploadQuota | None = None,
) -> StartedUpload:
    problems = attachment_problems(filename, content_type, size, limits)
    if problems:
        details = [{"field": name, "message": text} for name, text in problems]
        raise UploadRefused("the file cannot be uploaded", _start_reason(problems), details)
    content_type = declared_type(content_type, filename)
    if quota is not None:
        reserve_quota(uploads, ticket_id, by, size, quota, now)
    name = object_name(ticket_id, filename)
    url = store.upload_session(name, content_type, size, origin)
    upload_id = uuid.uuid4().hex
    uploads.create(
        upload_id,
        {
            "ticket_id": ticket_id,
            "object_name": name,
            "filename": filename,
            "declared_type": content_type,
            "declared_size": size,
            "by": by,
            "state": "pending",
            "created_at": now,
        },
    )
    return StartedUpload(upload_id, url, name)


def reserve_quota(
    uploads: UploadRecords, ticket_id: str, by: str, size: int, quota: UploadQuota, now: datetime
) -> None:
    """Take one upload and `size` bytes from the ticket's allowance and from the person's of
    the day. Each is taken atomically (see `take`): concurrent requests can never go past a
    limit together (under a burst a few may be refused that would have fitted); a crash in
    between only leaves the allowance smaller."""
    person = hashlib.sha256(by.encode()).hexdigest()[:20]
    day = now.date().isoformat()
    allowances = [
        (
            f"ticket-{ticket_id}",
            quota.per_ticket,
            quota.bytes_per_ticket,
            "this ticket has received as many files as it may",
        ),
        (
            f"person-{person}-{day}",
            quota.per_person_day,
            quota.bytes_per_person_day,
            "you have sent as many files as a day allows",
        ),
    ]
    taken: list[str] = []
    for allowance, most, most_bytes, refusal in allowances:
        if not uploads.take(allowance, size, most, most_bytes):
            for given in taken:
                uploads.give_back(given, size)
            raise QuotaExceeded(refusal, "quota")
        taken.append(allowance)


def sweep_unchecked(
    uploads: UploadRecords, store: UploadStore, now: datetime, limit: int = 500
) -> int:
    """Delete what was uploaded but never checked, a day on: sessions never completed (their
    object, if any, is deleted and the upload marked expired). An expired upload's session can
    still receive bytes for the rest of its week, so those objects are deleted again until
    then. Idempotent: run hourly by Cloud Scheduler; returns how many were swept."""
    found = uploads.unchecked(now - SESSION_LIFE - UNCHECKED_KEPT, now - UNCHECKED_KEPT, limit)
    swept = 0
    for upload_id, upload in found:
        store.delete(upload["object_name"])
        if upload["state"] == "pending":
            uploads.update(upload_id, {"state": "expired", "checked_at": now})
        swept += 1
    return swept


def announced_uploads(
    uploads: UploadRecords,
    store: UploadStore,
    ticket: Any,
    client_id: str,
    origin: str | None,
    now: datetime,
) -> list[dict]:
    """One upload per attachment the submission announced, the same ones however often the
    submission is re-sent (ids follow the ticket and the attachment's place)."""
    found = []
    for index, item in enumerate(ticket.attachments):
        if item.drive_ref:  # fetched from Drive by media, not sent by the client
            continue
        upload_id = f"{ticket.id}-a{index}"
        upload = uploads.get(upload_id)
        if upload is None:
            name = object_name(ticket.id, item.filename)
            upload = {
                "ticket_id": ticket.id,
                "object_name": name,
                "filename": item.filename,
                "declared_type": item.content_type,
                "declared_size": item.size,
                "by": f"intake:{client_id}",
                "for": ticket.requester.email,
                "attachment": index,
                "state": "pending",
                "created_at": now,
                "upload_url": store.upload_session(
                    name, declared_type(item.content_type, item.filename), item.size, origin
                ),
            }
            upload, _ = uploads.create(upload_id, upload)  # a twin request's, if it was first
        found.append(
            {
                "filename": item.filename,
                "upload_id": upload_id,
                "upload_url": upload.get("upload_url"),
                "state": upload["state"],
            }
        )
    return found


def complete_upload(
    uploads: UploadRecords,
    store: UploadStore,
    *,
    upload_id: str,
    ticket_id: str,
    limits: AttachmentLimits,
    now: datetime,
    tickets: FirestoreTickets,
) -> Evidence:
    """Check the uploaded object; idempotent (a second call returns the same answer)."""
    found_record = uploads.get(upload_id) if is_document_id(upload_id) else None
    upload: dict[str, Any] = found_record or {}
    if found_record is None or upload.get("ticket_id") != ticket_id:
        raise NotFound("no such upload")
    if upload["state"] == "accepted":
        return Evidence.model_validate(upload["evidence"])
    if upload["state"] == "rejected":
        raise UploadRejected(upload["reason"], upload.get("reason_code") or "type")
    if upload["state"] == "expired":
        raise UploadRejected("the upload was not completed within a day", "expired")
    found = store.head(upload["object_name"], HEAD_BYTES)
    if found is None:
        raise UploadRefused("nothing has been uploaded yet", "not_uploaded")
    if "attachment" in upload:  # a form's file joins its ticket, unless the ticket is closed
        ticket = tickets.get(ticket_id)
        if ticket is None or ticket.status in CLOSED_STATUSES:
            _reject(
                uploads,
                upload_id,
                store,
                upload,
                "the ticket is closed: it takes no more files",
                "ticket_closed",
                now,
            )
    head, size = found
    verdict = check_object(head, size, limits)
    if verdict.accepted and size != upload["declared_size"]:
        verdict = verdict.__class__(
            False, reason="the file is not the size that was announced", code="size_mismatch"
        )
    if not verdict.accepted:
        reason, code = verdict.reason or "rejected", verdict.code or "type"
        _reject(uploads, upload_id, store, upload, reason, code, now)
    evidence = Evidence(
        object_name=upload["object_name"],
        filename=upload["filename"],
        content_type=verdict.content_type,
        size=size,
    )
    if verdict.kind == "image":
        from shared.media.images import ImageRefused  # Pillow: only when needed

        try:
            evidence = process_image(store, evidence)
        except ImageRefused as refused:
            reason = IMAGE_REFUSALS[refused.code]
            _reject(uploads, upload_id, store, upload, reason, refused.code, now)
    if verdict.kind == "video":
        evidence = process_video(store, evidence)
    if "attachment" in upload:  # a form's file: it joins the ticket as the requester's evidence
        _attach(tickets, ticket_id, upload, evidence, now)
    uploads.update(
        upload_id, {"state": "accepted", "evidence": evidence.model_dump(), "checked_at": now}
    )
    return evidence


IMAGE_REFUSALS = {
    "too_many_pixels": "the image has more pixels than a photo may have (50 megapixels)",
    "unreadable": "the image cannot be read",
}


def _reject(
    uploads: UploadRecords,
    upload_id: str,
    store: UploadStore,
    upload: dict,
    reason: str,
    code: str,
    now: datetime,
):
    """Delete the object, record why, and refuse: a retry of the completion answers the same."""
    store.delete(upload["object_name"])
    record = {"state": "rejected", "reason": reason, "reason_code": code, "checked_at": now}
    uploads.update(upload_id, record)
    raise UploadRejected(reason, code)


def _attach(
    tickets: FirestoreTickets, ticket_id: str, upload: dict, evidence: Evidence, now: datetime
) -> None:
    """Attach before marking the upload accepted, so a retry after a crash attaches it still;
    the attachment's status makes attaching twice impossible."""
    from shared.domain.change import Change
    from shared.domain.ticket import EventType

    index = upload["attachment"]

    def decide(ticket) -> Change | None:
        if index >= len(ticket.attachments) or ticket.attachments[index].status == "uploaded":
            return None
        attachments = [item.model_dump() for item in ticket.attachments]
        attachments[index]["status"] = "uploaded"
        data = {"text": "", "evidence": [evidence.model_dump()]}
        requester = upload.get("for") or upload["by"]
        return Change(
            {"attachments": attachments}, [(EventType.INFORMATION_ADDED, requester, data)]
        )

    tickets.apply(ticket_id, decide, now)


def process_image(store: UploadStore, evidence: Evidence) -> Evidence:
    """Check the image's size before decoding it (ImageRefused), take its location out and
    make its thumbnail."""
    from shared.media.images import check_image, thumbnail, without_location

    data = store.read(evidence.object_name)
    check_image(data)
    cleaned = without_location(data)
    if cleaned is not data:
        store.write(evidence.object_name, cleaned, evidence.content_type)
    small = thumbnail(cleaned)
    if small is None:
        return evidence.model_copy(update={"size": len(cleaned)})
    thumb_name = evidence.object_name + ".thumb.jpg"
    store.write(thumb_name, small, "image/jpeg")
    return evidence.model_copy(update={"thumbnail_object": thumb_name, "size": len(cleaned)})


def process_video(store: UploadStore, evidence: Evidence) -> Evidence:
    """Its poster frame beside it and its duration: ffmpeg reads the video by ranges (its
    index and first frame), never the whole file."""
    from shared.media.video import probe

    facts = probe(*store.ranged_source(evidence.object_name))
    poster_name = evidence.object_name + ".poster.jpg"
    store.write(poster_name, facts.poster, "image/jpeg")
    return evidence.model_copy(
        update={"thumbnail_object": poster_name, "duration_seconds": facts.duration_seconds}
    )
