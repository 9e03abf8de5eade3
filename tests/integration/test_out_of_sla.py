"""Tickets outside the agreed time, for managers: who is listed, filters, CSV, authentication."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shared.auth.managers import authenticate_manager, key_digest
from shared.errors import Forbidden, Unauthorized
from shared.repositories.directory import StaticDirectory
from tests.integration.conftest import incident, make_client, post_ticket

MANAGER_KEY = "manager-key-ricardo-0123456789"
REQUESTER_KEY = "not-a-manager-lucas-0123456789"


@pytest.fixture
def listing(intake, monkeypatch):
    keys = {
        key_digest(MANAGER_KEY): "ricardo.almeida@metalvale.com.br",
        key_digest(REQUESTER_KEY): "lucas.oliveira@metalvale.com.br",
    }
    monkeypatch.setenv("HELPDESK_MANAGER_KEYS", json.dumps(keys))
    return make_client("out_of_sla")


def open_with(intake, db, submission_id, flag, status="assigned", **overrides):
    ticket = post_ticket(intake, incident(submission_id=submission_id, **overrides)).json
    db.collection("tickets").document(ticket["id"]).update({"sla_flag": flag, "status": status})
    return ticket["number"]


def preventive(**fields):
    return {
        "type": "request",
        "policy": "req-manutencao-preventiva",
        "asset": None,
        "title": '=HYPERLINK("http://x")',
        "fields": {"maquina": "PRENSA-01", "servico": "Lubrificação", **fields},
    }


@pytest.fixture
def tickets(intake, db):
    return {
        "open_breached": open_with(intake, db, "a", "breached"),
        "closed_breached": open_with(intake, db, "b", "breached", "closed"),
        "open_at_risk": open_with(intake, db, "c", "at_risk", **preventive()),
        "closed_at_risk": open_with(intake, db, "d", "at_risk", "closed"),
        "on_time": open_with(intake, db, "e", "on_time"),
    }


def get(client, key=MANAGER_KEY, **args):
    return client.get("/", query_string=args, headers={"X-Helpdesk-Key": key} if key else {})


def numbers(answer) -> set[str]:
    return {row["number"] for row in answer.json["tickets"]}


def test_breached_tickets_and_open_ones_at_risk_are_listed(listing, tickets):
    answer = get(listing)
    assert answer.status_code == 200, answer.json
    assert numbers(answer) == {
        tickets["open_breached"],
        tickets["closed_breached"],
        tickets["open_at_risk"],
    }
    row = next(r for r in answer.json["tickets"] if r["number"] == tickets["open_breached"])
    assert row["requester_department"] == "Usinagem"
    assert row["responsible_department"] == "Manutenção Mecânica"
    assert row["response_due"].endswith("-03:00")


def test_filters_narrow_the_list(listing, tickets):
    assert numbers(get(listing, priority="critical")) == {
        tickets["open_breached"],
        tickets["closed_breached"],
    }
    assert numbers(get(listing, type="request")) == {tickets["open_at_risk"]}
    assert numbers(get(listing, asset="PRENSA-01")) == {tickets["open_at_risk"]}
    assert numbers(get(listing, department="usinagem", policy="inc-linha-parada")) == {
        tickets["open_breached"],
        tickets["closed_breached"],
    }
    assert numbers(get(listing, area="ti")) == set()
    assert numbers(get(listing, **{"from": "2020-01-01", "to": "2020-01-31"})) == set()


def test_bad_filters_are_named(listing, tickets):
    answer = get(listing, **{"from": "ontem", "colour": "red", "format": "pdf"})
    assert answer.status_code == 400
    assert {d["field"] for d in answer.json["details"]} == {"from", "colour", "format"}


def test_csv_for_spreadsheets(listing, tickets):
    answer = get(listing, format="csv")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")
    # The manager reads pt-BR: a Brazilian spreadsheet's ";" and times to the second.
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert all(len(r["created_at"]) == len("2026-11-03 09:15:00") for r in rows)
    assert {r["number"] for r in rows} == {
        tickets["open_breached"],
        tickets["closed_breached"],
        tickets["open_at_risk"],
    }
    english = get(listing, format="csv", lang="en").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(english.removeprefix("\ufeff"))))) == len(rows)
    assert get(listing, format="csv", lang="fr").status_code == 400
    risky = next(r for r in rows if r["number"] == tickets["open_at_risk"])
    assert risky["title"] == '\'=HYPERLINK("http://x")'  # not a formula in the spreadsheet


def test_only_managers_may_read_it(listing, tickets):
    assert get(listing, key=None).status_code == 401
    assert get(listing, key="wrong-key-0123456789").status_code == 401
    refused = get(listing, key=REQUESTER_KEY)
    assert refused.status_code == 403
    assert "not a manager" in refused.json["error"]
    assert listing.post("/", headers={"X-Helpdesk-Key": MANAGER_KEY}).status_code == 405


def test_google_id_tokens_of_managers(demo_org):
    directory = StaticDirectory(demo_org)

    def verify(claims):
        return lambda token, audience: claims

    bearer = {"Authorization": "Bearer t"}
    manager = {"email": "Helena.Prado@metalvale.com.br", "email_verified": True}
    assert (
        authenticate_manager(bearer, directory, {}, "aud", verify(manager)).name == "Helena Prado"
    )
    with pytest.raises(Forbidden):
        authenticate_manager(
            bearer, directory, {}, "aud", verify({**manager, "email_verified": False})
        )
    requester = {"email": "lucas.oliveira@metalvale.com.br", "email_verified": True}
    with pytest.raises(Forbidden):
        authenticate_manager(bearer, directory, {}, "aud", verify(requester))
    with pytest.raises(Unauthorized):
        authenticate_manager(bearer, directory, {}, None, verify(manager))
