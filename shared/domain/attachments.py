"""Which evidence files a ticket accepts: types and sizes (uploading them is media's job)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MB = 1024 * 1024

# Content type -> (kind, default maximum size in bytes).
ALLOWED_TYPES: dict[str, tuple[str, int]] = {
    "image/jpeg": ("image", 25 * MB),
    "image/png": ("image", 25 * MB),
    "image/webp": ("image", 25 * MB),
    "image/heic": ("image", 25 * MB),
    "video/mp4": ("video", 1024 * MB),
    "video/quicktime": ("video", 1024 * MB),
    "video/webm": ("video", 1024 * MB),
    "application/pdf": ("document", 25 * MB),
}

MAX_ATTACHMENTS = 20

# What browsers and phones call the accepted kinds: Chromium says image/heif for an iPhone's
# .heic, some pickers say nothing at all. The real type is read from the bytes later anyway.
_ALIASES = {
    "image/heif": "image/heic",
    "image/heic-sequence": "image/heic",
    "image/heif-sequence": "image/heic",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
}
_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "heif": "image/heic",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "pdf": "application/pdf",
}


def declared_type(content_type: str, filename: str) -> str:
    """The accepted type a declared one stands for; from the file's extension when the
    declaration says nothing useful (empty, application/octet-stream)."""
    declared = content_type.lower().strip()
    declared = _ALIASES.get(declared, declared)
    if declared in ("", "application/octet-stream"):
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return _BY_EXTENSION.get(extension, declared)
    return declared


@dataclass(frozen=True)
class AttachmentLimits:
    image_bytes: int = 25 * MB
    video_bytes: int = 1024 * MB
    document_bytes: int = 25 * MB

    def for_kind(self, kind: str) -> int:
        return {"image": self.image_bytes, "video": self.video_bytes}.get(kind, self.document_bytes)


@dataclass(frozen=True)
class UploadQuota:
    """How much one ticket, and one person in a day, may upload: a link is valid for two weeks,
    and each upload session may receive up to its declared size (HELPDESK_UPLOADS_* settings)."""

    per_ticket: int = 100
    bytes_per_ticket: int = 5 * 1024 * MB
    per_person_day: int = 60
    bytes_per_person_day: int = 10 * 1024 * MB


def attachment_problems(
    filename: str, content_type: str, size: int, limits: AttachmentLimits
) -> list[tuple[str, str]]:
    """Problems keyed by the attachment's own field names ("filename", "content_type", "size")."""
    problems = [("filename", problem) for problem in filename_problems(filename)]
    kind = ALLOWED_TYPES.get(declared_type(content_type, filename), (None, 0))[0]
    if kind is None:
        problems.append(
            ("content_type", f"{content_type!r} is not accepted; use {', '.join(ALLOWED_TYPES)}")
        )
    if size <= 0:
        problems.append(("size", "an empty file cannot be evidence"))
    elif kind is not None and size > limits.for_kind(kind):
        problems.append(("size", too_large(kind, limits)))
    return problems


def too_large(kind: str, limits: AttachmentLimits) -> str:
    article = {"image": "an image", "video": "a video"}.get(kind, "a document")
    return f"{article} may be at most {limits.for_kind(kind) // MB} MB"


def filename_problems(filename: str) -> list[str]:
    if not filename or len(filename) > 200:
        return ["must be 1 to 200 characters long"]
    if any(unicodedata.category(char).startswith("C") for char in filename):
        return ["must not contain control characters"]
    if "/" in filename or "\\" in filename or filename.startswith(".") or ".." in filename:
        return ["must be a plain file name, without folders, '..' or a leading dot"]
    return []
