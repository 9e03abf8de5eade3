"""The department head raises a ticket's priority by choosing another agreement: its deadlines
are recomputed as if that agreement had applied from the start, both parties are told, and
nobody else may do it."""

from __future__ import annotations

import uuid

from shared.bootstrap import services
from tests.integration.conftest import (
    REQUESTER,
    degraded_robot,
    deliver_event,
    event_paths,
    make_client,
)
from tests.integration.test_pages_actions import act, path_for

HEAD = "sergio.nunes@metalvale.com.br"  # heads Manutenção Elétrica, the robot's department


def test_the_head_raises_the_priority_and_the_deadlines_run_from_the_start(
    pages, intake, db, smtp_inbox
):
    ticket = degraded_robot(intake, f"policy-{uuid.uuid4().hex}")
    head = path_for(ticket["id"], HEAD, "manager")
    page = pages.get(head).get_data(as_text=True)
    assert "Prioridade e acordo de nível de serviço" in page
    assert "Crítica · resposta em 0 h 15 min, solução em 4 h 00 min" in page

    refused = act(pages, head, "policy", policy="inc-linha-parada", reason="")
    assert refused.status_code == 400  # a reason is asked for
    wrong = act(pages, head, "policy", policy="req-ti-acesso", reason="Linha parou")
    assert wrong.status_code == 400
    assert "outro tipo de chamado" in wrong.get_data(as_text=True)
    assert 'value="req-ti-acesso" selected' not in wrong.get_data(as_text=True)

    done = act(pages, head, "policy", policy="inc-linha-parada", reason="A linha parou de vez")
    assert done.status_code == 303
    landed = pages.get(done.headers["Location"].split("pages.example.test")[-1])
    assert "prazos recalculados desde a abertura" in landed.get_data(as_text=True)

    changed = services().tickets.get(ticket["id"])
    calendar = services().directory.calendar(changed.calendar_id)
    policy = services().directory.policy("inc-linha-parada")
    assert changed.priority == "critical"
    assert changed.response_due == calendar.add(changed.clock_started_at, policy.response_time)
    assert changed.resolution_due == calendar.add(changed.clock_started_at, policy.resolution_time)

    notifications = make_client("notifications")
    smtp_inbox.messages.clear()
    for path in event_paths(db, ticket["id"]):
        if path.endswith("policy_changed"):
            deliver_event(notifications, db, path)
    told = {message["To"].addresses[0].addr_spec for message in smtp_inbox.messages}
    assert REQUESTER in told
    assert len(told) == 2  # the requester and the responsible


def test_only_a_head_or_a_manager_changes_the_agreement(pages, intake):
    ticket = degraded_robot(intake, f"policy-{uuid.uuid4().hex}")
    requester = path_for(ticket["id"], REQUESTER, "requester")
    assert "Prioridade e acordo" not in pages.get(requester).get_data(as_text=True)
    forged = pages.post(f"{requester}/policy", data={"policy": "inc-linha-parada", "reason": "x"})
    assert forged.status_code == 403
    other_head = path_for(ticket["id"], "joao.ferreira@metalvale.com.br", "manager")
    assert "Prioridade e acordo" not in pages.get(other_head).get_data(as_text=True)
