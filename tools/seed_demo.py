"""Three months of history for the demo organisation: tickets on its assets, worked, costed.

Deterministic (a fixed seed), realistic for a metalworking plant: machines fail in their own
ways, technicians log hours at R$ 85-120 and parts, downtime costs each asset's loss rate, and
some deadlines are missed. Run by `make dev` after loading the organisation.

    python -m tools.seed_demo [--tickets 80]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta

from shared.actions import sla as sla_actions
from shared.actions import work
from shared.actions.costs import add_cost, record_loss
from shared.bootstrap import services
from shared.config import Config
from shared.domain.change import Change
from shared.domain.report_share import Rollup
from shared.domain.ticket import Ticket
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.orgconfig import read_organisation
from shared.repositories.directory import StaticDirectory
from shared.repositories.tickets import FirestoreTickets
from shared.timers.closing import closing_change, closing_milestones
from tools.stack import ROOT

# asset -> (policy, symptoms, parts with prices)
FAILURES = {
    "CNC-01": (
        "inc-linha-parada",
        ["Alarme 2001 no fuso", "Vibração no eixo Z", "Troca de ferramenta travada"],
        [("Rolamento SKF 7014", "1340.90"), ("Correia do fuso", "420.00")],
    ),
    "CNC-02": (
        "inc-linha-parada",
        ["Pallet não trava", "Vazamento de refrigerante"],
        [("Sensor indutivo", "389.00"), ("Mangueira hidráulica", "210.50")],
    ),
    "TORNO-03": (
        "inc-degradacao",
        ["Acabamento ruim", "Castanha com folga"],
        [("Jogo de castanhas", "2150.00")],
    ),
    "PRENSA-01": (
        "inc-linha-parada",
        ["Embreagem patinando", "Freio com ruído"],
        [("Lona de freio", "980.00"), ("Kit embreagem", "6400.00")],
    ),
    "PRENSA-02": (
        "inc-linha-parada",
        ["Pressão hidráulica baixa"],
        [("Válvula proporcional", "7800.00")],
    ),
    "ROBO-SOLDA-01": (
        "inc-degradacao",
        ["Cordão irregular", "Falha de comunicação com a fonte"],
        [("Bico de contato", "45.00"), ("Cabo de comunicação", "690.00")],
    ),
    "COMPRESSOR-01": (
        "inc-degradacao",
        ["Temperatura alta", "Pressão instável"],
        [("Filtro separador", "1250.00")],
    ),
    "ERP-PROTHEUS": ("inc-sistema-fora", ["Lentidão no faturamento", "Erro ao emitir NF-e"], []),
}
REQUESTERS = [
    "lucas.oliveira@metalvale.com.br",
    "joao.ferreira@metalvale.com.br",
    "ana.souza@metalvale.com.br",
    "mariana.rocha@metalvale.com.br",
    "fernanda.gomes@metalvale.com.br",
    "paulo.ribeiro@metalvale.com.br",
]
# Machines also fail electrically: those incidents go to electrical maintenance.
ELECTRICAL = [
    "Disjuntor do painel desarmando",
    "Inversor de frequência em falha",
    "Sensor de segurança intermitente",
]
FIELDS = {
    "inc-linha-parada": lambda tag, symptom: {
        "linha": "usinagem-1",
        "maquina": tag,
        "sintoma": symptom,
    },
    "inc-degradacao": lambda tag, symptom: {"maquina": tag, "sintoma": symptom},
    "inc-sistema-fora": lambda tag, symptom: {"sistema": tag, "mensagem_erro": symptom},
}


def seed(count: int, now: datetime) -> int:
    app = services()
    org = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    directory = StaticDirectory(org)
    assets = {asset.tag: asset for asset in org.assets}
    tickets = FirestoreTickets(app.tickets.db, Rollup(directory))
    rng = random.Random(2026)
    weights = [5, 3, 2, 4, 2, 3, 2, 2]
    for index in range(count):
        tag = rng.choices(list(FAILURES), weights)[0]
        policy, symptoms, parts = FAILURES[tag]
        opened = now - timedelta(days=rng.uniform(2, 90))
        symptom = rng.choice(symptoms)
        if policy == "inc-linha-parada" and rng.random() < 0.35:
            policy, symptom = "inc-degradacao", rng.choice(ELECTRICAL)
        submission = Submission.model_validate(
            {
                "submission_id": f"demo-{index:04d}",
                "source": "google-forms",
                "type": "incident",
                "policy": policy,
                "title": f"{tag}: {symptom}",
                "requester": {"email": rng.choice(REQUESTERS)},
                "asset": tag,
                "fields": FIELDS[policy](tag, symptom),
            }
        )
        ticket, created = open_ticket(
            submission,
            "google-forms",
            directory=directory,
            tickets=tickets,
            config=Config(),
            now=lambda at=opened: at,
        )
        if not created:
            continue
        tech = ticket.responsible.email
        responded = opened + timedelta(minutes=rng.uniform(5, 70))
        restored = responded + timedelta(minutes=rng.uniform(20, 420))
        resolved = restored + timedelta(minutes=rng.uniform(10, 300))
        steps = [
            (sla_actions.acknowledge(tech, responded), responded),
            (
                work.respond(
                    tech, f"Diagnóstico: {symptom.lower()}.", [], responded + timedelta(minutes=5)
                ),
                responded + timedelta(minutes=5),
            ),
            (
                add_cost(
                    tech,
                    {
                        "category": "labour",
                        "hours": str(round(rng.uniform(1, 9)) / 2 + 0.5),
                        "rate": rng.choice(["85.00", "98.50", "120.00"]),
                        "currency": "BRL",
                        "description": "Horas de manutenção",
                    },
                    resolved,
                ),
                resolved,
            ),
        ]
        if parts:
            name, price = rng.choice(parts)
            steps.append(
                (
                    add_cost(
                        tech,
                        {
                            "category": "parts",
                            "amount": price,
                            "currency": "BRL",
                            "description": name,
                        },
                        resolved,
                    ),
                    resolved,
                )
            )
        if rng.random() < 0.15:
            steps.append(
                (
                    add_cost(
                        tech,
                        {
                            "category": "external_service",
                            "currency": "BRL",
                            "amount": str(rng.choice([1800, 3500, 5200])),
                            "description": "Assistência técnica do fabricante",
                        },
                        resolved,
                    ),
                    resolved,
                )
            )
        steps.append(
            (
                record_loss(
                    tech,
                    assets[tag],
                    resolved,
                    restored_at=restored,
                ),
                resolved,
            )
        )
        if resolved < now:
            steps.append(
                (
                    work.resolve(tech, "Máquina testada e liberada para a produção.", [], resolved),
                    resolved,
                )
            )
            if rng.random() < 0.8:
                confirmed = resolved + timedelta(hours=rng.uniform(1, 20))
                steps.append((work.confirm(ticket.requester.email, confirmed), confirmed))
                steps.append(
                    (
                        work.rate(
                            ticket.requester.email, rng.choice([3, 4, 4, 5, 5, 5]), "", confirmed
                        ),
                        confirmed,
                    )
                )
        for decide, at in steps:
            tickets.apply(ticket.id, decide, at)
        tickets.apply(
            ticket.id, _mark_deadlines(responded, resolved if resolved < now else None), now
        )
        _auto_close(tickets, directory, ticket.id, now)
    return count


def _auto_close(tickets, directory, ticket_id: str, now: datetime) -> None:
    """What the auto-close timers did to a resolved ticket nobody confirmed: its reminder and
    its close, when their time has passed (shared/timers/closing.py)."""
    found = closing_milestones(tickets.get(ticket_id), directory)
    for milestone in found:
        if milestone.due < now:
            tickets.apply(
                ticket_id, lambda _t, m=milestone: closing_change(m, found, m.due), milestone.due
            )


def _mark_deadlines(responded: datetime, resolved: datetime | None):
    """What the timers would have recorded, had they run during those months."""

    def decide(ticket: Ticket) -> Change | None:
        updates = {}
        if responded > ticket.response_due:
            updates["response_breached_at"] = ticket.response_due
        if (resolved or datetime.now(UTC)) > ticket.resolution_due:
            updates["resolution_breached_at"] = ticket.resolution_due
        if not updates:
            return None
        return Change({**updates, "sla_flag": "breached"})

    return decide


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=80)
    args = parser.parse_args(argv)
    seeded = seed(args.tickets, datetime.now(UTC))
    print(f"seeded {seeded} tickets of demo history", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
