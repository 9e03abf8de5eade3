"""Files that arrive whole (a reply's attachments and inline images) become evidence through the
same checks as uploads: the real type from the bytes, the size limits, the ticket's and the
person's quotas, the location taken out of photos, thumbnails and poster frames.

Each file has an upload record whose id follows from the message and the file's place in it,
so a message applied again finds its files checked already (accepted or refused) and stores
nothing twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from shared.domain.attachments import AttachmentLimits, UploadQuota
from shared.domain.ticket import Evidence
from shared.media.checks import check_object, safe_filename
from shared.media.sniff import HEAD_BYTES
from shared.media.uploads import (
    QuotaExceeded,
    UploadRecords,
    process_image,
    process_video,
    reserve_quota,
)
from shared.storage.evidence import UploadStore

MAX_FILES = 10  # a reply's files taken; the rest are refused by name


@dataclass(frozen=True)
class ReceivedFile:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Refusal:
    filename: str
    code: str  # empty, type, too_large, quota, too_many, too_many_pixels, unreadable


@dataclass(frozen=True)
class Received:
    upload_ids: list[str]
    refused: list[Refusal]
    evidence: list[Evidence] = field(default_factory=list)  # of the accepted, in order


def receive_files(
    uploads: UploadRecords,
    store: UploadStore,
    *,
    ticket_id: str,
    key: str,
    files: list[ReceivedFile],
    by: str,
    limits: AttachmentLimits,
    quota: UploadQuota,
    now: datetime,
) -> Received:
    """Check and store a message's files for one ticket; `key` names the message."""
    prefix = "m" + hashlib.sha256(key.encode()).hexdigest()[:32]
    accepted: list[str] = []
    refused: list[Refusal] = []
    evidence: list[Evidence] = []
    for index, item in enumerate(files):
        if index >= MAX_FILES:
            refused.append(Refusal(item.filename, "too_many"))
            continue
        upload_id = f"{prefix}-{index}"
        found = _receive(uploads, store, upload_id, ticket_id, item, by, limits, quota, now)
        if isinstance(found, Evidence):
            accepted.append(upload_id)
            evidence.append(found)
        else:
            refused.append(Refusal(item.filename, found))
    return Received(accepted, refused, evidence)


def _receive(
    uploads: UploadRecords,
    store: UploadStore,
    upload_id: str,
    ticket_id: str,
    item: ReceivedFile,
    by: str,
    limits: AttachmentLimits,
    quota: UploadQuota,
    now: datetime,
) -> Evidence | str:
    """The file's evidence, or why it was refused."""
    name = f"tickets/{ticket_id}/{upload_id}/{safe_filename(item.filename)}"  # a retry's too
    record, created = uploads.create(
        upload_id,
        {
            "ticket_id": ticket_id,
            "object_name": name,
            "filename": item.filename[:200],
            "declared_size": len(item.data),
            "by": by,
            "state": "pending",
            "source": "mail",
            "created_at": now,
        },
    )
    if record["state"] == "accepted":
        return Evidence.model_validate(record["evidence"])
    if record["state"] == "rejected":
        return record.get("reason_code") or "type"
    verdict = check_object(item.data[:HEAD_BYTES], len(item.data), limits)
    if not verdict.accepted:
        return _refuse(uploads, upload_id, verdict.code or "type", now)
    if created:
        try:
            reserve_quota(uploads, ticket_id, by, len(item.data), quota, now)
        except QuotaExceeded:
            return _refuse(uploads, upload_id, "quota", now)
    store.write(name, item.data, verdict.content_type or "application/octet-stream")
    evidence = Evidence(
        object_name=name,
        filename=item.filename[:200],
        content_type=verdict.content_type,
        size=len(item.data),
    )
    if verdict.kind == "image":
        from shared.media.images import ImageRefused  # Pillow: only when needed

        try:
            evidence = process_image(store, evidence)
        except ImageRefused as refusal:
            store.delete(name)
            return _refuse(uploads, upload_id, refusal.code, now)
    elif verdict.kind == "video":
        evidence = process_video(store, evidence)
    uploads.update(
        upload_id,
        {
            "state": "accepted",
            "evidence": evidence.model_dump(),
            "checked_at": now,
        },
    )
    return evidence


def _refuse(uploads: UploadRecords, upload_id: str, code: str, now: datetime) -> str:
    uploads.update(upload_id, {"state": "rejected", "reason_code": code, "checked_at": now})
    return code
