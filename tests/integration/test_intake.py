"""Intake end to end: functions-framework's test client against the Firestore emulator."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import (
    APPSHEET_KEY,
    appsheet_body,
    appsheet_row,
    incident,
    make_client,
    post_ticket,
    signed_headers,
)


def ticket_count(db) -> int:
    return db.collection("tickets").count().get()[0][0].value


def test_a_signed_incident_opens_a_ticket_with_its_sla(intake, db):
    answer = post_ticket(intake, incident())

    assert answer.status_code == 201, answer.json
    ticket = answer.json
    assert ticket["number"] == "INC-000001"
    assert ticket["status"] == "assigned"
    assert ticket["requester"]["area"] == {"id": "producao", "name": "Produção"}
    assert ticket["requester"]["department"] == {"id": "usinagem", "name": "Usinagem"}
    # CNC-01's own responsible works in the policy's department, so the ticket goes to him.
    assert ticket["responsible"]["email"] == "carlos.mendes@metalvale.com.br"
    assert ticket["responsible"]["department"]["name"] == "Manutenção Mecânica"
    assert ticket["asset"]["tag"] == "CNC-01"
    started = datetime.fromisoformat(ticket["sla"]["clock_started_at"])
    response_due = datetime.fromisoformat(ticket["sla"]["response_due"])
    assert ticket["sla"]["response_due"].endswith("-03:00")
    assert response_due >= started
    stored = db.collection("tickets").document(ticket["id"]).get().to_dict()
    assert stored["number"] == "INC-000001"
    events = FirestoreTickets(db).events(ticket["id"])
    assert [e.type for e in events] == ["created", "assigned"]
    assert events[1].data["responsible"] == "carlos.mendes@metalvale.com.br"
    assert answer.headers["Location"] == f"/tickets/{ticket['id']}"


def test_an_appsheet_key_is_accepted(intake):
    body = json.dumps(incident(source="appsheet")).encode()
    headers = {"Content-Type": "application/json", "X-Helpdesk-Key": APPSHEET_KEY}
    answer = intake.post("/", data=body, headers=headers)
    assert answer.status_code == 201, answer.json


def test_numbers_increase_across_types_with_a_prefix_per_type(intake):
    first = post_ticket(intake, incident(submission_id="a"))
    request = {
        "submission_id": "b",
        "source": "google-forms",
        "type": "request",
        "policy": "req-manutencao-preventiva",
        "title": "Troca de óleo da prensa",
        "requester": {"email": "ana.souza@metalvale.com.br"},
        "fields": {
            "maquina": "PRENSA-01",
            "servico": "Troca de óleo hidráulico",
            "data_preferida": "2026-12-05",
        },
    }
    second = post_ticket(intake, request)
    assert (first.json["number"], second.json["number"]) == ("INC-000001", "REQ-000002")
    # The asset came from the capture field; its responsible is in the policy's department.
    assert second.json["asset"]["tag"] == "PRENSA-01"
    assert second.json["responsible"]["email"] == "rafael.santos@metalvale.com.br"


def test_the_same_submission_twice_gives_the_same_ticket(intake, db):
    first = post_ticket(intake, incident())
    again = post_ticket(intake, incident())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    assert again.json["number"] == first.json["number"]
    assert ticket_count(db) == 1


def test_twenty_identical_submissions_at_once_open_one_ticket(intake, db):
    answers, barrier = [], threading.Barrier(20)
    body = json.dumps(incident()).encode()
    # The apps are built first: CPython 3.11's compiler is not safe for apps built at once.
    clients = [make_client("intake") for _ in range(20)]

    def submit(client):
        barrier.wait()
        answers.append(client.post("/", data=body, headers=signed_headers(body)))

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
    assert len({a.json["number"] for a in answers}) == 1
    assert ticket_count(db) == 1
    ticket_id = answers[0].json["id"]
    assert len(FirestoreTickets(db).events(ticket_id)) == 2


def test_concurrent_different_submissions_get_unique_increasing_numbers(intake, db):
    answers = []
    clients = [make_client("intake") for _ in range(10)]  # built first, as above

    def submit(index):
        answers.append(post_ticket(clients[index], incident(submission_id=f"burst-{index}")))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201] * 10
    assert sorted(a.json["number"] for a in answers) == [f"INC-{n:06d}" for n in range(1, 11)]


def test_every_problem_is_listed_at_once_and_nothing_is_written(intake, db):
    payload = incident(
        policy="inc-linha-parada",
        type="request",
        asset="CNC-99",
        requester={"email": "someone@elsewhere.com"},
        fields={"linha": "usinagem-9", "sintoma": "", "pecas_em_risco": "muitas", "cor": "azul"},
        attachments=[{"filename": "../evil.svg", "content_type": "image/svg+xml", "size": 10}],
    )
    answer = post_ticket(intake, payload)
    assert answer.status_code == 400
    problems = {d["field"]: d["message"] for d in answer.json["details"]}
    assert set(problems) == {
        "type",
        "asset",
        "requester.email",
        "fields.linha",
        "fields.maquina",
        "fields.sintoma",
        "fields.pecas_em_risco",
        "fields.cor",
        "attachments[0].filename",
        "attachments[0].content_type",
    }
    assert "is for incidents" in problems["type"]
    assert "usinagem-1" in problems["fields.linha"]
    assert problems["fields.maquina"] == "is required"
    assert ticket_count(db) == 0


def test_an_unknown_policy_and_malformed_fields_are_named(intake, db):
    payload = incident(policy="nao-existe", title="", requester={"email": "not-an-email"})
    del payload["submission_id"]
    answer = post_ticket(intake, payload)
    assert answer.status_code == 400
    fields = {d["field"] for d in answer.json["details"]}
    assert fields == {"submission_id", "title", "requester.email", "policy"}
    answer = post_ticket(intake, incident(policy="nao-existe"))
    assert answer.json["details"] == [
        {"field": "policy", "message": "unknown SLA policy 'nao-existe'"}
    ]
    assert ticket_count(db) == 0


def test_every_problem_of_the_envelope_and_the_capture_format_at_once(intake, db):
    """A form filled in badly hears of everything to mend in one answer."""
    payload = incident(
        title="   ",
        asset="NAO-EXISTE",
        requester={"email": "lucas@@metalvale"},
        fields={"linha": "linha-9", "maquina": "CNC-01", "pecas_em_risco": -3},
    )
    answer = post_ticket(intake, payload)
    assert answer.status_code == 400
    problems = {d["field"]: d["message"] for d in answer.json["details"]}
    assert set(problems) == {
        "title",
        "asset",
        "requester.email",
        "fields.linha",
        "fields.sintoma",
        "fields.pecas_em_risco",
    }
    assert problems["asset"] == "unknown asset 'NAO-EXISTE'"
    assert problems["fields.linha"].startswith("must be one of: usinagem-1")
    assert problems["fields.sintoma"] == "is required"
    assert problems["fields.pecas_em_risco"] == "must be at least 0"
    assert ticket_count(db) == 0


def test_unauthenticated_requests_are_refused_and_write_nothing(intake, db):
    body = json.dumps(incident()).encode()
    plain = intake.post("/", data=body, headers={"Content-Type": "application/json"})
    forged = intake.post("/", data=body, headers=signed_headers(body, secret="x" * 32))
    stale = intake.post(
        "/", data=body, headers=signed_headers(body, timestamp=int(time.time()) - 400)
    )
    tampered_headers = signed_headers(body)
    tampered = intake.post("/", data=body.replace(b"CNC-01", b"CNC-02"), headers=tampered_headers)
    wrong_key = intake.post(
        "/", data=body, headers={"Content-Type": "application/json", "X-Helpdesk-Key": "y" * 32}
    )
    for answer in (plain, forged, stale, tampered, wrong_key):
        assert answer.status_code == 401, answer.json
        assert answer.json["error"]
    assert "too far from now" in stale.json["error"]
    assert ticket_count(db) == 0


def test_a_recent_form_timestamp_starts_the_clock_and_a_stale_one_does_not(intake):
    recent = (datetime.now(UTC) - timedelta(minutes=3)).replace(microsecond=0)
    stale = datetime.now(UTC) - timedelta(days=2)
    first = post_ticket(intake, incident(submission_id="r", submitted_at=recent.isoformat()))
    second = post_ticket(intake, incident(submission_id="s", submitted_at=stale.isoformat()))
    assert datetime.fromisoformat(first.json["sla"]["clock_started_at"]) == recent
    started = datetime.fromisoformat(second.json["sla"]["clock_started_at"])
    assert abs(started - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_guest_may_use_a_policy_that_accepts_guests(intake):
    payload = {
        "submission_id": "guest-1",
        "source": "api",
        "type": "request",
        "policy": "req-ti-acesso",
        "title": "Acesso ao portal de fornecedores",
        "requester": {"email": "Visitante@Fornecedor.com.br", "name": "Visitante"},
        "fields": {
            "tipo": "acesso",
            "aprovador": "patricia.lima@metalvale.com.br",
            "justificativa": "Auditoria de fornecedor",
        },
    }
    answer = post_ticket(intake, payload)
    assert answer.status_code == 201, answer.json
    assert answer.json["requester"] == {
        "email": "visitante@fornecedor.com.br",
        "name": "Visitante",
        "guest": True,
        "area": None,
        "department": None,
    }


def test_a_client_reads_its_own_tickets_only(intake):
    created = post_ticket(intake, incident()).json
    path = f"/tickets/{created['id']}"
    mine = intake.get(path, headers=signed_headers(b"", method="GET", path=path))
    assert mine.status_code == 200
    assert mine.json["number"] == created["number"]
    theirs = intake.get(path, headers={"X-Helpdesk-Key": APPSHEET_KEY})
    assert theirs.status_code == 404


def test_malformed_bodies_get_a_clear_4xx(intake, db):
    def send(body: bytes, content_type="application/json"):
        headers = signed_headers(body)
        headers["Content-Type"] = content_type
        return intake.post("/", data=body, headers=headers)

    assert send(b"{not json").status_code == 400
    assert send(b"\xff\xfe{}").json["error"] == "the body is not valid UTF-8"
    assert send(b"[" * 100000 + b"]" * 100000).status_code in (400, 413)
    assert send(b"[1, 2]").json["error"] == "the body must be a JSON object"
    assert send(json.dumps(incident()).encode(), "text/plain").status_code == 415
    huge = json.dumps(incident(description="x" * 300_000)).encode()
    assert send(huge).status_code == 413
    put = signed_headers(b"{}", method="PUT")
    assert intake.put("/", data=b"{}", headers=put).status_code == 405
    assert ticket_count(db) == 0


def test_logs_are_json_lines_with_the_ticket_id(intake, capsys):
    headers = {"X-Cloud-Trace-Context": "abc123/1;o=1"}
    body = json.dumps(incident()).encode()
    answer = intake.post("/", data=body, headers={**signed_headers(body), **headers})
    lines = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    created = [line for line in lines if line["message"] == "ticket created"]
    assert created, lines
    assert created[0]["severity"] == "INFO"
    assert created[0]["ticket_id"] == answer.json["id"]
    assert created[0]["logging.googleapis.com/trace"].endswith("/traces/abc123")


def test_the_documented_appsheet_webhook_is_accepted_as_it_is(intake, db):
    """integrations/appsheet/body-template.json, filled as AppSheet fills it (each <<...>>
    replaced by the row's value, escaped for JSON), with the documented headers."""
    row = appsheet_row()
    body = appsheet_body(row)
    headers = {
        "Content-Type": "application/json",
        "X-Helpdesk-Key": APPSHEET_KEY,
        "X-Helpdesk-Client": "appsheet",
    }
    answer = intake.post("/", data=body, headers=headers)
    assert answer.status_code == 201, answer.json
    assert answer.json["fields"]["pecas_em_risco"] == 340
    assert answer.json["asset"]["tag"] == "PRENSA-01"
    assert answer.json["title"] == 'Prensa "PRENSA-01" travada'
    assert intake.post("/", data=body, headers=headers).status_code == 200  # AppSheet retried
    empty_symptom = body.replace("Embreagem não desacopla".encode(), b"")
    another_row = empty_symptom.replace(b"a1b2c3d4", b"a1b2c3d5")
    refused = intake.post("/", data=another_row, headers=headers)
    assert refused.status_code in (400, 422)
    assert "fields.sintoma" in refused.get_data(as_text=True)
