"""Whether an uploaded object may become evidence: real type, size, and a safe name."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from shared.domain.attachments import ALLOWED_TYPES, AttachmentLimits, too_large
from shared.media.sniff import sniff


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    content_type: str | None = None
    kind: str | None = None
    reason: str | None = None  # a sentence for the person who uploaded it (API clients)
    code: str | None = None  # what the page says, in the person's language: empty, type,
    # too_large, size_mismatch


def check_object(head: bytes, size: int, limits: AttachmentLimits) -> Verdict:
    if size <= 0:
        return Verdict(False, reason="the file is empty", code="empty")
    real = sniff(head)
    if real is None or real not in ALLOWED_TYPES:
        return Verdict(
            False,
            reason="the file is not a JPEG, PNG, WebP or HEIC image, an MP4, "
            "MOV or WebM video, or a PDF (whatever its name says)",
            code="type",
        )
    kind = ALLOWED_TYPES[real][0]
    if size > limits.for_kind(kind):
        return Verdict(False, real, kind, too_large(kind, limits), "too_large")
    return Verdict(True, real, kind)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(filename: str) -> str:
    """A name that is only a name: no folders, no control characters, no leading dots."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_name).strip(".-")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    return (cleaned or "evidence")[-100:]


def object_name(ticket_id: str, filename: str) -> str:
    """Where an upload goes in the bucket: the ticket's folder, a random part, a safe name."""
    if not re.fullmatch(r"[0-9a-f]{24}", ticket_id):
        raise ValueError("not a ticket id")
    return f"tickets/{ticket_id}/{uuid.uuid4().hex}/{safe_filename(filename)}"
