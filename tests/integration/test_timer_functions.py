"""The sla_scheduler (CloudEvent) and sla_timer (HTTP) functions, as the platform calls them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from google.cloud import tasks_v2

from shared.config import Config
from shared.errors import Forbidden, Unauthorized
from shared.timers.auth import authenticate_timer
from shared.timers.payload import TimerPayload
from tests.integration.conftest import TIMER_SECRET as SECRET
from tests.integration.conftest import (
    deliver_event,
    event_paths,
    incident,
    make_client,
    post_ticket,
)


def test_a_new_ticket_gets_its_timers_on_the_queue(paused_queue, intake, db):
    client, queue = paused_queue
    ticket = post_ticket(intake, incident()).json
    scheduler = make_client("sla_scheduler")
    for path in event_paths(db, ticket["id"]):
        assert deliver_event(scheduler, db, path).status_code == 200
    request = tasks_v2.ListTasksRequest(parent=queue, response_view=tasks_v2.Task.View.FULL)
    tasks = list(client.list_tasks(request=request))
    bodies = [json.loads(task.http_request.body) for task in tasks]
    # created schedules; assigned does not change the clock.
    assert sorted(b["milestone"] for b in bodies) == sorted(
        [
            "response-warning-50",
            "response-warning-75",
            "response-breach",
            "resolution-warning-50",
            "resolution-warning-75",
            "resolution-breach",
            "escalation-1",
            "escalation-2",
        ]
    )
    assert {b["version"] for b in bodies} == {1}
    task = tasks[0]
    assert task.http_request.url == "https://timer.example.test/"
    assert task.http_request.headers["X-Helpdesk-Timer-Secret"] == SECRET
    assert all(len(t.http_request.body) < 1024 for t in tasks)


def test_timer_calls_must_be_authenticated_and_refusals_change_nothing(paused_queue, intake, db):
    ticket = post_ticket(intake, incident()).json
    timer = make_client("sla_timer")
    body = TimerPayload(ticket["id"], "response-breach", 1, "2020-01-01T00:00:00+00:00").encode()
    plain = timer.post("/", data=body, headers={"Content-Type": "application/json"})
    wrong = timer.post(
        "/",
        data=body,
        headers={"Content-Type": "application/json", "X-Helpdesk-Timer-Secret": "x" * 30},
    )
    assert (plain.status_code, wrong.status_code) == (401, 403)
    stored = db.collection("tickets").document(ticket["id"]).get().to_dict()
    assert stored["milestones_done"] == {}
    bad = timer.post(
        "/",
        data=b'{"ticket_id": 1}',
        headers={"X-Helpdesk-Timer-Secret": SECRET, "Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    # An id Firestore reserves (found by the fuzzing): a 400, not Firestore's error as a 500.
    reserved = TimerPayload("__main__", "response-breach", 1, "2020-01-01T00:00:00+00:00")
    answer = timer.post(
        "/",
        data=reserved.encode(),
        headers={"X-Helpdesk-Timer-Secret": SECRET, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400


def test_a_due_timer_fires_through_the_function(paused_queue, intake, db):
    ticket = post_ticket(intake, incident()).json
    # The response is due 15 minutes after opening; a task for a deadline long past fires.
    db.collection("tickets").document(ticket["id"]).update(
        {"clock_started_at": datetime(2026, 11, 23, 12, 0, tzinfo=UTC)}
    )
    timer = make_client("sla_timer")
    body = TimerPayload(ticket["id"], "response-breach", 1, "2026-11-23T12:15:00+00:00").encode()
    headers = {"X-Helpdesk-Timer-Secret": SECRET, "Content-Type": "application/json"}
    first = timer.post("/", data=body, headers=headers)
    again = timer.post("/", data=body, headers=headers)
    assert (first.json["outcome"], again.json["outcome"]) == ("fired", "nothing")
    assert again.status_code == 200  # Cloud Tasks must not retry a duplicate


def test_oidc_tokens_must_come_from_the_queue_service_account():
    config = Config(timer_invoker="tasks@p.iam.gserviceaccount.com", timer_url="https://t/")
    good = {"email": "tasks@p.iam.gserviceaccount.com", "email_verified": True}

    def verify(claims):
        return lambda token, audience: claims

    headers = {"Authorization": "Bearer token"}
    assert authenticate_timer(headers, config, verify(good)) == good["email"]
    with pytest.raises(Forbidden):
        authenticate_timer(headers, config, verify({**good, "email": "someone@p.com"}))
    with pytest.raises(Forbidden):
        authenticate_timer(headers, config, verify({**good, "email_verified": False}))
    with pytest.raises(Unauthorized):
        authenticate_timer({}, config, verify(good))
    with pytest.raises(Forbidden):  # no secret configured in production: the header is refused
        authenticate_timer({"X-Helpdesk-Timer-Secret": "guess"}, config)


def test_a_timer_that_crashes_after_recording_the_breach_is_retried_without_a_second_mail(
    paused_queue, intake, notifications, smtp_inbox, db, monkeypatch
):
    """The task's handler writes the breach, then dies before answering: Cloud Tasks retries
    it. The retry finds the breach recorded; Eventarc may deliver its event twice; the
    responsible is told once."""
    from shared.timers import service

    ticket = post_ticket(intake, incident(submission_id="crash-after-breach")).json
    db.collection("tickets").document(ticket["id"]).update(
        {"clock_started_at": datetime(2026, 11, 23, 12, 0, tzinfo=UTC)}
    )
    timer = make_client("sla_timer")
    body = TimerPayload(ticket["id"], "response-breach", 1, "2026-11-23T12:15:00+00:00").encode()
    headers = {"X-Helpdesk-Timer-Secret": SECRET, "Content-Type": "application/json"}

    def crash(*_args, **_kwargs):
        raise RuntimeError("the instance died after the write")

    monkeypatch.setattr(service.log, "info", crash)  # right after the breach is written
    assert timer.post("/", data=body, headers=headers).status_code == 500
    monkeypatch.undo()
    retried = timer.post("/", data=body, headers=headers)
    assert (retried.status_code, retried.json["outcome"]) == (200, "nothing")
    breaches = [p for p in event_paths(db, ticket["id"]) if p.endswith("-breached")]
    assert len(breaches) == 1
    assert deliver_event(notifications, db, breaches[0]).status_code == 200
    told = len(smtp_inbox.messages)
    assert told >= 1  # the responsible (and whoever the policy names) hears of the breach
    assert deliver_event(notifications, db, breaches[0]).status_code == 200  # delivered again
    assert len(smtp_inbox.messages) == told
