"""Evidence uploads through the storage emulator: resumable sessions, checks, hostile files."""

from __future__ import annotations

import io
import json
import os
import uuid
from datetime import timedelta

import pytest
import requests
from google.cloud import storage
from PIL import Image

from shared.bootstrap import media_services
from shared.links import LinkSigner
from shared.media.images import GPS_IFD
from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import REQUESTER, incident, make_client, post_ticket, signed_headers
from tests.unit.media.test_checks import MP4, jpeg


@pytest.fixture
def media(notifications_env):
    media_services.cache_clear()
    yield make_client("media")
    media_services.cache_clear()


@pytest.fixture
def ticket(intake):
    """A ticket of this test's own: the storage emulator's bucket is shared by all tests."""
    return post_ticket(intake, incident(submission_id=f"media-{uuid.uuid4().hex}")).json


@pytest.fixture
def bucket(db):
    return storage.Client(project=db.project).bucket(os.environ["HELPDESK_EVIDENCE_BUCKET"])


def link(ticket_id, role="requester", email=REQUESTER) -> dict:
    signer = LinkSigner(
        os.environ["HELPDESK_LINK_SECRET"], "https://pages.example.test", timedelta(days=14)
    )
    return {"X-Helpdesk-Link": signer.token(ticket_id, email, role)}


def upload(media, ticket, data: bytes, filename: str, content_type: str, size=None, headers=None):
    headers = headers or link(ticket["id"])
    started = media.post(
        "/uploads",
        json={
            "filename": filename,
            "content_type": content_type,
            "size": len(data) if size is None else size,
        },
        headers=headers,
    )
    if started.status_code != 201:
        return started, None
    put = requests.put(started.json["upload_url"], data=data, timeout=30)
    assert put.status_code in (200, 201), put.text
    done = media.post(f"/uploads/{started.json['upload_id']}/complete", headers=headers)
    return done, started.json


def objects(bucket, ticket) -> list[str]:
    return sorted(blob.name for blob in bucket.list_blobs(prefix=f"tickets/{ticket['id']}/"))


def test_a_photo_is_checked_thumbnailed_and_loses_its_location(media, ticket, bucket):
    done, started = upload(media, ticket, jpeg(gps=True), "painel com GPS.jpg", "image/jpeg")
    assert done.status_code == 200, done.json
    evidence = done.json["evidence"]
    assert evidence["content_type"] == "image/jpeg"
    assert evidence["thumbnail_object"] == started["object_name"] + ".thumb.jpg"
    assert objects(bucket, ticket) == sorted([started["object_name"], evidence["thumbnail_object"]])
    original = bucket.blob(started["object_name"]).download_as_bytes()
    with Image.open(io.BytesIO(original)) as image:
        assert GPS_IFD not in image.getexif()
    with Image.open(
        io.BytesIO(bucket.blob(evidence["thumbnail_object"]).download_as_bytes())
    ) as thumb:
        assert max(thumb.size) == 640
    again = media.post(f"/uploads/{started['upload_id']}/complete", headers=link(ticket["id"]))
    assert again.json == done.json  # completing twice is harmless


def test_a_video_goes_straight_to_the_bucket(media, ticket, bucket):
    data = MP4 + b"\x00" * 200_000
    done, started = upload(media, ticket, data, "ruido.mp4", "video/mp4")
    assert done.status_code == 200, done.json
    assert done.json["evidence"]["content_type"] == "video/mp4"
    assert bucket.blob(started["object_name"]).download_as_bytes() == data
    # its bytes after the header decode to no frame: a placeholder poster, no duration
    poster = done.json["evidence"]["thumbnail_object"]
    assert poster == started["object_name"] + ".poster.jpg"
    assert bucket.blob(poster).download_as_bytes().startswith(b"\xff\xd8")
    assert done.json["evidence"]["duration_seconds"] is None


def test_a_real_video_gets_its_first_frame_and_duration(media, ticket, bucket):
    from PIL import Image

    from tools.sample_video import CLIP_SECONDS, clip

    done, _ = upload(media, ticket, clip(), "prensa.mp4", "video/mp4")
    assert done.status_code == 200, done.json
    assert abs(done.json["evidence"]["duration_seconds"] - CLIP_SECONDS) < 0.1
    poster = bucket.blob(done.json["evidence"]["thumbnail_object"]).download_as_bytes()
    frame = Image.open(io.BytesIO(poster))
    assert frame.format == "JPEG"
    assert frame.size == (640, 360)
    assert not frame.getexif()  # no metadata of the video carried over


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "reason"),
    [
        (
            b"<!doctype html><script>alert(1)</script>" + b" " * 100,
            "foto.jpg",
            "image/jpeg",
            "whatever its name says",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "foto.png",
            "image/png",
            "whatever its name says",
        ),
        (b"MZ\x90\x00" + b"\x00" * 500, "video.mp4", "video/mp4", "whatever its name says"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_and_deleted(
    media, ticket, bucket, data, filename, content_type, reason
):
    done, started = upload(media, ticket, data, filename, content_type)
    assert done.status_code == 422
    assert reason in done.json["error"]
    # The page reads the refusal (CORS) and says its code in the person's language.
    assert done.headers["Access-Control-Allow-Origin"] == "https://pages.example.test"
    assert done.json["reason"] in ("type", "size_mismatch", "empty")
    assert objects(bucket, ticket) == []
    again = media.post(f"/uploads/{started['upload_id']}/complete", headers=link(ticket["id"]))
    assert again.status_code == 422  # the refusal is recorded
    assert again.json["reason"] == done.json["reason"]


@pytest.mark.parametrize(
    ("filename", "content_type", "size", "field"),
    [
        ("../../etc/passwd.jpg", "image/jpeg", 100, "filename"),
        ("foto.jpg", "image/jpeg", 0, "size"),
        ("video.mp4", "video/mp4", 2 * 1024 * 1024 * 1024, "size"),
        ("desenho.svg", "image/svg+xml", 100, "content_type"),
    ],
)
def test_announcements_that_cannot_be_accepted_open_no_upload(
    media, ticket, bucket, filename, content_type, size, field
):
    started = media.post(
        "/uploads",
        json={"filename": filename, "content_type": content_type, "size": size},
        headers=link(ticket["id"]),
    )
    assert started.status_code == 400
    assert started.json["details"][0]["field"] == field
    assert started.json["reason"] in ("filename", "empty", "too_large", "type")
    assert started.headers["Access-Control-Allow-Origin"] == "https://pages.example.test"
    assert objects(bucket, ticket) == []


def test_who_may_upload(media, ticket, intake):
    body = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}
    assert media.post("/uploads", json=body).status_code == 401
    tampered = link(ticket["id"])
    tampered["X-Helpdesk-Link"] += "x"
    assert media.post("/uploads", json=body, headers=tampered).status_code == 403
    watcher = link(ticket["id"], role="manager")
    assert media.post("/uploads", json=body, headers=watcher).status_code == 403
    # Apps Script sends a form's files with the intake signature, for its own tickets.
    raw = json.dumps({**body, "ticket_id": ticket["id"]}).encode()
    signed = media.post("/uploads", data=raw, headers=signed_headers(raw, path="/uploads"))
    assert signed.status_code == 201, signed.json
    other = json.dumps({**body, "ticket_id": "0" * 24}).encode()
    refused = media.post("/uploads", data=other, headers=signed_headers(other, path="/uploads"))
    assert refused.status_code == 404


def test_one_ticket_link_cannot_complete_another_tickets_upload(media, ticket, intake):
    started = media.post(
        "/uploads",
        json={"filename": "a.jpg", "content_type": "image/jpeg", "size": 10},
        headers=link(ticket["id"]),
    ).json
    other = post_ticket(intake, incident(submission_id=f"other-{uuid.uuid4().hex}")).json
    stolen = media.post(f"/uploads/{started['upload_id']}/complete", headers=link(other["id"]))
    assert stolen.status_code == 404


def test_the_pages_may_call_it_from_their_origin(media):
    preflight = media.options("/uploads")
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://pages.example.test"
    assert "X-Helpdesk-Link" in preflight.headers["Access-Control-Allow-Headers"]


def test_a_forms_announced_file_gets_its_upload_and_joins_the_ticket(media, intake, db, bucket):
    photo = jpeg()
    announced = incident(
        submission_id=f"form-{uuid.uuid4().hex}",
        attachments=[{"filename": "painel.jpg", "content_type": "image/jpeg", "size": len(photo)}],
    )
    first = post_ticket(intake, announced)
    assert first.status_code == 201
    (upload,) = first.json["uploads"]
    assert upload["state"] == "pending"
    again = post_ticket(intake, announced)  # Apps Script sends the response again
    assert again.json["uploads"] == first.json["uploads"]
    assert requests.put(upload["upload_url"], data=photo, timeout=30).status_code in (200, 201)
    raw = json.dumps({"ticket_id": first.json["id"]}).encode()
    done = media.post(
        f"/uploads/{upload['upload_id']}/complete",
        data=raw,
        headers=signed_headers(raw, path=f"/uploads/{upload['upload_id']}/complete"),
    )
    assert done.status_code == 200, done.json
    complete = f"/uploads/{upload['upload_id']}/complete"
    media.post(complete, data=raw, headers=signed_headers(raw, path=complete))
    tickets = FirestoreTickets(db)
    stored = tickets.get(first.json["id"])
    assert stored.attachments[0].status == "uploaded"
    added = [e for e in tickets.events(stored.id) if e.type == "information_added"]
    assert len(added) == 1  # completed twice, attached once
    assert added[0].actor == "lucas.oliveira@metalvale.com.br"
    assert added[0].data["evidence"][0]["thumbnail_object"].endswith(".thumb.jpg")
    assert post_ticket(intake, announced).json["uploads"][0]["state"] == "accepted"


@pytest.mark.parametrize("size", [9000, 12000])  # over the budget; over Pillow's own limit
def test_decompression_bombs_are_refused_deleted_and_recorded(media, ticket, bucket, size):
    from tests.unit.media.test_images import bomb

    done, started = upload(media, ticket, bomb(size), "painel.png", "image/png")
    assert done.status_code == 422
    assert done.json["reason"] == "too_many_pixels"
    assert objects(bucket, ticket) == []
    again = media.post(f"/uploads/{started['upload_id']}/complete", headers=link(ticket["id"]))
    assert (again.status_code, again.json["reason"]) == (422, "too_many_pixels")


def test_an_iphone_photo_loses_its_location_and_gets_a_thumbnail(media, ticket, bucket):
    from shared.media.images import has_location
    from tests.unit.media.test_images import XMP_WITH_PLACE, photo

    heic = photo("HEIF", exif_gps=True, xmp=XMP_WITH_PLACE, size=(4032, 3024))
    done, started = upload(media, ticket, heic, "IMG_0042.HEIC", "image/heic")
    assert done.status_code == 200, done.json
    evidence = done.json["evidence"]
    assert evidence["content_type"] == "image/heic"
    stored = bucket.blob(started["object_name"]).download_as_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "HEIF"
        assert not has_location(image)
    thumb = bucket.blob(evidence["thumbnail_object"]).download_as_bytes()
    with Image.open(io.BytesIO(thumb)) as image:
        assert (image.format, max(image.size)) == ("JPEG", 640)


def start(media, ticket, size=1000, name="foto.jpg"):
    return media.post(
        "/uploads",
        json={"filename": name, "content_type": "image/jpeg", "size": size},
        headers=link(ticket["id"]),
    )


def test_a_closed_ticket_takes_no_more_files(media, ticket, db, bucket):
    from shared.repositories.firestore import TICKETS

    db.collection(TICKETS).document(ticket["id"]).update({"status": "closed"})
    refused = start(media, ticket)
    assert (refused.status_code, refused.json["reason"]) == (409, "ticket_closed")
    from google.cloud.firestore_v1.base_query import FieldFilter

    on_ticket = db.collection("uploads").where(filter=FieldFilter("ticket_id", "==", ticket["id"]))
    assert list(on_ticket.stream()) == []


def test_uploads_are_bounded_per_ticket_and_per_person(media, ticket, monkeypatch):
    monkeypatch.setenv("HELPDESK_UPLOADS_PER_TICKET", "2")
    monkeypatch.setenv("HELPDESK_UPLOAD_MB_PER_PERSON_DAY", "1")
    from shared.bootstrap import services

    services.cache_clear()
    media_services.cache_clear()
    assert start(media, ticket).status_code == 201
    too_big = start(media, ticket, size=2 * 1024 * 1024)  # over the person's bytes of the day
    assert (too_big.status_code, too_big.json["reason"]) == (429, "quota")
    assert start(media, ticket).status_code == 201
    third = start(media, ticket)  # over the ticket's sessions
    assert (third.status_code, third.json["reason"]) == (429, "quota")
    assert third.headers["Access-Control-Allow-Origin"] == "https://pages.example.test"


def test_uploads_never_checked_are_deleted_a_day_on(media, ticket, db, bucket, monkeypatch):
    """Bytes PUT to a session and never completed are not kept: the hourly sweep deletes them
    (again, while the session could still receive bytes) and a late completion is refused."""
    from datetime import UTC, datetime

    from tests.integration.conftest import TIMER_SECRET

    monkeypatch.setenv("HELPDESK_TIMER_SECRET", TIMER_SECRET)
    from shared.bootstrap import services

    services.cache_clear()
    media_services.cache_clear()
    started = start(media, ticket, size=len(jpeg()), name="nunca.jpg").json
    assert requests.put(started["upload_url"], data=jpeg(), timeout=30).status_code in (200, 201)
    fresh = start(media, ticket, size=len(jpeg()), name="agora.jpg").json
    requests.put(fresh["upload_url"], data=jpeg(), timeout=30)
    db.collection("uploads").document(started["upload_id"]).update(
        {"created_at": datetime.now(UTC) - timedelta(days=2)}
    )
    assert media.post("/sweep").status_code == 401  # only Cloud Scheduler
    timer = {"X-Helpdesk-Timer-Secret": TIMER_SECRET}
    for _ in range(2):  # hourly, and harmless when repeated
        swept = media.post("/sweep", headers=timer)
        assert swept.status_code == 200
    assert objects(bucket, ticket) == [fresh["object_name"]]  # today's upload stays
    late = media.post(f"/uploads/{started['upload_id']}/complete", headers=link(ticket["id"]))
    assert (late.status_code, late.json["reason"]) == (422, "expired")


def test_concurrent_uploads_cannot_go_past_the_quota_together(media, ticket, monkeypatch):
    """12 at once against a quota of 5 never open more than 5 (a few may be refused that
    would have fitted; later ones then take the rest, and no more)."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("HELPDESK_UPLOADS_PER_TICKET", "5")
    from shared.bootstrap import services

    services.cache_clear()
    media_services.cache_clear()
    start(media, ticket)  # the services are built once, before the burst

    # One client per thread, made before the burst (building apps in several threads at once
    # trips CPython 3.11's AST compiler, which werkzeug uses for its routes).
    clients = [make_client("media") for _ in range(12)]

    def one(client):
        return client.post(
            "/uploads",
            json={"filename": "f.jpg", "content_type": "image/jpeg", "size": 1000},
            headers=link(ticket["id"]),
        ).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(one, clients))
    # Near the limit a burst may refuse some that would have fitted (each sees the others'
    # takes), but never lets more through.
    assert statuses.count(201) <= 4  # with the first: five at most
    assert set(statuses) <= {201, 429}
    opened = 1 + statuses.count(201)
    while start(media, ticket).status_code == 201:
        opened += 1
    assert opened == 5


def test_a_forms_files_are_bounded_and_none_joins_a_closed_ticket(intake, media, db, bucket):
    """A client key cannot announce more than a ticket may receive, and a form's file that
    arrives after the ticket closed is refused, not added to it."""
    huge = incident(
        submission_id="huge-form",
        attachments=[
            {"filename": f"v{n}.mp4", "content_type": "video/mp4", "size": 1024 * 1024 * 1024}
            for n in range(6)
        ],
    )
    refused = post_ticket(intake, huge)
    assert refused.status_code == 400
    assert "attachments" in {d["field"] for d in refused.json["details"]}
    photo = jpeg()
    announced = incident(
        submission_id="late-photo",
        attachments=[{"filename": "painel.jpg", "content_type": "image/jpeg", "size": len(photo)}],
    )
    created = post_ticket(intake, announced).json
    from shared.repositories.firestore import TICKETS

    db.collection(TICKETS).document(created["id"]).update({"status": "closed"})
    upload = created["uploads"][0]
    requests.put(upload["upload_url"], data=photo, timeout=30)
    complete = f"/uploads/{upload['upload_id']}/complete"
    raw = json.dumps({"ticket_id": created["id"]}).encode()
    late = media.post(complete, data=raw, headers=signed_headers(raw, path=complete))
    assert (late.status_code, late.json["reason"]) == (422, "ticket_closed")
    events = FirestoreTickets(db).events(created["id"])
    assert [e.type for e in events] == ["created", "assigned"]
    assert objects(bucket, created) == []
