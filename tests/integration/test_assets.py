"""Asset figures from aggregation queries equal a brute-force computation over the tickets,
after a random sequence of cost and loss changes with resubmissions; and the assets endpoint."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shared.actions.costs import add_cost, correct_cost, record_loss
from shared.actions.service import applied_once
from shared.auth.managers import key_digest
from shared.config import Config
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.reports.assets import Period, asset_figures
from shared.repositories.ticket_queries import FirestoreTicketQueries
from tests.integration.conftest import make_client
from tests.integration.timing import ORG

SP = ZoneInfo("America/Sao_Paulo")
ASSETS = {a.tag: a for a in ORG.assets if a.tag in ("CNC-01", "PRENSA-01", "ROBO-SOLDA-01")}
POLICIES = {
    "inc-linha-parada": lambda tag: {"linha": "usinagem-1", "maquina": tag, "sintoma": "parou"},
    "inc-degradacao": lambda tag: {"maquina": tag, "sintoma": "lento"},
    "req-manutencao-preventiva": lambda tag: {"maquina": tag, "servico": "lubrificar"},
}
TECH = "carlos.mendes@metalvale.com.br"
COMPARED = ("tickets", "incidents", "costs_cents", "loss_cents", "downtime_seconds", "mttr_seconds")


def open_at(world, rng, index):
    _, directory, tickets, _ = world
    tag = rng.choice(sorted(ASSETS))
    policy = rng.choice(sorted(POLICIES))
    at = datetime(2026, 11, 2, 9, tzinfo=SP).astimezone(UTC) + timedelta(hours=rng.randrange(400))
    submission = Submission.model_validate(
        {
            "submission_id": f"rand-{index}",
            "source": "api",
            "type": "request" if policy.startswith("req") else "incident",
            "policy": policy,
            "title": f"Chamado {index}",
            "requester": {"email": "joao.ferreira@metalvale.com.br"},
            "asset": tag,
            "fields": POLICIES[policy](tag),
        }
    )
    ticket, _ = open_ticket(
        submission, "api", directory=directory, tickets=tickets, config=Config(), now=lambda: at
    )
    return ticket


def random_change(rng, ticket, now):
    kind = rng.choice(["cost", "cost", "correct", "loss"])
    if kind == "correct" and any(line.superseded_by is None for line in ticket.cost_lines):
        line = rng.choice([line for line in ticket.cost_lines if line.superseded_by is None])
        return correct_cost(TECH, line.id, {"amount": str(rng.randrange(1, 90000) / 100)}, now)
    if kind == "loss":
        asset = ASSETS[ticket.asset.tag]
        manual = rng.random() < 0.4
        return record_loss(
            TECH,
            asset,
            now,
            restored_at=ticket.clock_started_at + timedelta(minutes=rng.randrange(10, 600)),
            manual_amount=Decimal(rng.randrange(100, 50000)) if manual else None,
            manual_currency="BRL" if manual else None,
            manual_reason="estimativa" if manual else None,
            counts="manual" if manual and rng.random() < 0.5 else "downtime",
        )
    currency = rng.choice(["BRL", "BRL", "BRL", "USD"])
    if rng.random() < 0.3:
        fields = {"category": "labour", "hours": str(rng.randrange(1, 20) / 2), "rate": "85.50"}
    else:
        fields = {
            "category": rng.choice(["parts", "external_service", "other"]),
            "amount": str(rng.randrange(1, 500000) / 100),
        }
    return add_cost(TECH, {**fields, "currency": currency, "description": "gasto"}, now)


def brute_force(tickets, tag):
    mine = [t for t in tickets if t.asset and t.asset.tag == tag]
    incidents = [t for t in mine if t.type == "incident"]
    costs, loss = defaultdict(int), defaultdict(int)
    for ticket in mine:
        for line in ticket.cost_lines:
            if line.superseded_by is None:
                costs[line.currency] += int(line.amount * 100)
        if ticket.loss_currency:
            loss[ticket.loss_currency] += ticket.loss_cents
    pareto = defaultdict(lambda: {"incidents": 0, "downtime_seconds": 0})
    for ticket in incidents:
        pareto[ticket.category]["incidents"] += 1
        pareto[ticket.category]["downtime_seconds"] += ticket.downtime_seconds
    repaired = [t for t in incidents if t.downtime_seconds > 0]
    return {
        "tickets": len(mine),
        "incidents": len(incidents),
        "costs_cents": dict(costs),
        "loss_cents": dict(loss),
        "downtime_seconds": sum(t.downtime_seconds for t in incidents),
        "mttr_seconds": sum(t.downtime_seconds for t in repaired) // len(repaired)
        if repaired
        else None,
        "pareto": dict(pareto),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_figures_equal_a_brute_force_recomputation(world, seed):
    db, _, tickets, _ = world
    rng = random.Random(seed)
    opened = [open_at(world, rng, index) for index in range(12)]
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    for step in range(60):
        ticket = tickets.get(rng.choice(opened).id)
        decide = applied_once(f"form-{step}", random_change(rng, ticket, now))
        tickets.apply(ticket.id, decide, now)
        if rng.random() < 0.3:  # the same form submitted again changes nothing
            tickets.apply(ticket.id, decide, now)
    stored = [tickets.get(t.id) for t in opened]
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    for tag in ASSETS:
        figures = asset_figures(
            FirestoreTicketQueries(db),
            tag,
            period,
            SP,
            sorted(c.id for c in ORG.categories),
            ["BRL", "USD"],
        )
        expected = brute_force(stored, tag)
        assert {k: figures[k] for k in COMPARED} == {k: expected[k] for k in COMPARED}, tag
        assert {
            row["category"]: {
                "incidents": row["incidents"],
                "downtime_seconds": row["downtime_seconds"],
            }
            for row in figures["pareto"]
        } == expected["pareto"]


MANAGER_KEY = "manager-key-helena-0123456789"


@pytest.fixture
def assets_api(intake, monkeypatch):
    monkeypatch.setenv(
        "HELPDESK_MANAGER_KEYS",
        json.dumps({key_digest(MANAGER_KEY): "helena.prado@metalvale.com.br"}),
    )
    return make_client("assets")


def call(client, method, path, **kwargs):
    return client.open(path, method=method, headers={"X-Helpdesk-Key": MANAGER_KEY}, **kwargs)


def test_the_registry_checks_what_it_keeps(assets_api):
    listed = call(assets_api, "GET", "/assets")
    assert len(listed.json["assets"]) == len(ORG.assets)
    new = {
        "name": "Retífica plana Ferdimat",
        "kind": "fixed_asset",
        "area": "producao",
        "responsible": "rafael.santos@metalvale.com.br",
        "loss_rate_per_hour": "1750.00",
        "currency": "BRL",
        "location": "Galpão A",
    }
    assert call(assets_api, "PUT", "/assets/RETIFICA-01", json=new).status_code == 201
    assert call(assets_api, "PUT", "/assets/RETIFICA-01", json=new).status_code == 200
    assert call(assets_api, "GET", "/assets/RETIFICA-01").json["loss_rate_per_hour"] == "1750.00"
    bad = call(
        assets_api,
        "PUT",
        "/assets/RETIFICA-02",
        json={**new, "area": "marte", "loss_rate_per_hour": "-5", "kind": "nave"},
    )
    assert bad.status_code == 400
    assert {d["field"] for d in bad.json["details"]} == {"kind", "loss_rate_per_hour"}
    assert call(assets_api, "GET", "/assets/RETIFICA-02").status_code == 404
    assert assets_api.get("/assets").status_code == 401


def test_history_and_figures_of_an_asset(assets_api, intake, world):
    from tests.integration.conftest import incident, post_ticket

    post_ticket(intake, incident(submission_id="h1"))
    post_ticket(intake, incident(submission_id="h2"))
    history = call(assets_api, "GET", "/assets/CNC-01/history")
    assert history.json["count"] == 2
    assert history.json["tickets"][0]["number"] == "INC-000002"  # newest first
    csv_answer = call(assets_api, "GET", "/assets/CNC-01/history", query_string={"format": "csv"})
    assert csv_answer.get_data(as_text=True).count("INC-00000") == 2
    figures = call(assets_api, "GET", "/assets/CNC-01/figures").json
    assert (figures["tickets"], figures["incidents"]) == (2, 2)
    assert figures["pareto"][0]["category"] == "falha-mecanica"
    assert call(assets_api, "GET", "/assets/NOPE/figures").status_code == 404


def test_costs_per_area_of_the_requester(assets_api, intake, world):
    from tests.integration.conftest import incident, post_ticket

    _, _, tickets, _ = world
    production = post_ticket(intake, incident(submission_id="p1")).json  # Lucas, Produção
    quality = post_ticket(
        intake, incident(submission_id="q1", requester={"email": "fernanda.gomes@metalvale.com.br"})
    ).json
    now = datetime.now(UTC)
    for ticket_id, amount in ((production["id"], "1000.50"), (quality["id"], "250.00")):
        tickets.apply(
            ticket_id,
            add_cost(
                TECH,
                {"category": "parts", "amount": amount, "currency": "BRL", "description": "peça"},
                now,
            ),
            now,
        )
    rows = call(assets_api, "GET", "/costs", query_string={"group": "area"}).json["rows"]
    assert {row["area"]: row["costs_cents"] for row in rows} == {
        "producao": {"BRL": 100050},
        "qualidade": {"BRL": 25000},
    }
    by_department = call(assets_api, "GET", "/costs", query_string={"group": "department"}).json
    assert {row["department"] for row in by_department["rows"]} == {
        "usinagem",
        "controle-qualidade",
    }
    assert call(assets_api, "GET", "/costs", query_string={"group": "planet"}).status_code == 400
    assert tickets.get(quality["id"]).cost_cents == {"BRL": 25000}


def test_the_pareto_can_be_ordered_by_downtime_or_money(world):
    db, _, tickets, _ = world
    rng = random.Random(5)
    opened = [open_at(world, rng, index) for index in range(10)]
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    for ticket in opened:
        hours = rng.randrange(1, 10)
        tickets.apply(
            ticket.id,
            record_loss(
                TECH,
                ASSETS[ticket.asset.tag],
                now,
                restored_at=ticket.clock_started_at + timedelta(hours=hours),
            ),
            now,
        )
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    categories = sorted(c.id for c in ORG.categories)
    queries = FirestoreTicketQueries(db)
    for tag in ASSETS:
        by_downtime = asset_figures(queries, tag, period, SP, categories, ["BRL"], "downtime")
        by_downtime = by_downtime["pareto"]
        downtimes = [row["downtime_seconds"] for row in by_downtime]
        assert downtimes == sorted(downtimes, reverse=True)
        by_money = asset_figures(queries, tag, period, SP, categories, ["BRL"], "money")["pareto"]
        money = [row["loss_cents"].get("BRL", 0) for row in by_money]
        assert money == sorted(money, reverse=True)
