"""Expense lines, corrections and the financial loss of a ticket, against the emulator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.actions.costs import add_cost, correct_cost, record_loss
from shared.actions.work import NotAllowedNow
from tests.integration.timing import ORG, open_system_incident, sp

TECH = "carlos.mendes@metalvale.com.br"
CNC_01 = next(asset for asset in ORG.assets if asset.tag == "CNC-01")  # R$ 3.200,00 per hour
LINE_STOPPED = {"linha": "usinagem-1", "maquina": "CNC-01", "sintoma": "Fuso travado"}


def opened(world):
    return open_system_incident(world, sp(30, 10), policy="inc-linha-parada", fields=LINE_STOPPED)


def change(world, ticket, decide, moment):
    _, _, tickets, _ = world
    tickets.apply(ticket.id, decide, moment)
    return tickets.get(ticket.id)


def test_expense_lines_are_totalled_per_currency_and_corrections_keep_history(world):
    _, _, tickets, _ = world
    ticket = opened(world)
    labour = {
        "category": "labour",
        "hours": "2.5",
        "rate": "85.00",
        "currency": "BRL",
        "description": "Troca do rolamento do fuso",
    }
    parts = {
        "category": "parts",
        "amount": "1340.90",
        "currency": "BRL",
        "description": "Rolamento SKF 7014",
    }
    external = {
        "category": "external_service",
        "amount": "500",
        "currency": "USD",
        "description": "Suporte remoto do fabricante",
    }
    for fields in (labour, parts, external):
        ticket = change(world, ticket, add_cost(TECH, fields, sp(30, 12)), sp(30, 12))
    assert ticket.cost_cents == {"BRL": 21250 + 134090, "USD": 50000}  # 2.5 h x 85,00 = 212,50

    parts_line = next(line for line in ticket.cost_lines if line.category == "parts")
    corrected = change(
        world,
        ticket,
        correct_cost(TECH, parts_line.id, {"amount": "1200.00"}, sp(30, 13)),
        sp(30, 13),
    )
    assert corrected.cost_cents == {"BRL": 21250 + 120000, "USD": 50000}
    assert len(corrected.cost_lines) == 4  # the old line is kept, marked superseded
    old = next(line for line in corrected.cost_lines if line.id == parts_line.id)
    new = next(line for line in corrected.cost_lines if line.supersedes == parts_line.id)
    assert old.superseded_by == new.id
    assert new.amount == Decimal("1200.00")
    with pytest.raises(NotAllowedNow):
        change(
            world,
            corrected,
            correct_cost(TECH, parts_line.id, {"amount": "1"}, sp(30, 14)),
            sp(30, 14),
        )
    # A labour line corrected to an amount takes that amount (its hours × rate no longer hold).
    labour_line = next(line for line in ticket.cost_lines if line.category == "labour")
    fixed = change(
        world,
        corrected,
        correct_cost(TECH, labour_line.id, {"amount": "300.00"}, sp(30, 15)),
        sp(30, 15),
    )
    assert fixed.cost_cents == {"BRL": 30000 + 120000, "USD": 50000}
    events = [e.type for e in tickets.events(ticket.id)]
    assert events.count("cost_added") == 3
    assert events.count("cost_corrected") == 2


def test_the_loss_is_the_downtime_times_the_assets_rate_or_an_amount_with_a_reason(world):
    ticket = opened(world)
    # Down from 10:00 to 13:30 (restored before the ticket is resolved): 3,5 h x 3.200,00.
    restored = change(
        world,
        ticket,
        record_loss(
            TECH,
            CNC_01,
            sp(30, 15),
            restored_at=sp(30, 13, 30),
        ),
        sp(30, 15),
    )
    assert restored.downtime_seconds == 3 * 3600 + 1800
    assert (restored.loss_cents, restored.loss_currency) == (1_120_000, "BRL")

    manual = change(
        world,
        restored,
        record_loss(
            TECH,
            CNC_01,
            sp(30, 16),
            manual_amount=Decimal("9000"),
            manual_currency="BRL",
            manual_reason="Multa contratual do pedido 4471",
            counts="manual",
        ),
        sp(30, 16),
    )
    assert (manual.loss_cents, manual.loss_currency) == (900_000, "BRL")
    assert manual.loss.downtime_amount == Decimal("11200.00")  # both are kept
    assert manual.loss.manual_reason == "Multa contratual do pedido 4471"


def test_impossible_losses_are_refused(world):
    ticket = opened(world)
    with pytest.raises(NotAllowedNow):  # restored before the incident began
        change(
            world,
            ticket,
            record_loss(
                TECH,
                CNC_01,
                sp(30, 15),
                restored_at=sp(30, 9),
            ),
            sp(30, 15),
        )
    with pytest.raises(NotAllowedNow):  # an amount without its reason
        change(
            world,
            ticket,
            record_loss(
                TECH,
                CNC_01,
                sp(30, 15),
                manual_amount=Decimal(10),
                manual_currency="BRL",
                manual_reason="",
                counts="manual",
            ),
            sp(30, 15),
        )
