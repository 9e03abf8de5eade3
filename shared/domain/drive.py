"""What an AppSheet app (or any client with a Drive folder) may send instead of a file: a
reference to a file of the app's Google Drive folder.

AppSheet keeps a photo taken in the app in its data folder and writes the file's path into
the row, relative to that folder: `Chamados_Images/8a7c3e21.Foto 1.050512.jpg`. A bot can also
send a Drive link (`https://drive.google.com/file/d/<id>/view`, `…/open?id=<id>`) or the
app's own file link (`https://www.appsheet.com/template/gettablefileurl?…&fileName=<path>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

_DRIVE_ID = re.compile(r"[A-Za-z0-9_-]{10,200}")
_DRIVE_HOSTS = {"drive.google.com", "docs.google.com"}


@dataclass(frozen=True)
class DriveReference:
    file_id: str | None = None  # a link names the file itself
    path: tuple[str, ...] = ()  # or its path in the app's folder: folders, then the name

    @property
    def filename(self) -> str | None:
        return self.path[-1] if self.path else None


def parse_reference(text: str) -> DriveReference:
    """The reference in `text`, or ValueError saying what is wrong with it."""
    text = text.strip()
    if not text:
        raise ValueError("is empty")
    if "<<" in text or ">>" in text:
        raise ValueError("is an AppSheet expression that was not filled (check the bot's body)")
    if text.startswith(("http://", "https://")):
        return _from_link(text)
    return DriveReference(path=_path(text))


def _from_link(text: str) -> DriveReference:
    link = urlsplit(text)
    query = parse_qs(link.query)
    if link.scheme == "https" and link.hostname in _DRIVE_HOSTS:
        found = re.search(r"/d/([^/]+)", link.path)
        file_id = found.group(1) if found else (query.get("id") or [""])[0]
        if _DRIVE_ID.fullmatch(file_id):
            return DriveReference(file_id=file_id)
        raise ValueError("is a Drive link without a file id")
    if link.scheme == "https" and link.hostname in ("www.appsheet.com", "appsheet.com"):
        name = (query.get("fileName") or [""])[0]
        if name:
            return DriveReference(path=_path(name))
        raise ValueError("is an AppSheet link without a fileName")
    raise ValueError("must be a path in the app's Drive folder or a Drive link")


def _path(text: str) -> tuple[str, ...]:
    parts = tuple(part for part in unquote(text).replace("\\", "/").split("/") if part)
    if not parts or len(parts) > 8:
        raise ValueError("is not a path in the app's Drive folder")
    if any(part in (".", "..") or len(part) > 255 for part in parts):
        raise ValueError("must stay inside the app's Drive folder")
    if any(ord(char) < 32 for part in parts for char in part):
        raise ValueError("has control characters")
    return parts
