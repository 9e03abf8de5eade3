"""Google Drive, read-only: the files an intake client (AppSheet) keeps in its Drive folder.

The media function reads them as itself: its service account is given read access to the
app's folder (shared with it as a Viewer) and asks for the `drive.readonly` scope. A file is
found by its path in the folder, or by its id; either way it must lie inside the folder. Its
bytes are streamed into the evidence bucket in chunks, never held whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from shared.domain.drive import DriveReference

DRIVE_SCOPE = "https://www.googleapis.com/auth/drive.readonly"
FOLDER = "application/vnd.google-apps.folder"
CHUNK = 8 * 1024 * 1024
MAX_DEPTH = 8  # how far up a file's parents are followed to find the folder


@dataclass(frozen=True)
class DriveFile:
    id: str
    name: str
    mime_type: str
    size: int


class DriveRefused(Exception):
    """The reference names no file the help desk may take: `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class DriveUnavailable(Exception):
    """Drive failed or asked us to slow down: try again later."""


class DriveFolder(Protocol):
    def find(self, folder_id: str, reference: DriveReference) -> DriveFile: ...
    def copy(self, file: DriveFile, sink: BinaryIO) -> None: ...


class GoogleDrive:
    def __init__(self, service: Any) -> None:
        self._files = service.files()

    def find(self, folder_id: str, reference: DriveReference) -> DriveFile:
        if reference.file_id:
            found = self._call(
                self._files.get(
                    fileId=reference.file_id,
                    fields="id,name,mimeType,size,parents,trashed",
                    supportsAllDrives=True,
                )
            )
            if found.get("trashed") or not self._inside(found, folder_id):
                raise DriveRefused("outside", "the file is not in the app's Drive folder")
        else:
            parent = folder_id
            for name in reference.path[:-1]:
                parent = self._child(parent, name, folder=True)["id"]
            found = self._child(parent, reference.path[-1], folder=False)
        if found.get("mimeType", "").startswith("application/vnd.google-apps."):
            raise DriveRefused("type", "a Google Docs file is not a photo or a video")
        return DriveFile(
            found["id"], found["name"], found.get("mimeType", ""), int(found.get("size") or 0)
        )

    def copy(self, file: DriveFile, sink: BinaryIO) -> None:
        from googleapiclient.http import MediaIoBaseDownload

        request = self._files.get_media(fileId=file.id, supportsAllDrives=True)
        downloader = MediaIoBaseDownload(sink, request, chunksize=CHUNK)
        done = False
        while not done:
            _, done = self._call(downloader, method="next_chunk")

    def _child(self, parent: str, name: str, folder: bool) -> dict:
        kind = "=" if folder else "!="
        query = (
            f"'{_quoted(parent)}' in parents and name = '{_quoted(name)}' "
            f"and mimeType {kind} '{FOLDER}' and trashed = false"
        )
        found = self._call(
            self._files.list(
                q=query,
                fields="files(id,name,mimeType,size)",
                pageSize=2,
                supportsAllDrives=True,
                includeItemsFromAllDrives=True,
            )
        ).get("files", [])
        if not found:
            raise DriveRefused("not_found", "no such file in the app's Drive folder")
        return found[0]

    def _inside(self, found: dict, folder_id: str) -> bool:
        parents, depth = list(found.get("parents") or []), 0
        while parents and depth < MAX_DEPTH:
            if folder_id in parents:
                return True
            try:
                parent = self._call(
                    self._files.get(fileId=parents[0], fields="id,parents", supportsAllDrives=True)
                )
            except DriveRefused:  # a folder the help desk cannot read is not the app's
                return False
            parents, depth = list(parent.get("parents") or []), depth + 1
        return False

    @staticmethod
    def _call(request: Any, method: str = "execute") -> Any:
        from googleapiclient.errors import HttpError

        try:
            return getattr(request, method)(num_retries=1)  # then Cloud Tasks tries again
        except HttpError as error:
            status = error.resp.status
            if status in (404, 403) and b"ateLimit" not in (error.content or b""):
                # not there, or not shared with the help desk's account: the same to us
                raise DriveRefused("not_found", "no such file the help desk may read") from None
            if status == 416:  # an empty file
                raise DriveRefused("empty", "the file is empty") from None
            raise DriveUnavailable(f"Drive answered {status}") from None
        except (OSError, TimeoutError) as error:
            raise DriveUnavailable(type(error).__name__) from None


def _quoted(value: str) -> str:
    """A value inside single quotes of a Drive query."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def build_drive() -> GoogleDrive:
    """Drive as the function's own service account, read-only."""
    import google.auth
    from googleapiclient.discovery import build

    credentials, _ = google.auth.default(scopes=[DRIVE_SCOPE])
    return GoogleDrive(build("drive", "v3", credentials=credentials, cache_discovery=False))
