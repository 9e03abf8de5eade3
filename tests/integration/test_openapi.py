"""docs/openapi.yaml against the functions themselves: every route the functions declare is
documented, the intake contract is the code's own, and real answers of every documented
operation (successes and refusals) match their documented status, content type and schema
(checked by schemathesis)."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

from shared.intake.auth import sign
from shared.intake.schema import Submission
from shared.links import LinkSigner
from tests.integration.api_front import CHECKS, DOC, HTTP_FUNCTIONS, MANAGER_KEY
from tests.integration.conftest import FORMS_SECRET, TIMER_SECRET, incident
from tools.stack import ROOT


def declared_routes() -> set[tuple[str, str]]:
    """The routes each function's docstring declares, as (method, /function/path)."""
    found = set()
    for name in HTTP_FUNCTIONS:
        text = (ROOT / "functions" / f"{name}.py").read_text(encoding="utf-8")
        docstring = text.split('"""')[1]
        for method, path in re.findall(r"^(GET|POST|PUT)\s+(/\S*)", docstring, re.MULTILINE):
            path = re.sub(r"<[^>]+>", "X", path.split("?")[0]).rstrip("/")
            found.add((method, f"/{name}{path}"))
    return found


def documented(method: str, path: str) -> bool:
    for template, operations in DOC["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return True
    return False


def test_the_document_passes_the_reference_validator():
    """Viewers and client generators refuse a document the reference validator refuses (an
    unquoted comma in a flow mapping once cut five descriptions short)."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename

    spec, _ = read_from_filename(str(ROOT / "docs" / "openapi.yaml"))
    validate(spec)
    tags = {tag["name"]: tag["description"] for tag in spec["tags"]}
    assert tags["intake"] == "Tickets from the Google Form, AppSheet or any API client"


def test_every_declared_route_is_documented():
    routes = declared_routes()
    assert len(routes) >= 15
    missing = sorted(route for route in routes if not documented(*route))
    assert missing == []


def test_the_intake_contract_is_the_codes_own():
    model = Submission.model_json_schema()
    schema = DOC["components"]["schemas"]["Submission"]
    assert set(schema["properties"]) == set(model["properties"])
    assert set(schema["required"]) == set(model["required"])
    assert schema["additionalProperties"] is False


def signed(body: bytes, method: str = "POST", path: str = "/intake") -> dict[str, str]:
    """Signed as the client would sign it: the path is the one the function receives."""
    inner = "/" + path.split("/", 2)[2] if path.count("/") > 1 else "/"
    return {
        "Content-Type": "application/json",
        "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time()), method, inner),
    }


def conforms(schema, method: str, template: str, response, **case) -> None:
    operation = schema[template][method]
    operation.Case(**case).validate_response(response, checks=CHECKS)


def test_every_operation_answers_as_documented(api):
    client, schema = api
    manager = {"X-Helpdesk-Key": MANAGER_KEY}
    seen: set[tuple[str, str]] = set()

    def call(method, template, path, expected, **kwargs):
        response = client.open(path, method=method, **kwargs)
        assert response.status_code == expected, (method, path, response.get_data(as_text=True))
        conforms(schema, method, template, response)
        seen.add((template, method))
        return response

    body = json.dumps(incident(submission_id="openapi-1")).encode()
    ticket = call("POST", "/intake", "/intake", 201, data=body, headers=signed(body)).json
    call("POST", "/intake", "/intake", 200, data=body, headers=signed(body))
    call("POST", "/intake", "/intake", 401, data=body, headers={"Content-Type": "application/json"})
    bad = json.dumps(incident(submission_id="openapi-2", policy="nope")).encode()
    call(
        "POST",
        "/intake/tickets",
        "/intake/tickets",
        400,
        data=bad,
        headers=signed(bad, path="/intake/tickets"),
    )
    call(
        "POST",
        "/intake",
        "/intake",
        415,
        data=body,
        headers={**signed(body), "Content-Type": "text/plain"},
    )
    path = f"/intake/tickets/{ticket['id']}"
    call("GET", "/intake/tickets/{ticket_id}", path, 200, headers=signed(b"", "GET", path))
    nope = "/intake/tickets/nope"
    call("GET", "/intake/tickets/{ticket_id}", nope, 404, headers=signed(b"", "GET", nope))

    start = json.dumps(
        {
            "filename": "foto.jpg",
            "content_type": "image/jpeg",
            "size": 1000,
            "ticket_id": ticket["id"],
        }
    ).encode()
    upload = call(
        "POST",
        "/media/uploads",
        "/media/uploads",
        201,
        data=start,
        headers=signed(start, path="/media/uploads"),
    ).json
    done = json.dumps({"ticket_id": ticket["id"]}).encode()
    complete = f"/media/uploads/{upload['upload_id']}/complete"
    call(
        "POST",
        "/media/uploads/{upload_id}/complete",
        complete,
        400,
        data=done,
        headers=signed(done, path=complete),
    )
    call("OPTIONS", "/media/uploads", "/media/uploads", 204)
    call("POST", "/media/sweep", "/media/sweep", 401)
    call(
        "POST",
        "/media/drive",
        "/media/drive",
        200,  # a ticket of the form: no Drive photos to fetch
        data=done,
        headers={"X-Helpdesk-Timer-Secret": TIMER_SECRET, "Content-Type": "application/json"},
    )
    call(
        "POST",
        "/media/sweep",
        "/media/sweep",
        200,
        headers={"X-Helpdesk-Timer-Secret": TIMER_SECRET},
    )
    call("POST", "/reports/rollups/fold", "/reports/rollups/fold", 401)
    call(
        "POST",
        "/reports/rollups/fold",
        "/reports/rollups/fold",
        200,
        headers={"X-Helpdesk-Timer-Secret": TIMER_SECRET},
    )

    from shared.bootstrap import services

    links = LinkSigner(services().config.link_secret or "", "http://pages", timedelta(days=1))
    link = links.token(ticket["id"], "lucas.oliveira@metalvale.com.br", "requester")
    call("GET", "/pages/t/{link}", f"/pages/t/{link}", 200)
    call("GET", "/pages/t/{link}", "/pages/t/forged", 403)
    call("POST", "/pages/t/{link}/{action}", f"/pages/t/{link}/confirm", 403, data={"text": "x"})
    call("GET", "/pages/assets/upload.js", "/pages/assets/upload.js", 200)

    timer = json.dumps(
        {
            "ticket_id": ticket["id"],
            "milestone": "response-breach",
            "version": 1,
            "due": ticket["sla"]["response_due"],
        }
    ).encode()
    secret = {"X-Helpdesk-Timer-Secret": TIMER_SECRET, "Content-Type": "application/json"}
    call("POST", "/sla_timer", "/sla_timer", 200, data=timer, headers=secret)
    call(
        "POST",
        "/sla_timer",
        "/sla_timer",
        401,
        data=timer,
        headers={"Content-Type": "application/json"},
    )

    call("GET", "/out_of_sla", "/out_of_sla", 200, headers=manager)
    call("GET", "/out_of_sla", "/out_of_sla?format=csv", 200, headers=manager)
    call("GET", "/out_of_sla", "/out_of_sla?from=yesterday", 400, headers=manager)
    call("GET", "/assets/assets", "/assets/assets", 200, headers=manager)
    call("GET", "/assets/assets/{tag}", "/assets/assets/CNC-01", 200, headers=manager)
    asset = client.get("/assets/assets/CNC-01", headers=manager).json
    saved = json.dumps({k: v for k, v in asset.items() if k != "tag"}).encode()
    call(
        "PUT",
        "/assets/assets/{tag}",
        "/assets/assets/CNC-01",
        200,
        data=saved,
        headers={**manager, "Content-Type": "application/json"},
    )
    call("GET", "/assets/assets/{tag}", "/assets/assets/NOPE-9", 404, headers=manager)
    call(
        "GET", "/assets/assets/{tag}/history", "/assets/assets/CNC-01/history", 200, headers=manager
    )
    call(
        "GET", "/assets/assets/{tag}/figures", "/assets/assets/CNC-01/figures", 200, headers=manager
    )
    call("GET", "/assets/costs", "/assets/costs?group=department", 200, headers=manager)
    call("GET", "/assets/costs", "/assets/costs?group=planet", 400, headers=manager)

    call("GET", "/reports/sla", "/reports/sla?format=json", 200, headers=manager)
    call("GET", "/reports/sla", "/reports/sla", 200, headers=manager)
    call("GET", "/reports/sla", "/reports/sla?from=2026-01-01&to=2026-11-27", 202, headers=manager)
    call("GET", "/reports/sla", "/reports/sla", 401)
    call(
        "POST",
        "/reports/jobs",
        "/reports/jobs",
        401,
        data=b"{}",
        headers={"Content-Type": "application/json"},
    )

    every = {
        (template, method.upper())
        for template, ops in DOC["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "options")
    }
    assert every - seen == set()  # each documented operation was called at least once
