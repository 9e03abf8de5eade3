"""Photos taken in the AppSheet app: the webhook names them by their path in the app's Drive
folder; intake opens the ticket and queues a task; media fetches each file with the Drive API
(googleapiclient, built from the real Drive v3 discovery document, over an HTTP mock that
plays Drive's answers) and passes it through the checks of any upload."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import httplib2
import pytest
from google.cloud import storage
from google.cloud.firestore_v1.base_query import FieldFilter
from googleapiclient.discovery import build
from googleapiclient.http import HttpMock
from PIL import Image

from shared import bootstrap
from shared.media.images import GPS_IFD
from shared.repositories.tickets import FirestoreTickets
from shared.storage.drive import GoogleDrive
from tests.integration.conftest import (
    APPSHEET_FOLDER,
    APPSHEET_KEY,
    TIMER_SECRET,
    appsheet_body,
    appsheet_row,
    make_client,
)
from tests.unit.media.test_images import photo

FOLDER_MIME = "application/vnd.google-apps.folder"


class AppFolder(HttpMock):
    """Drive's HTTP answers for one app folder: `files` maps id to (name, parent, mime, bytes).
    Every request is recorded; listing, metadata and ranged media downloads are answered as
    Drive answers them."""

    def __init__(self, files: dict[str, tuple[str, str, str, bytes]], fail_first: int = 0):
        super().__init__()
        self.files = files
        self.requests: list[tuple[str, str]] = []
        self.fail_first = fail_first  # answer 503 to the first requests: Drive is down

    def request(self, uri, method="GET", body=None, headers=None, **_):
        self.requests.append((method, uri))
        if self.fail_first:
            self.fail_first -= 1
            return self._json(503, {"error": {"code": 503, "message": "Backend Error"}})
        url = urlsplit(uri)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path.endswith("/drive/v3/files"):
            return self._json(200, {"files": self._matching(query["q"])})
        file_id = unquote(url.path.rsplit("/", 1)[-1])
        if file_id not in self.files:
            return self._json(404, {"error": {"code": 404, "message": "File not found"}})
        name, parent, mime, data = self.files[file_id]
        if query.get("alt") == "media":
            first, last = 0, len(data) - 1
            found = re.match(r"bytes=(\d+)-(\d*)", (headers or {}).get("range", ""))
            if found:
                first = int(found.group(1))
                last = min(last, int(found.group(2) or last))
            part = data[first : last + 1]
            answer = {"status": "206", "content-range": f"bytes {first}-{last}/{len(data)}"}
            return httplib2.Response(answer), part
        meta = {"id": file_id, "name": name, "mimeType": mime, "parents": [parent]}
        if mime != FOLDER_MIME:
            meta["size"] = str(len(data))
        return self._json(200, meta)

    def _matching(self, q: str) -> list[dict]:
        parent = re.search(r"'((?:[^'\\]|\\.)*)' in parents", q).group(1)
        name = re.search(r"name = '((?:[^'\\]|\\.)*)'", q).group(1).replace("\\'", "'")
        folders = f"mimeType = '{FOLDER_MIME}'" in q
        return [
            {"id": file_id, "name": found, "mimeType": mime, "size": str(len(data))}
            for file_id, (found, inside, mime, data) in self.files.items()
            if inside == parent and found == name and (mime == FOLDER_MIME) == folders
        ]

    @staticmethod
    def _json(status: int, payload: dict):
        return httplib2.Response({"status": str(status)}), json.dumps(payload).encode()


def located_jpeg() -> bytes:
    return photo("JPEG", exif_gps=True, size=(1600, 1200))


@pytest.fixture
def app_folder(monkeypatch):
    """The app's Drive folder with its images folder and two photos taken on the tablet."""
    files = {
        "folder-images": ("Chamados_Images", APPSHEET_FOLDER, FOLDER_MIME, b""),
        "photo-1": ("a1b2c3d4.Foto 1.050512.jpg", "folder-images", "image/jpeg", located_jpeg()),
        "photo-2": ("a1b2c3d4.Foto 2.050519.jpg", "folder-images", "image/jpeg", located_jpeg()),
        "1SomeoneElsesPhoto-0123456789abcd": (
            "salario.jpg",
            "someone-elses-folder",
            "image/jpeg",
            located_jpeg(),
        ),
    }
    folder = AppFolder(files)

    def drive():  # the real Drive v3 discovery document, packaged with googleapiclient
        return GoogleDrive(build("drive", "v3", http=folder, static_discovery=True))

    monkeypatch.setattr("shared.storage.drive.build_drive", drive)
    bootstrap.media_services.cache_clear()
    yield folder
    bootstrap.media_services.cache_clear()


FIRST = "Chamados_Images/a1b2c3d4.Foto 1.050512.jpg"
SECOND = "Chamados_Images/a1b2c3d4.Foto 2.050519.jpg"


def row(first: str = FIRST, second: str = SECOND) -> dict[str, str]:
    """A row with the photos taken on the tablet (an empty text: no photo)."""
    return appsheet_row(**{"[Photo 1]": first, "[Photo 2]": second})


HEADERS = {
    "Content-Type": "application/json",
    "X-Helpdesk-Key": APPSHEET_KEY,
    "X-Helpdesk-Client": "appsheet",
}


def queued(paused_queue) -> list[dict]:
    from google.cloud import tasks_v2

    client, name = paused_queue
    request = tasks_v2.ListTasksRequest(parent=name, response_view=tasks_v2.Task.View.FULL)
    tasks = client.list_tasks(request=request)
    return [
        {
            "name": task.name.rsplit("/", 1)[-1],
            "url": task.http_request.url,
            "body": task.http_request.body,
        }
        for task in tasks
    ]


def run_task(media, task) -> dict:
    answer = media.post(
        "/drive",
        data=task["body"],
        headers={"Content-Type": "application/json", "X-Helpdesk-Timer-Secret": TIMER_SECRET},
    )
    return answer


def test_an_appsheet_row_with_two_photos_opens_a_ticket_with_both(
    app_folder, paused_queue, intake, db
):
    body = appsheet_body(row())
    opened = intake.post("/", data=body, headers=HEADERS)
    assert opened.status_code == 201, opened.json
    assert intake.post("/", data=body, headers=HEADERS).status_code == 200  # AppSheet retried
    # one task name, however often the row was sent: Cloud Tasks keeps one task per name
    # (the emulator keeps both; either way the fetch below is idempotent)
    tasks = queued(paused_queue)
    assert {task["name"] for task in tasks} == {f"drive-{opened.json['id']}"}
    task = tasks[0]
    assert task["url"].endswith("/drive")

    media = make_client("media")
    answer = run_task(media, task)
    assert answer.status_code == 200, answer.json
    assert answer.json == {"files": ["accepted", "accepted"]}

    ticket = FirestoreTickets(db).get(opened.json["id"])
    assert [item.status for item in ticket.attachments] == ["uploaded", "uploaded"]
    mine = FieldFilter("ticket_id", "==", ticket.id)
    events = db.collection("ticket_events").where(filter=mine).stream()
    evidence = [
        item
        for event in sorted((e.to_dict() for e in events), key=lambda e: e["seq"])
        if event["type"] == "information_added"
        for item in event["data"]["evidence"]
    ]
    assert [item["filename"] for item in evidence] == [
        "a1b2c3d4.Foto 1.050512.jpg",
        "a1b2c3d4.Foto 2.050519.jpg",
    ]
    bucket = storage.Client(project=bootstrap.services().config.project).bucket(
        bootstrap.services().config.evidence_bucket
    )
    for item in evidence:
        stored = Image.open(io.BytesIO(bucket.blob(item["object_name"]).download_as_bytes()))
        assert GPS_IFD not in stored.getexif()  # the location is gone
        thumb = Image.open(io.BytesIO(bucket.blob(item["thumbnail_object"]).download_as_bytes()))
        assert max(thumb.size) <= 640
    # the task run again (Cloud Tasks delivers at least once): nothing fetched or added twice
    fetched = len(app_folder.requests)
    again = run_task(media, task)
    assert again.status_code == 200
    assert again.json == {"files": []}
    assert len(app_folder.requests) == fetched
    assert FirestoreTickets(db).get(ticket.id).event_count == ticket.event_count


def test_drive_down_makes_the_task_try_again_and_nothing_is_lost(
    app_folder, paused_queue, intake, db
):
    opened = intake.post("/", data=appsheet_body(row(second="")), headers=HEADERS)
    (task,) = queued(paused_queue)
    media = make_client("media")
    app_folder.fail_first = 2  # the request and googleapiclient's own retry
    down = run_task(media, task)
    assert down.status_code == 503  # Cloud Tasks tries again later
    assert FirestoreTickets(db).get(opened.json["id"]).attachments[0].status == "awaiting_upload"
    assert run_task(media, task).json == {"files": ["accepted"]}


def test_a_file_outside_the_app_folder_or_missing_is_refused_without_a_retry(
    app_folder, paused_queue, intake, db
):
    outside = "https://drive.google.com/file/d/1SomeoneElsesPhoto-0123456789abcd/view?usp=drivesdk"
    missing = "Chamados_Images/nunca-existiu.jpg"
    opened = intake.post(
        "/", data=appsheet_body(row(first=outside, second=missing)), headers=HEADERS
    )
    assert opened.status_code == 201, opened.json
    (task,) = queued(paused_queue)
    answer = run_task(make_client("media"), task)
    assert answer.status_code == 200
    assert answer.json == {"files": ["outside", "not_found"]}
    ticket = FirestoreTickets(db).get(opened.json["id"])
    assert [item.status for item in ticket.attachments] == ["refused", "refused"]
    assert not any("alt=media" in uri for _, uri in app_folder.requests)  # nothing read


def test_a_photo_named_twice_is_one_photo(app_folder, paused_queue, intake, db):
    opened = intake.post("/", data=appsheet_body(row(second=FIRST)), headers=HEADERS)
    assert opened.status_code == 201, opened.json
    assert len(FirestoreTickets(db).get(opened.json["id"]).attachments) == 1


def test_photos_from_a_client_without_a_drive_folder_are_refused(intake, db):
    from tests.integration.conftest import incident, post_ticket

    answer = post_ticket(intake, incident(photos=["Chamados_Images/x.jpg"]))
    assert answer.status_code == 400
    assert answer.json["details"] == [
        {
            "field": "photos",
            "message": "photos from a Drive folder are taken only from a client with one "
            "(AppSheet's); google-forms has none",
        }
    ]
    assert db.collection("tickets").count().get()[0][0].value == 0


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("../../outro/segredo.jpg", "must stay inside the app's Drive folder"),
        (
            "https://example.com/foto.jpg",
            "must be a path in the app's Drive folder or a Drive link",
        ),
        ("https://drive.google.com/drive/folders", "is a Drive link without a file id"),
        ("<<[Photo 1]>>", "is an AppSheet expression that was not filled (check the bot's body)"),
    ],
)
def test_a_reference_that_is_not_in_the_folder_is_refused_at_once(intake, db, reference, message):
    answer = intake.post("/", data=appsheet_body(row(first=reference)), headers=HEADERS)
    assert answer.status_code == 400
    assert {"field": "photos[0]", "message": message} in answer.json["details"]
    assert db.collection("tickets").count().get()[0][0].value == 0
