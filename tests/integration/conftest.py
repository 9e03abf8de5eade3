"""Fixtures for driving the functions through functions-framework's test client."""

from __future__ import annotations

import json
import time
from pathlib import Path

import functions_framework
import pytest

from shared.bootstrap import services
from shared.intake.auth import sign
from shared.orgconfig import read_organisation
from shared.orgconfig.load import load_organisation

ROOT = Path(__file__).resolve().parents[2]
FORMS_SECRET = "forms-secret-for-tests-0123456789"
APPSHEET_KEY = "appsheet-key-for-tests-0123456789"
INTAKE_CLIENTS = {
    "google-forms": {"auth": "hmac", "secrets": [FORMS_SECRET]},
    "appsheet": {"auth": "key", "secrets": [APPSHEET_KEY]},
}


@pytest.fixture
def demo_org(db):
    organisation = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    load_organisation(db, organisation)
    return organisation


@pytest.fixture
def function_env(emulator_env, monkeypatch):
    monkeypatch.setenv("HELPDESK_INTAKE_CLIENTS", json.dumps(INTAKE_CLIENTS))
    services.cache_clear()
    yield
    services.cache_clear()


def make_client(target: str):
    app = functions_framework.create_app(target, str(ROOT / "functions" / f"{target}.py"))
    return app.test_client()


@pytest.fixture
def intake(function_env, demo_org):
    return make_client("intake")


def signed_headers(body: bytes, secret: str = FORMS_SECRET, timestamp: int | None = None) -> dict:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {"Content-Type": "application/json", "X-Helpdesk-Signature": sign(secret, body, stamp)}


def post_ticket(client, payload: dict, **signing):
    body = json.dumps(payload).encode()
    return client.post("/", data=body, headers=signed_headers(body, **signing))


def incident(**overrides) -> dict:
    payload = {
        "submission_id": "form-response-0001",
        "source": "google-forms",
        "type": "incident",
        "policy": "inc-linha-parada",
        "title": "CNC-01 parou com alarme de spindle",
        "description": "Alarme 2001 no fuso; a linha Usinagem 1 está parada.",
        "requester": {"email": "lucas.oliveira@metalvale.com.br"},
        "asset": "CNC-01",
        "fields": {"linha": "usinagem-1", "maquina": "CNC-01", "sintoma": "Alarme 2001 no fuso"},
    }
    payload.update(overrides)
    return payload
