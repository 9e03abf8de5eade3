"""Generated requests against every documented operation (schemathesis, from docs/openapi.yaml):
valid ones and deliberately invalid ones, signed or keyed like a real client so that they
reach past authentication. No answer may be a 5xx, and every answer must match the document
(status, content type, schema)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.integration.api_front import CHECKS, DOC, credentials

EXAMPLES = 40  # per operation and mode: at most 18 x 2 x 40 = 1,440 cases
OPERATIONS = [
    (path, method.upper())
    for path, operations in DOC["paths"].items()
    for method in operations
    if method in ("get", "post", "put")
]


def test_generated_requests_get_documented_answers_and_never_a_5xx(api):
    """One test for every operation, so that the cases can be counted (at least 1,000)."""
    _, schema = api
    schema.app = credentials(schema.app)
    cases: dict[str, int] = {}
    for path, method in OPERATIONS:
        operation = schema[path][method]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                label = f"{case.method} {case.operation.path}"
                cases[label] = cases.get(label, 0) + 1
                response = case.call()
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as failure:
                    raise AssertionError(
                        f"{case.method} {case.formatted_path} {json.dumps(case.query)} -> "
                        f"{response.status_code} {response.text[:300]}"
                    ) from failure

            try:
                check()
            except Unsatisfiable:
                # Nothing invalid can be expressed for this operation's inputs (a free-form
                # path parameter and no body): only valid requests were generated.
                assert mode is GenerationMode.NEGATIVE
    assert set(cases) == {f"{method} {path}" for path, method in OPERATIONS}
    assert sum(cases.values()) >= 1000, cases


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "POST",
            "/sla_timer",
            {"ticket_id": "", "milestone": "x", "version": 1, "due": "2026-11-27T10:00:00+00:00"},
        ),
        (
            "POST",
            "/sla_timer",
            {
                "ticket_id": "a/b",
                "milestone": "x",
                "version": 1,
                "due": "2026-11-27T10:00:00+00:00",
            },
        ),
        ("POST", "/media/uploads", {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}),
        ("POST", "/media/uploads/%2C/complete", {}),
        ("POST", "/media/uploads/__x__/complete", {"ticket_id": "__x__"}),
        ("POST", "/reports/jobs", {"job": "", "manager": "a/b", "locale": "es", "args": {}}),
    ],
)
def test_ids_that_cannot_name_a_document_are_refused_not_crashed(api, method, path, body):
    """Found by the fuzzing: these once reached Firestore as invalid paths and answered 500."""
    client, _ = api
    app = credentials(client.application)
    from werkzeug.test import Client

    answer = Client(app).open(path, method=method, json=body)
    assert 400 <= answer.status_code < 500, answer.get_data(as_text=True)
