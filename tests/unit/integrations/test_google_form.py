"""The Google Form builder, against the Forms API's real discovery document (googleapiclient's
HTTP mocks stand in for Google; every request body is checked against the API's schemas)."""

from __future__ import annotations

import json
from pathlib import Path

import googleapiclient
import pytest
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

from shared.orgconfig import read_organisation
from tools.google_form import form_plan, sync_form

ROOT = Path(__file__).resolve().parents[3]
ORG = read_organisation(ROOT / "config" / "demo-organisation.yaml")
POLICY = next(p for p in ORG.policies if p.id == "inc-linha-parada")
DISCOVERY = json.loads(
    (
        Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "forms.v1.json"
    ).read_text(encoding="utf-8")
)


class RecordingHttp(HttpMockSequence):
    """googleapiclient's scripted HTTP mock, keeping what was sent."""

    def __init__(self, responses):
        super().__init__([({"status": "200"}, json.dumps(body)) for body in responses])
        self.sent: list[tuple[str, str, dict | None]] = []

    def request(self, uri, method="GET", body=None, headers=None, **kwargs):
        self.sent.append((method, uri, json.loads(body) if body else None))
        return super().request(uri, method, body, headers, **kwargs)


def conforms(value, schema: dict, path: str = "$") -> None:
    """Every key sent exists in the discovery document's schema, every enum value is allowed."""
    if "$ref" in schema:
        schema = DISCOVERY["schemas"][schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        assert isinstance(value, dict), path
        for key, item in value.items():
            assert key in schema["properties"], f"{path}.{key} is not in the Forms API"
            conforms(item, schema["properties"][key], f"{path}.{key}")
    elif kind == "array":
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            conforms(item, schema["items"], f"{path}[{index}]")
    elif "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r}"


def request_schema(method: str, uri: str) -> dict | None:
    resource = DISCOVERY["resources"]["forms"]["methods"]
    name = "batchUpdate" if uri.split("?")[0].endswith(":batchUpdate") else None
    if name is None and method == "POST":
        name = "create"
    return resource[name]["request"] if name else None


def service(http):
    return build("forms", "v1", http=http, static_discovery=True)


def test_a_new_form_asks_for_every_field_of_the_capture_format():
    http = RecordingHttp([{"formId": "form-1", "info": {"title": "x"}}, {"replies": []}])
    form_id, mapping = sync_form(service(http), POLICY, ORG.assets, "pt-BR", None)
    assert form_id == "form-1"
    (create_method, create_uri, _), (_, uri, update) = http.sent
    assert create_method == "POST"
    assert create_uri.split("?")[0].endswith("/v1/forms")
    assert uri.split("?")[0].endswith("/v1/forms/form-1:batchUpdate")
    for sent_method, sent_uri, body in http.sent:
        conforms(body, request_schema(sent_method, sent_uri))
    titles = [r["createItem"]["item"]["title"] for r in update["requests"] if "createItem" in r]
    labels = [field.label.get("pt-BR") for field in POLICY.capture_format]
    assert titles == ["Título do chamado", "Descreva o que aconteceu", *labels]
    settings = next(r["updateSettings"] for r in update["requests"] if "updateSettings" in r)
    assert settings["settings"]["emailCollectionType"] == "VERIFIED"  # the requester is known
    assert mapping["policy"] == "inc-linha-parada"
    assert mapping["fields"]["Linha de produção"]["choices"]["Usinagem 1"] == "usinagem-1"
    assert mapping["fields"]["Máquina parada"]["choices"]["CNC-01 — " + _asset("CNC-01")] == (
        "CNC-01"
    )


def test_updating_a_form_replaces_its_questions_from_the_end():
    current = {"formId": "form-2", "items": [{"itemId": str(i)} for i in range(3)]}
    http = RecordingHttp([current, {"replies": []}])
    sync_form(service(http), POLICY, ORG.assets, "es", "form-2")
    (get_method, get_uri, _), (_, _, update) = http.sent
    assert get_method == "GET"
    assert get_uri.split("?")[0].endswith("/v1/forms/form-2")
    deletions = [
        r["deleteItem"]["location"]["index"] for r in update["requests"] if "deleteItem" in r
    ]
    assert deletions == [2, 1, 0]
    conforms(update, request_schema("POST", "x:batchUpdate"))
    titles = [r["createItem"]["item"]["title"] for r in update["requests"] if "createItem" in r]
    assert "Línea de producción" in titles  # the form in the requester's language


def test_the_schema_check_catches_a_misspelt_request():
    with pytest.raises(AssertionError, match="choiceQuestions"):
        conforms(
            {
                "requests": [
                    {
                        "createItem": {
                            "item": {"questionItem": {"question": {"choiceQuestions": {}}}}
                        }
                    }
                ]
            },
            request_schema("POST", "x:batchUpdate"),
        )


def test_the_plan_names_every_field_once():
    _, items, mapping = form_plan(POLICY, ORG.assets, "en")
    assert sorted(m["field"] for m in mapping["fields"].values()) == sorted(
        f.name for f in POLICY.capture_format
    )
    assert len({item["title"] for item in items}) == len(items)


def _asset(tag: str) -> str:
    return next(asset.name for asset in ORG.assets if asset.tag == tag)
