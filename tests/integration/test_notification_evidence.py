"""Evidence in messages: images inline (small enough), videos as expiring signed links."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from google.cloud import storage

from shared.repositories.firestore import EVENTS
from tests.integration.conftest import deliver_event, incident, post_ticket

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000 + b"\xff\xd9"


def test_images_are_inline_and_videos_are_signed_links(notifications, smtp_inbox, intake, db):
    bucket = storage.Client(project=db.project).bucket(os.environ["HELPDESK_EVIDENCE_BUCKET"])
    ticket = post_ticket(intake, incident()).json
    prefix = f"tickets/{ticket['id']}"
    bucket.blob(f"{prefix}/painel.jpg").upload_from_string(JPEG, content_type="image/jpeg")
    bucket.blob(f"{prefix}/video.mp4").upload_from_string(b"\x00" * 4096, content_type="video/mp4")
    evidence = [
        {
            "object_name": f"{prefix}/painel.jpg",
            "filename": "painel.jpg",
            "content_type": "image/jpeg",
            "size": len(JPEG),
        },
        {
            "object_name": f"{prefix}/video.mp4",
            "filename": "ruido-fuso.mp4",
            "content_type": "video/mp4",
            "size": 180 * 1024 * 1024,
        },
    ]
    path = f"{EVENTS}/{ticket['id']}-000003-responded"
    db.document(path).set(
        {
            "seq": 3,
            "type": "responded",
            "at": datetime.now(UTC),
            "actor": "carlos.mendes@metalvale.com.br",
            "ticket_id": ticket["id"],
            "data": {
                "text": "Rolamento do fuso trocado; segue vídeo do teste.",
                "evidence": evidence,
            },
        }
    )
    assert deliver_event(notifications, db, path).status_code == 200

    (message,) = smtp_inbox.to("lucas.oliveira@metalvale.com.br")
    files = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert set(files) == {"painel.jpg"}  # the 180 MB video is never attached
    assert files["painel.jpg"].get_content() == JPEG
    cid = files["painel.jpg"]["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    video_line = next(line for line in text.splitlines() if line.startswith("- ruido-fuso.mp4: "))
    url = urlparse(video_line.split(": ", 1)[1])
    query = parse_qs(url.query)
    assert url.path.endswith("/video.mp4")
    assert query["X-Goog-Algorithm"] == ["GOOG4-RSA-SHA256"]
    assert query["X-Goog-Expires"] == [str(7 * 24 * 3600)]
    assert "X-Goog-Signature" in query


def test_each_message_carries_the_evidence_of_its_own_event(notifications, smtp_inbox, intake, db):
    """The "we need information" and status-request messages once showed the responsible's
    earlier photo as if new and left out the requester's; the "resolved" one said its notes
    twice."""
    from shared.actions import sla, status, work
    from shared.bootstrap import services
    from shared.domain.ticket import Evidence
    from tests.integration.conftest import REQUESTER, RESPONSIBLE, event_paths

    bucket = storage.Client(project=db.project).bucket(os.environ["HELPDESK_EVIDENCE_BUCKET"])
    ticket = post_ticket(intake, incident()).json
    app = services()

    def photo(name: str) -> Evidence:
        object_name = f"tickets/{ticket['id']}/{name}"
        bucket.blob(object_name).upload_from_string(JPEG, content_type="image/jpeg")
        return Evidence(
            object_name=object_name, filename=name, content_type="image/jpeg", size=len(JPEG)
        )

    def act(decide) -> list:
        """Apply, mail the new events, and return the messages they sent."""
        delivered = set(event_paths(db, ticket["id"]))
        app.tickets.apply(ticket["id"], decide, datetime.now(UTC))
        smtp_inbox.messages.clear()
        for path in sorted(set(event_paths(db, ticket["id"])) - delivered):
            assert deliver_event(notifications, db, path).status_code == 200
        return list(smtp_inbox.messages)

    def files(message) -> set[str]:
        return {part.get_filename() for part in message.walk() if part.get_filename()}

    now = datetime.now(UTC)
    (responded,) = act(work.respond(RESPONSIBLE, "Foto do fuso.", [photo("fuso.jpg")], now))
    assert files(responded) == {"fuso.jpg"}
    (waiting,) = act(sla.wait_on_requester(RESPONSIBLE, "Mande a plaqueta.", now))
    assert files(waiting) == set()  # not the earlier photo
    (information,) = act(
        work.add_information(REQUESTER, "Plaqueta.", [photo("plaqueta.jpg")], now, app.directory)
    )
    assert files(information) == {"plaqueta.jpg"}  # the requester's new photo
    rules = app.config.status_request_rules
    calendar = app.directory.calendar("fabrica-3-turnos")
    (asked,) = act(status.request_status(REQUESTER, "Previsão?", now, calendar, rules))
    assert files(asked) == set()
    (resolved,) = act(work.resolve(RESPONSIBLE, "Fuso trocado e testado.", [], now))
    assert resolved.get_body(("plain",)).get_content().count("Fuso trocado e testado.") == 1
