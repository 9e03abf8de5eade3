"""Forged, stale and misused credentials, one list for every way in: intake signatures and
keys, ticket links, page forms (CSRF), manager keys, the timer's secret. Each is refused with
a 4xx and changes nothing; script in what people type comes out as text."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from shared.intake.auth import sign
from shared.links import LinkSigner
from tests.integration.conftest import FORMS_SECRET, REQUESTER, RESPONSIBLE, incident


@pytest.fixture
def opened(api):
    client, _ = api
    body = json.dumps(
        incident(submission_id="hostile-credentials", title='<script>alert("x")</script> <b>!</b>')
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time())),
    }
    ticket = client.post("/intake", data=body, headers=headers).json
    return client, ticket


def links(secret: str | None = None) -> LinkSigner:
    from shared.bootstrap import services

    return LinkSigner(secret or services().config.link_secret, "x", timedelta(days=1))


def tickets_count(db) -> int:
    return len(list(db.collection("tickets").stream()))


@pytest.mark.parametrize(
    "forge",
    [
        "tampered body",
        "another secret",
        "ten minutes old",
        "ten minutes ahead",
        "no v1",
        "a key for an hmac client",
    ],
)
def test_forged_intake_credentials_are_refused(opened, db, forge):
    client, _ = opened
    body = json.dumps(incident(submission_id=f"forged-{forge}")).encode()
    now = int(time.time())
    headers = {"Content-Type": "application/json"}
    if forge == "tampered body":
        headers["X-Helpdesk-Signature"] = sign(FORMS_SECRET, body.replace(b"CNC", b"XYZ"), now)
    elif forge == "another secret":
        headers["X-Helpdesk-Signature"] = sign("not-the-secret-0123456789abcdef", body, now)
    elif forge == "ten minutes old":
        headers["X-Helpdesk-Signature"] = sign(FORMS_SECRET, body, now - 600)
    elif forge == "ten minutes ahead":
        headers["X-Helpdesk-Signature"] = sign(FORMS_SECRET, body, now + 600)
    elif forge == "no v1":
        headers["X-Helpdesk-Signature"] = f"t={now}"
    else:
        headers["X-Helpdesk-Key"] = FORMS_SECRET
    before = tickets_count(db)
    answer = client.post("/intake", data=body, headers=headers)
    assert answer.status_code == 401
    assert tickets_count(db) == before


def test_a_replayed_request_opens_nothing_new(opened, db):
    """Within the tolerance a replay is the same submission: the same ticket, not another."""
    client, ticket = opened
    body = json.dumps(incident(submission_id="hostile-credentials")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time())),
    }
    again = client.post("/intake", data=body, headers=headers)
    assert (again.status_code, again.json["id"]) == (200, ticket["id"])
    assert tickets_count(db) == 1


def test_forged_expired_and_foreign_links_show_nothing(opened):
    client, ticket = opened
    forged = links("a-secret-nobody-has-0123456789abcdef").token(
        ticket["id"], REQUESTER, "requester"
    )
    assert client.get(f"/pages/t/{forged}").status_code == 403

    class Past(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 30 * 24 * 3600  # older than the links' 14 days

    signer = links()
    signer._serializer = URLSafeTimedSerializer(
        signer._serializer.secret_keys[-1], salt="helpdesk-ticket-link-v1", signer=Past
    )
    expired = signer.token(ticket["id"], REQUESTER, "requester")
    page = client.get(f"/pages/t/{expired}", headers={"Accept-Language": "en"})
    assert page.status_code == 403
    assert "expired" in page.get_data(as_text=True).lower()


def form_token(client, link: str, action: str) -> str:
    html = client.get(f"/pages/t/{link}").get_data(as_text=True)
    found = re.search(
        rf'action="[^"]*/{action}"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"',
        html,
    )
    assert found, f"no {action} form"
    return found.group(1)


def test_page_actions_need_the_right_role_and_their_own_form(opened, db):
    client, ticket = opened
    requester = links().token(ticket["id"], REQUESTER, "requester")
    responsible = links().token(ticket["id"], RESPONSIBLE, "responsible")
    status_before = db.collection("tickets").document(ticket["id"]).get().to_dict()["status"]
    # the requester cannot act as the responsible
    stolen = form_token(client, responsible, "acknowledge")
    wrong_role = client.post(f"/pages/t/{requester}/acknowledge", data={"form_token": stolen})
    assert wrong_role.status_code == 403
    # a form posted from elsewhere (CSRF): no token, or a token of another link or action
    assert client.post(f"/pages/t/{responsible}/acknowledge").status_code == 403
    other_action = form_token(client, responsible, "resolve")
    answer = client.post(f"/pages/t/{responsible}/acknowledge", data={"form_token": other_action})
    assert answer.status_code == 403
    # a form token belongs to its link: another valid link of the same person cannot use it
    asked = form_token(client, requester, "status-request")
    time.sleep(1.1)  # a link made a second later is another link
    second = links().token(ticket["id"], REQUESTER, "requester")
    assert second != requester
    crossed = client.post(f"/pages/t/{second}/status-request", data={"form_token": asked})
    assert crossed.status_code == 403
    # GET never changes anything
    assert client.get(f"/pages/t/{responsible}/acknowledge").status_code in (404, 405)
    status_after = db.collection("tickets").document(ticket["id"]).get().to_dict()["status"]
    assert status_after == status_before


def test_what_people_type_is_shown_as_text(opened):
    client, ticket = opened
    link = links().token(ticket["id"], REQUESTER, "requester")
    html = client.get(f"/pages/t/{link}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html


def test_object_names_cannot_leave_the_tickets_folder(opened):
    client, ticket = opened
    for filename in (
        "../../evidence/other.jpg",
        "/etc/passwd.jpg",
        "..\\..\\x.jpg",
        "a/../../b.jpg",
    ):
        body = json.dumps(
            {
                "filename": filename,
                "content_type": "image/jpeg",
                "size": 100,
                "ticket_id": ticket["id"],
            }
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time()), path="/uploads"),
        }
        answer = client.post("/media/uploads", data=body, headers=headers)
        if answer.status_code == 201:
            name = answer.json["object_name"]
            assert name.startswith(f"tickets/{ticket['id']}/")
            assert ".." not in name
            assert name.count("/") == 3
        else:
            assert answer.status_code == 400


def test_manager_and_timer_doors_refuse_the_wrong_keys(opened):
    client, _ = opened
    assert client.get("/reports/sla", headers={"X-Helpdesk-Key": "guess"}).status_code == 401
    bearer = {"Authorization": "Bearer not-a-google-token"}
    assert client.get("/out_of_sla", headers=bearer).status_code in (401, 403)
    timer = client.post(
        "/sla_timer",
        data=b"{}",
        headers={"X-Helpdesk-Timer-Secret": "guess-" * 6, "Content-Type": "application/json"},
    )
    assert timer.status_code == 403


def test_a_captured_signed_request_cannot_be_replayed_elsewhere(opened, db):
    """Within its five minutes, a signed intake body sent again to another endpoint (read a
    ticket, complete an upload) or as another client is refused."""
    client, ticket = opened
    body = json.dumps({"ticket_id": ticket["id"]}).encode()
    captured = {
        "Content-Type": "application/json",
        "X-Helpdesk-Signature": sign(FORMS_SECRET, body, int(time.time())),  # for POST /
    }
    for method, path in (
        ("GET", f"/intake/tickets/{ticket['id']}"),
        ("POST", f"/media/uploads/{ticket['id']}-a0/complete"),
    ):
        answer = client.open(path, method=method, data=body, headers=captured)
        assert answer.status_code == 401, (path, answer.get_data(as_text=True))
    as_other = {**captured, "X-Helpdesk-Client": "google-forms"}
    assert client.post("/intake", data=body, headers=as_other).status_code == 401
