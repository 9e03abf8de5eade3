"""Hostile bodies against every endpoint that reads one: too large (declared or streamed),
nested ten thousand deep, not UTF-8, huge strings. Each gets a 4xx naming the problem, and
nothing is written."""

from __future__ import annotations

import json

import pytest
from werkzeug.test import Client, EnvironBuilder, run_wsgi_app

from tests.integration.api_front import credentials

BODY_ENDPOINTS = [
    ("POST", "/intake"),
    ("POST", "/media/uploads"),
    ("POST", "/media/uploads/x-a0/complete"),
    ("POST", "/sla_timer"),
    ("PUT", "/assets/assets/CNC-99"),
    ("POST", "/reports/jobs"),
]
HOSTILE = {
    "nested": b"[" * 10_000 + b"]" * 10_000,
    "not utf-8": b'{"title": "\xff\xfe\xfa"}',
    "not json": b"{'title': 'single quotes'",
    "a list": b"[1, 2, 3]",
}


def documents(db) -> int:
    return sum(
        len(list(db.collection(name).stream()))
        for name in ("tickets", "ticket_events", "uploads", "report_jobs", "rollup_days")
    )


@pytest.fixture
def front(api, db):
    client, _ = api
    return Client(credentials(client.application)), db


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_malformed_bodies_are_refused_with_a_4xx(front, method, path, kind):
    client, db = front
    before = documents(db)
    answer = client.open(
        path, method=method, data=HOSTILE[kind], headers={"Content-Type": "application/json"}
    )
    assert 400 <= answer.status_code < 500, (kind, answer.get_data(as_text=True)[:300])
    assert answer.mimetype == "application/json"
    assert documents(db) == before


def send(client: Client, method: str, path: str, stream, headers: dict[str, str]):
    """A request whose body is a stream of our own (werkzeug's builder would buffer it)."""
    environ = EnvironBuilder(path=path, method=method, headers=headers).get_environ()
    environ["wsgi.input"] = stream
    if "Content-Length" in headers:
        environ["CONTENT_LENGTH"] = headers["Content-Length"]
    else:  # chunked: the server says where the body ends
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True
    body, status, _ = run_wsgi_app(client.application, environ, buffered=True)
    return int(status.split()[0]), json.loads(b"".join(body))


class Zeros:
    """A large body made on demand (functions-framework drains the body after the answer)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        self.left -= size
        return b"0" * size

    readline = read


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
def test_a_body_declared_too_large_is_refused(front, method, path):
    client, db = front
    size = 40 * 1024 * 1024
    declared = {"Content-Type": "application/json", "Content-Length": str(size)}
    status, answer = send(client, method, path, Zeros(size), declared)
    assert status == 413
    assert "at most" in answer["error"]
    assert documents(db) == 0


def test_a_streamed_body_past_the_limit_is_refused(front):
    client, db = front
    huge = json.dumps({"title": "x" * (600 * 1024)}).encode()
    chunks = (huge[start : start + 64 * 1024] for start in range(0, len(huge), 64 * 1024))
    status, _ = send(
        client, "POST", "/intake", _Stream(chunks), {"Content-Type": "application/json"}
    )
    assert status == 413
    assert documents(db) == 0


def test_a_huge_string_within_the_limit_is_named(front):
    from tests.integration.conftest import incident

    client, db = front
    body = json.dumps(incident(title="x" * 200_000)).encode()
    answer = client.post("/intake", data=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert any(item["field"] == "title" for item in answer.json["details"])
    assert documents(db) == 0


class _Stream:
    def __init__(self, parts) -> None:
        self._parts, self._buffer = iter(parts), b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._parts)
            except StopIteration:
                break
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
