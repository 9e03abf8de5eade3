"""Videos from the shop floor over a signal that drops: resumable uploads in a real browser.

The page's script sends a file to Cloud Storage in chunks through a proxy that cuts the
connection in the middle of a chunk (tools/flaky_proxy.py, in front of the storage emulator);
the file must arrive whole (size and hash), be checked, get its poster frame and duration,
join the action, and play on the responsible's page.
"""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from google.cloud import storage
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.bootstrap import services
from tests.integration.conftest import REQUESTER
from tests.integration.phone import Phone
from tools.flaky_proxy import FlakyProxy
from tools.sample_video import CLIP_SECONDS, padded_video

MB = 1024 * 1024
LABELS = 'form[action$="/{action}"] ul.uploads li span'


@pytest.fixture
def weak_signal(emulator_env, monkeypatch):
    """Every request to Cloud Storage, the browser's and the functions', goes through a proxy
    the test can tell to cut or stall the connection."""
    upstream = int(os.environ["STORAGE_EMULATOR_HOST"].rsplit(":", 1)[1])
    proxy = FlakyProxy(upstream).start()
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{proxy.port}")
    yield proxy
    proxy.stop()


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_labels(phone: Phone, action: str) -> None:
    """Keep every text the upload's line shows (they change faster than a test can read)."""
    phone.page.evaluate(
        """selector => {
            window.__labels = [];
            new MutationObserver(() => document.querySelectorAll(selector).forEach(
                span => window.__labels.push(span.textContent))
            ).observe(document.body, {subtree: true, childList: true, characterData: true});
        }""",
        LABELS.format(action=action),
    )


def stored_evidence(db, ticket_id: str) -> list[dict]:
    found = FieldFilter("ticket_id", "==", ticket_id)
    uploads = db.collection("uploads").where(filter=found).stream()
    return [doc.to_dict()["evidence"] for doc in uploads if doc.to_dict()["state"] == "accepted"]


def assert_arrived_whole(db, ticket_id: str, video) -> dict:
    (evidence,) = stored_evidence(db, ticket_id)
    bucket = storage.Client(project=services().config.project).bucket(
        services().config.evidence_bucket
    )
    stored = bucket.blob(evidence["object_name"]).download_as_bytes()
    assert len(stored) == os.path.getsize(video)
    assert hashlib.sha256(stored).hexdigest() == sha256(video)
    assert evidence["content_type"] == "video/mp4"  # its real type, from its bytes
    assert abs(evidence["duration_seconds"] - CLIP_SECONDS) < 0.1
    poster = bucket.blob(evidence["thumbnail_object"]).download_as_bytes()
    assert poster.startswith(b"\xff\xd8")  # the first frame, as a JPEG
    return evidence


def plays(phone: Phone) -> list[float]:
    """Play the last video of the timeline for a moment: its time, duration and width."""
    return phone.page.evaluate(
        """async () => {
            const videos = document.querySelectorAll("figure.video video");
            const video = videos[videos.length - 1];
            video.muted = true;
            await video.play();
            await new Promise(done => setTimeout(done, 800));
            return [video.currentTime, video.duration, video.videoWidth];
        }"""
    )


def test_a_50_mb_video_arrives_whole_through_two_cuts_and_plays(
    weak_signal, opened, browser, db, smtp_inbox, tmp_path
):
    ticket, links, mail_events, _ = opened
    video = padded_video(tmp_path / "fuso-ruido.mp4", 50 * MB)
    responsible = Phone(browser)
    responsible.open(links["responsible"])
    record_labels(responsible, "respond")
    weak_signal.cut_at(15 * MB, 32 * MB, outage=3)

    assert responsible.attach("respond", [str(video)], timeout=240_000) == ["accepted"]
    assert weak_signal.cut == 2
    labels = responsible.page.evaluate("window.__labels")
    assert any("a conexão caiu em" in label for label in labels)  # said, then carried on
    assert any("faltam" in label for label in labels)  # the time left
    bar = 'form[action$="/respond"] ul.uploads progress'
    assert responsible.page.eval_on_selector(bar, "bar => bar.value") == 100
    # what was sent is not sent again: far less than the file twice crossed the proxy
    assert weak_signal.sent < 1.5 * os.path.getsize(video)

    responsible.fill("respond", "Vídeo do ruído no fuso, gravado ao lado da máquina.")
    assert responsible.submit("respond") == "Resposta enviada ao solicitante."
    assert_arrived_whole(db, ticket["id"], video)
    caption = responsible.page.text_content("figure.video figcaption")
    assert "fuso-ruido.mp4" in caption
    assert "duração 0:02" in caption
    assert responsible.page.get_attribute("figure.video video", "poster")
    current, duration, width = plays(responsible)
    assert current > 0
    assert abs(duration - CLIP_SECONDS) < 0.1
    assert width == 640
    assert responsible.server_errors() == []

    mail_events()  # the requester is told, with the poster and the link to the video
    told = smtp_inbox.to(REQUESTER)[-1]
    html = told.get_body(("html",)).get_content()
    assert "Assistir ao vídeo: fuso-ruido.mp4" in html
    assert "0:02" in html
    posters = [part for part in told.walk() if part.get_content_type() == "image/jpeg"]
    assert posters
    assert posters[0]["Content-ID"].strip("<>") in html


def test_an_upload_goes_on_where_it_stopped_after_the_page_is_reloaded(
    weak_signal, opened, browser, db, tmp_path
):
    ticket, links, _, _ = opened
    video = padded_video(tmp_path / "painel.mp4", 50 * MB)
    requester = Phone(browser)
    requester.open(links["requester"])
    files = 'form[action$="/information"] input[type=file]'
    weak_signal.hang_at(20 * MB)  # the signal dies in the middle of a chunk
    requester.page.set_input_files(files, [str(video)])
    deadline = time.monotonic() + 60
    while weak_signal.sent < 20 * MB:
        assert time.monotonic() < deadline, "the upload did not start"
        time.sleep(0.1)

    requester.page.reload()
    weak_signal.release()
    hint = requester.page.text_content('form[action$="/information"] li.unfinished')
    assert "O envio de painel.mp4 não terminou" in hint
    record_labels(requester, "information")
    before = weak_signal.sent
    assert requester.attach("information", [str(video)], timeout=240_000) == ["accepted"]
    labels = requester.page.evaluate("window.__labels")
    resumed = [label for label in labels if "retomando de onde parou" in label]
    assert resumed
    assert "(0%)" not in resumed[0]
    # only what the session did not hold was sent again
    assert weak_signal.sent - before < os.path.getsize(video) - 8 * MB

    requester.fill("information", "O vídeo do painel, do começo ao fim.")
    assert requester.submit("information") == "Informações enviadas ao responsável."
    assert_arrived_whole(db, ticket["id"], video)
    assert plays(requester)[0] > 0
    assert requester.server_errors() == []


def test_a_600_mb_video_arrives_whole_through_a_cut(weak_signal, opened, browser, db, tmp_path):
    ticket, links, _, _ = opened
    video = padded_video(tmp_path / "turno-completo.mp4", 600 * MB)
    requester = Phone(browser)
    requester.open(links["requester"])
    weak_signal.cut_at(250 * MB, outage=2)
    assert requester.attach("information", [str(video)], timeout=600_000) == ["accepted"]
    assert weak_signal.cut == 1
    assert weak_signal.sent < os.path.getsize(video) + 80 * MB  # at most a chunk sent again
    requester.fill("information", "O turno inteiro filmado.")
    assert requester.submit("information") == "Informações enviadas ao responsável."
    assert_arrived_whole(db, ticket["id"], video)
    assert requester.server_errors() == []


def test_a_file_chosen_twice_goes_once_and_a_removed_one_not_at_all(
    weak_signal, opened, browser, db, tmp_path
):
    ticket, links, _, _ = opened
    video = padded_video(tmp_path / "duas-vezes.mp4", 20 * MB)
    responsible = Phone(browser)
    responsible.open(links["responsible"])
    files = 'form[action$="/respond"] input[type=file]'
    responsible.page.set_input_files(files, [str(video)])
    responsible.page.set_input_files(files, [str(video)])  # the same file again, by mistake
    assert responsible.uploads_settled("respond", 1, timeout=120_000) == ["accepted"]

    other = padded_video(tmp_path / "engano.mp4", 20 * MB)
    before = weak_signal.sent
    weak_signal.hang_at(1 * MB)  # a slow signal: the removal comes in the middle of a chunk
    responsible.page.set_input_files(files, [str(other)])
    responsible.page.locator('form[action$="/respond"] li button.remove').last.click()
    weak_signal.release()
    time.sleep(3)  # what a removed file would have sent by now
    assert weak_signal.sent - before < 2 * MB
    assert len(stored_evidence(db, ticket["id"])) == 1  # only the first file
    responsible.page.reload()
    assert responsible.page.locator("li.unfinished").count() == 0  # nothing left to resume
