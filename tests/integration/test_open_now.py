"""The open tickets now, by status and department: counters moved in the same write as each
change, equal at every moment to a count of the tickets themselves, and rebuilt for tickets
stored before they existed."""

from __future__ import annotations

import uuid
from collections import Counter

from shared.actions.cancel import cancel
from shared.actions.work import resolve, respond
from shared.domain.ticket import OPEN_STATUSES, Ticket
from shared.domain.work_lists import SLA_STATES, sla_state
from shared.repositories.open_now import OPEN_NOW, FirestoreOpenNow
from shared.timers.payload import TimerPayload
from shared.timers.service import fire, ticket_milestones
from tests.integration.conftest import REQUESTER, degraded_robot, incident, post_ticket

RESPONSIBLE = "carlos.mendes@metalvale.com.br"


def counted(db, departments=None) -> dict[str, int]:
    """The open tickets by status, counted one by one; and by SLA state."""
    statuses, states = Counter(), Counter()
    for doc in db.collection("tickets").stream():
        ticket = Ticket.model_validate(doc.to_dict())
        if ticket.status in OPEN_STATUSES and (
            departments is None or ticket.responsible_department_id in departments
        ):
            statuses[str(ticket.status)] += 1
            states[sla_state(ticket)] += 1
    return {
        "status": {str(s): statuses[str(s)] for s in OPEN_STATUSES},
        "sla": {s: states[s] for s in SLA_STATES},
    }


class Queue:
    def enqueue(self, name, body, at) -> None:
        pass


def breach_response(base, ticket_id: str) -> None:
    ticket = base.tickets.get(ticket_id)
    due = next(m for m in ticket_milestones(ticket, base.directory) if m.key == "response-breach")
    payload = TimerPayload(ticket_id, due.key, ticket.clock_version, due.due.isoformat())
    done = fire(
        payload, tickets=base.tickets, directory=base.directory, queue=Queue(), now=lambda: due.due
    )
    assert done == "fired"


def shown(counters, departments=None) -> dict:
    found = counters.read(departments)
    return {"status": found.by_status, "sla": found.by_sla}


def test_the_counters_follow_every_change_and_are_rebuilt_for_older_tickets(intake, db):
    from shared.bootstrap import services

    base = services()
    opened = [
        post_ticket(intake, incident(submission_id=f"open-{uuid.uuid4().hex}")).json
        for _ in range(4)
    ]
    degraded_robot(intake, f"open-{uuid.uuid4().hex}")
    now = base.now()
    base.tickets.apply(opened[0]["id"], respond(RESPONSIBLE, "A caminho.", [], now), now)
    base.tickets.apply(opened[1]["id"], resolve(RESPONSIBLE, "Trocado.", [], now), now)
    stale = cancel(REQUESTER, "engano", None, now)
    base.tickets.apply(opened[2]["id"], stale, now)
    base.tickets.apply(opened[2]["id"], stale, now)  # delivered twice: cancelled once
    breach_response(base, opened[3]["id"])  # its first response's deadline, gone
    counters = FirestoreOpenNow(db)
    assert shown(counters) == counted(db)
    assert shown(counters)["status"]["in_progress"] == 1
    assert sum(shown(counters)["status"].values()) == 3  # five opened, one resolved, one gone
    assert shown(counters)["sla"]["breached"] >= 1
    assert counters.read().documents <= 65  # a fixed number of documents, however many tickets
    electrical = ["manutencao-eletrica"]
    assert shown(counters, electrical) == counted(db, electrical)

    for document in db.collection(OPEN_NOW).stream():  # tickets from before the counters
        document.reference.delete()
    assert sum(counters.read().by_status.values()) == 0
    assert counters.rebuild() == 3
    assert shown(counters) == counted(db)
    counters.rebuild()  # run again: the same
    base.tickets.apply(opened[3]["id"], cancel(REQUESTER, "resolvido sozinho", None, now), now)
    assert shown(counters) == counted(db)
