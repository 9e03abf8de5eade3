"""The open tickets now, by status and department: counters moved in the same write as each
change, equal at every moment to a count of the tickets themselves, and rebuilt for tickets
stored before they existed."""

from __future__ import annotations

import uuid
from collections import Counter

from shared.actions.cancel import cancel
from shared.actions.work import resolve, respond
from shared.domain.ticket import OPEN_STATUSES
from shared.repositories.open_now import OPEN_NOW, FirestoreOpenNow
from tests.integration.conftest import REQUESTER, degraded_robot, incident, post_ticket

RESPONSIBLE = "carlos.mendes@metalvale.com.br"


def counted(db, departments=None) -> dict[str, int]:
    found = Counter(
        doc.to_dict()["status"]
        for doc in db.collection("tickets").stream()
        if doc.to_dict()["status"] in {str(s) for s in OPEN_STATUSES}
        and (departments is None or doc.to_dict()["responsible_department_id"] in departments)
    )
    return {str(s): found[str(s)] for s in OPEN_STATUSES}


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
    counters = FirestoreOpenNow(db)
    shown, read = counters.read()
    assert shown == counted(db)
    assert shown["in_progress"] == 1
    assert sum(shown.values()) == 3  # five opened, one resolved, one cancelled
    assert read <= 65  # a fixed number of documents, however many tickets
    electrical = ["manutencao-eletrica"]
    assert counters.read(electrical)[0] == counted(db, electrical)

    for document in db.collection(OPEN_NOW).stream():  # tickets from before the counters
        document.reference.delete()
    assert sum(counters.read()[0].values()) == 0
    assert counters.rebuild() == 3
    assert counters.read()[0] == counted(db)
    counters.rebuild()  # run again: the same
    base.tickets.apply(opened[3]["id"], cancel(REQUESTER, "resolvido sozinho", None, now), now)
    assert counters.read()[0] == counted(db)
