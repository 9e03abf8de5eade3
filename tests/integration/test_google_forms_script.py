"""The Google Form's Apps Script, run by Node with stand-ins for the Apps Script services,
against the real intake and media functions served over HTTP (signatures, uploads, retries)."""

from __future__ import annotations

import base64
import json
import os
import subprocess

import pytest

from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import FORMS_SECRET
from tests.unit.media.test_checks import jpeg
from tools.dev import function_command
from tools.google_form import form_plan
from tools.stack import ROOT, free_port, start_server

HARNESS = ROOT / "tests" / "integration" / "apps_script" / "harness.js"
POLICY_ID = "inc-linha-parada"


@pytest.fixture
def functions_over_http(function_env, demo_org):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HELPDESK_LOG_LEVEL": "WARNING"}
    env["HELPDESK_ACCEPT_V1_SIGNATURES"] = "false"  # the script signs method, path and client
    started, urls = [], {}
    for name in ("intake", "media"):
        process, port = start_server(lambda port, n=name: function_command(n, port), env, ROOT)
        started.append(process)
        urls[name] = f"http://127.0.0.1:{port}/"
    yield urls
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def scenario(demo_org, urls, response_id="ACYDBNj-response-1", **overrides) -> dict:
    policy = next(p for p in demo_org.policies if p.id == POLICY_ID)
    _, _, mapping = form_plan(policy, demo_org.assets, "pt-BR")
    cnc = next(
        label
        for label, tag in mapping["fields"]["Máquina parada"]["choices"].items()
        if tag == "CNC-01"
    )
    return {
        "properties": {
            "HELPDESK_INTAKE_URL": urls["intake"],
            "HELPDESK_MEDIA_URL": urls["media"],
            "HELPDESK_SECRET": FORMS_SECRET,
            "HELPDESK_MAPPING": json.dumps(mapping, ensure_ascii=False),
        },
        "response": {
            "id": response_id,
            "email": "lucas.oliveira@metalvale.com.br",
            "timestamp": "2026-11-27T13:05:00Z",
            "answers": [
                {"title": "Título do chamado", "response": "CNC-01 parou — alarme 2001"},
                {"title": "Descreva o que aconteceu", "response": "Ruído metálico e parada."},
                {"title": "Linha de produção", "response": "Usinagem 1"},
                {"title": "Máquina parada", "response": cnc},
                {"title": "Sintoma observado", "response": "Alarme 2001 no fuso"},
                {"title": "Peças em risco no pedido", "response": "120"},
                {"title": mapping["evidence_item"], "response": ["drive-file-1"]},
            ],
        },
        "files": {
            "drive-file-1": {
                "name": "painel.jpg",
                "mimeType": "image/jpeg",
                "base64": base64.b64encode(jpeg()).decode(),
            }
        },
        **overrides,
    }


def run(tmp_path, data: dict) -> dict:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    found = subprocess.run(
        ["node", str(HARNESS), str(path)], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(found.stdout)


def test_a_form_response_becomes_a_ticket_with_its_photo(
    functions_over_http, demo_org, db, tmp_path
):
    result = run(tmp_path, scenario(demo_org, functions_over_http))
    assert result["error"] is None, result
    methods = [(call["method"], call["status"]) for call in result["calls"]]
    assert methods == [("POST", 201), ("PUT", 200), ("POST", 200)]  # ticket, bytes, check
    tickets = FirestoreTickets(db)
    (ticket,) = [tickets.get(doc.id) for doc in db.collection("tickets").stream()]
    assert ticket.title == "CNC-01 parou — alarme 2001"
    assert ticket.fields == {
        "linha": "usinagem-1",
        "maquina": "CNC-01",
        "sintoma": "Alarme 2001 no fuso",
        "pecas_em_risco": 120,
    }
    assert ticket.asset.tag == "CNC-01"
    assert ticket.requester.email == "lucas.oliveira@metalvale.com.br"
    assert ticket.attachments[0].status == "uploaded"
    assert not [key for key in result["properties"] if key.startswith("pending:")]
    # the same response sent again (a trigger retried): the same ticket, nothing uploaded twice
    again = run(tmp_path, scenario(demo_org, functions_over_http))
    assert [(c["method"], c["status"]) for c in again["calls"]] == [("POST", 200)]
    assert len(list(db.collection("tickets").stream())) == 1


def test_a_response_sent_while_the_help_desk_is_down_is_sent_later(
    functions_over_http, demo_org, db, tmp_path
):
    down = {**functions_over_http, "intake": f"http://127.0.0.1:{free_port()}/"}
    first = run(tmp_path, scenario(demo_org, down))
    assert first["error"]  # the trigger fails visibly (Apps Script e-mails the owner)
    pending = [key for key in first["properties"] if key.startswith("pending:")]
    assert pending == ["pending:ACYDBNj-response-1"]
    later = scenario(demo_org, functions_over_http, run="retryPending")
    later["properties"] |= {key: first["properties"][key] for key in pending}
    retried = run(tmp_path, later)
    assert retried["error"] is None, retried
    assert not [key for key in retried["properties"] if key.startswith("pending:")]
    assert len(list(db.collection("tickets").stream())) == 1


def test_a_refused_response_names_the_field(functions_over_http, demo_org, tmp_path):
    data = scenario(demo_org, functions_over_http)
    data["response"]["answers"] = [
        answer for answer in data["response"]["answers"] if answer["title"] != "Sintoma observado"
    ]
    result = run(tmp_path, data)
    assert "422" in result["error"] or "400" in result["error"]
    assert "sintoma" in result["error"]


def video_scenario(demo_org, urls, tmp_path, **overrides) -> tuple[dict, object]:
    """A response whose file-upload answer is a 100 MB video filmed on a phone."""
    from tools.sample_video import padded_video

    video = padded_video(tmp_path / "linha-parada.mp4", 100 * 1024 * 1024)
    data = scenario(demo_org, urls, **overrides)
    data["files"] = {
        "drive-file-1": {"name": "linha-parada.mp4", "mimeType": "video/mp4", "path": str(video)}
    }
    return data, video


def arrived(db, video) -> dict:
    import hashlib

    from google.cloud import storage

    from shared.bootstrap import services

    (ticket,) = [FirestoreTickets(db).get(doc.id) for doc in db.collection("tickets").stream()]
    assert ticket.attachments[0].status == "uploaded"
    (upload,) = [doc.to_dict() for doc in db.collection("uploads").stream()]
    evidence = upload["evidence"]
    config = services().config
    blob = storage.Client(project=config.project).bucket(config.evidence_bucket)
    stored = blob.blob(evidence["object_name"]).download_as_bytes()
    assert hashlib.sha256(stored).digest() == hashlib.sha256(video.read_bytes()).digest()
    assert evidence["content_type"] == "video/mp4"
    assert evidence["duration_seconds"] is not None
    return evidence


def test_a_100_mb_video_from_the_form_goes_in_chunks_under_apps_script_limits(
    functions_over_http, demo_org, db, tmp_path
):
    data, video = video_scenario(demo_org, functions_over_http, tmp_path)
    result = run(tmp_path, data)  # the harness throws as Apps Script does past 50 MB
    assert result["error"] is None, result
    puts = [call for call in result["calls"] if call["method"] == "PUT"]
    reads = [call for call in result["calls"] if "googleapis.com/drive" in call["url"]]
    assert [call["status"] for call in reads] == [206] * 4  # four ranges of at most 32 MB
    assert [call["status"] for call in puts] == [308, 308, 308, 308, 200]  # asked, then sent
    assert sum(call["bytes"] for call in puts) == video.stat().st_size
    assert max(call["bytes"] for call in result["calls"]) <= 32 * 1024 * 1024
    arrived(db, video)


def test_a_run_stopped_by_the_time_limit_goes_on_where_it_stopped(
    functions_over_http, demo_org, db, tmp_path
):
    data, video = video_scenario(demo_org, functions_over_http, tmp_path, stopAfterChunks=2)
    first = run(tmp_path, data)
    assert first["error"] == "Exceeded maximum execution time"
    pending = [key for key in first["properties"] if key.startswith("pending:")]
    later = {**data, "run": "retryPending", "stopAfterChunks": None}  # the same file, later
    later["properties"] = data["properties"] | {key: first["properties"][key] for key in pending}
    retried = run(tmp_path, later)
    assert retried["error"] is None, retried
    sent = [call["bytes"] for call in retried["calls"] if call["method"] == "PUT"]
    assert sum(sent) == video.stat().st_size - 2 * 32 * 1024 * 1024  # only what was missing
    assert len(list(db.collection("tickets").stream())) == 1
    arrived(db, video)
