"""The HTML pages under generated input, past the link check: real links of a real ticket for
both roles and valid form tokens, with any query string and any form body on any action.
No answer is a 5xx, and an action that succeeds lands on a page that renders."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.actions.access import ACTIONS
from shared.bootstrap import page_services
from tests.integration.conftest import REQUESTER, RESPONSIBLE, incident, post_ticket

FIELDS = [
    "text",
    "note",
    "reason",
    "comment",
    "score",
    "category",
    "currency",
    "description",
    "amount",
    "hours",
    "rate",
    "line",
    "restored_at",
    "manual_amount",
    "manual_currency",
    "manual_reason",
    "counts",
    "uploads",
]
TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "5",
    "1e309",
    "NaN",
    "1.234,56",
    "12,3.4",
    "9" * 40,
    "2099-01-01T10:00",
    "2026-13-45T99:99",
    "1970-01-01T00:00",
    "labour",
    "manual",
    "BRL",
    "../../etc",
    "a/b",
    "\x00\x1b\u2028\u202e",
    "<script>x</script>",
    "x" * 6000,
    "😀" * 10,
]
values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=60))
bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), values, max_size=6)
queries = st.dictionaries(st.sampled_from(["done", "x", "page"]) | st.text(max_size=6), values)


@pytest.fixture
def links(intake):
    ticket = post_ticket(intake, incident(submission_id=f"fuzz-{uuid.uuid4().hex}")).json
    signer = page_services().links
    return {
        "requester": signer.token(ticket["id"], REQUESTER, "requester"),
        "responsible": signer.token(ticket["id"], RESPONSIBLE, "responsible"),
    }


def test_any_query_and_any_form_on_any_action_never_answers_5xx(pages, links):
    seen: dict[int, int] = {}

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        role=st.sampled_from(["requester", "responsible"]),
        action=st.sampled_from(sorted(ACTIONS)) | st.text(max_size=10),
        body=bodies,
        query=queries,
        with_token=st.booleans(),
    )
    def check(role, action, body, query, with_token):
        token = links[role]
        page = pages.get(f"/t/{token}", query_string=query)
        assert page.status_code == 200, (query, page.status_code)
        form = dict(body)
        if with_token and action in ACTIONS:
            form["form_token"] = page_services().forms.issue(token, action)
        answer = pages.post(f"/t/{token}/{action}", data=form)
        seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
        assert answer.status_code < 500, (role, action, form, answer.get_data(as_text=True))
        if answer.status_code == 303:
            landed = pages.get(answer.headers["Location"])
            assert landed.status_code == 200, (role, action, form)

    check()
    assert seen.get(303, 0) > 0  # some generated forms were valid and applied
    assert sum(count for status, count in seen.items() if 400 <= status < 500) > 0
