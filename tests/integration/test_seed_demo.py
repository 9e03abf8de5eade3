"""The demo history `make dev` seeds: worked, costed tickets whose figures make sense."""

from datetime import UTC, datetime

from shared.bootstrap import services
from shared.repositories.tickets import FirestoreTickets
from tools.seed_demo import seed


def test_the_demo_history_is_worked_and_costed(function_env, demo_org, db):
    services.cache_clear()
    seed(12, datetime.now(UTC))
    tickets = [FirestoreTickets(db).get(doc.id) for doc in db.collection("tickets").stream()]
    assert len(tickets) == 12
    assert all(t.cost_cents.get("BRL", 0) > 0 for t in tickets)
    assert all(t.downtime_seconds > 0 and t.loss_cents > 0 for t in tickets)
    assert any(t.status == "closed" and t.rating for t in tickets)
    # Loss is the downtime at the asset's own rate.
    rates = {a.tag: a.loss_rate_per_hour for a in demo_org.assets}
    for ticket in tickets:
        expected = round(ticket.downtime_seconds / 3600 * float(rates[ticket.asset.tag]) * 100)
        assert abs(ticket.loss_cents - expected) <= 1
