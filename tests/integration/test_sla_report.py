"""The SLA report against a brute-force computation over the tickets.

Tickets live random lives through the real actions and timers (responses, pauses, resolutions,
reopenings, ratings, costs, losses, warnings and breaches, some timers delivered twice); the
report reads only its daily rollups. Its JSON figures, the text of its PDF and its CSV must
equal what a plain computation over every ticket gives.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from pypdf import PdfReader

from shared.actions import sla as sla_actions
from shared.actions import work
from shared.actions.cancel import cancel
from shared.actions.costs import add_cost, record_loss
from shared.auth.managers import key_digest
from shared.bootstrap import report_services
from shared.config import Config
from shared.domain.report_share import SHARDS, minute_bucket
from shared.domain.ticket import OPEN_STATUSES, Status
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.repositories.firestore import TICKETS
from shared.timers.payload import TimerPayload
from shared.timers.service import fire, ticket_milestones
from tests.integration.conftest import TIMER_SECRET, make_client
from tests.integration.timing import ORG, SP

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=SP).astimezone(UTC)
MANAGER = "helena.prado@metalvale.com.br"
MANAGER_KEY = "manager-key-helena-report-0123456789"
TECH = "carlos.mendes@metalvale.com.br"
REQUESTERS = [
    "lucas.oliveira@metalvale.com.br",
    "fernanda.gomes@metalvale.com.br",
    "paulo.ribeiro@metalvale.com.br",
    "ana.souza@metalvale.com.br",
]
SHAPES = {
    "inc-linha-parada": ("incident", ["CNC-01", "PRENSA-01", "ROBO-SOLDA-01"]),
    "inc-degradacao": ("incident", ["CNC-01", "PRENSA-01", "COMPRESSOR-01"]),
    "inc-sistema-fora": ("incident", ["ERP-PROTHEUS", "MES-CHAO-FABRICA"]),
    "req-manutencao-preventiva": ("request", ["CNC-01", "PRENSA-01"]),
}
FIELDS = {
    "inc-linha-parada": lambda tag: {"linha": "usinagem-1", "maquina": tag, "sintoma": "parou"},
    "inc-degradacao": lambda tag: {"maquina": tag, "sintoma": "lento"},
    "inc-sistema-fora": lambda tag: {"sistema": tag},
    "req-manutencao-preventiva": lambda tag: {"maquina": tag, "servico": "lubrificar"},
}
ASSETS = {asset.tag: asset for asset in ORG.assets}


# --- tickets living random lives through the real actions and timers -------------------------


def fire_due(world, ticket_id: str, until: datetime, rng: random.Random) -> None:
    """Every warning and breach timer due by `until`, as Cloud Tasks would deliver them."""
    _db, directory, tickets, queue = world
    for _ in range(20):
        ticket = tickets.get(ticket_id)
        due = sorted(
            (
                m
                for m in ticket_milestones(ticket, directory)
                if m.kind in ("warning", "breach")
                and m.due <= until
                and m.key not in ticket.milestones_done
            ),
            key=lambda m: m.due,
        )
        if not due:
            return
        milestone = due[0]
        payload = TimerPayload(
            ticket_id, milestone.key, ticket.clock_version, milestone.due.isoformat()
        )
        deliveries = 2 if rng.random() < 0.3 else 1  # Cloud Tasks delivers at least once
        outcomes = [
            fire(
                payload,
                tickets=tickets,
                directory=directory,
                queue=queue,
                now=lambda m=milestone: m.due,
            )
            for _ in range(deliveries)
        ]
        assert outcomes[0] == "fired"
        assert set(outcomes[1:]) <= {"nothing"}


def live(
    world,
    rng: random.Random,
    index: int,
    title: str | None = None,
    idle: bool = False,
    cancelled: bool = False,
) -> str:
    """A ticket opened at a random instant of November that lives a random life (or, `idle`,
    is opened on the 2nd and never answered: it breaches)."""
    _, directory, tickets, _ = world
    policy = rng.choice(sorted(SHAPES))
    kind, assets = SHAPES[policy]
    tag = rng.choice(assets)
    opened = datetime(2026, 11, 2, 7, tzinfo=SP).astimezone(UTC) + timedelta(
        minutes=0 if idle else rng.randrange(0, 60 * 24 * 23)
    )
    requester = rng.choice(REQUESTERS)
    submission = Submission.model_validate(
        {
            "submission_id": f"report-{index}",
            "source": "api",
            "type": kind,
            "policy": policy,
            "title": title or f"Chamado {index}",
            "requester": {"email": requester},
            "asset": tag,
            "fields": FIELDS[policy](tag),
        }
    )
    ticket, _ = open_ticket(
        submission, "api", directory=directory, tickets=tickets, config=Config(), now=lambda: opened
    )
    moment = opened
    responsible = ticket.responsible.email if ticket.responsible else TECH

    def step(decide_at, hours: float) -> bool:
        nonlocal moment
        moment = moment + timedelta(minutes=rng.randrange(1, int(hours * 60) + 2))
        if moment >= NOW:
            return False
        fire_due(world, ticket.id, moment, rng)
        tickets.apply(ticket.id, decide_at(moment), moment)
        return True

    if cancelled:  # opened by mistake or twice: perhaps taken on, then cancelled
        if rng.random() < 0.5:
            step(lambda at: sla_actions.acknowledge(responsible, at), 3)
        step(lambda at: cancel(requester, "aberto por engano", None, at), 30)
    elif (
        not idle
        and rng.random() < 0.85
        and step(lambda at: sla_actions.acknowledge(responsible, at), 3)
    ):
        if rng.random() < 0.3 and step(
            lambda at: sla_actions.wait_on_requester(responsible, "Qual o código do alarme?", at),
            4,
        ):
            step(lambda at: work.add_information(requester, "Alarme 2001", [], at, directory), 30)
        if rng.random() < 0.5:
            step(lambda at: add_cost(TECH, _expense(rng), at), 5)
        if kind == "incident" and rng.random() < 0.5:
            back = timedelta(minutes=rng.randrange(0, 120))

            def loss(at):
                restored = max(opened + timedelta(minutes=1), at - back)
                return record_loss(TECH, ASSETS[tag], at, restored_at=restored)

            step(loss, 8)
        if rng.random() < 0.75 and step(lambda at: work.resolve(responsible, "ok", [], at), 40):
            if rng.random() < 0.15 and step(lambda at: work.reopen(requester, "voltou", at), 10):
                step(lambda at: work.resolve(responsible, "agora sim", [], at), 20)
            elif rng.random() < 0.6 and step(lambda at: work.confirm(requester, at), 20):
                score = rng.choice([2, 3, 4, 4, 5, 5])
                step(lambda at: work.rate(requester, score, "", at), 2)
    fire_due(world, ticket.id, NOW, rng)
    return ticket.id


def _expense(rng: random.Random) -> dict:
    currency = rng.choice(["BRL", "BRL", "USD"])
    if rng.random() < 0.4:
        fields = {"category": "labour", "hours": str(rng.randrange(1, 12) / 2), "rate": "85.50"}
    else:
        fields = {"category": rng.choice(["parts", "external_service"])}
        fields["amount"] = str(rng.randrange(100, 400000) / 100)
    return {**fields, "currency": currency, "description": "gasto"}


# --- the brute force ------------------------------------------------------------------------


def measured(ticket, directory) -> dict:
    """One ticket's SLA facts, computed from its fields alone."""
    policy = directory.policy(ticket.policy_id, include_withdrawn=True)
    calendar = directory.calendar(ticket.calendar_id)
    response = resolution = None
    if ticket.status == Status.CANCELLED:  # no service was owed: nothing measured
        return {
            "ticket": ticket,
            "response": None,
            "resolution": None,
            "response_late": False,
            "resolution_late": False,
            "late": None,
            "due": ticket.resolution_due,
        }
    if ticket.responded_at:
        response = calendar.between(ticket.clock_started_at, ticket.responded_at)
    if ticket.status in (Status.RESOLVED, Status.CLOSED):
        paused = sum(
            (calendar.between(p.start, p.end or ticket.resolved_at) for p in ticket.pauses),
            timedelta(),
        )
        resolution = calendar.between(ticket.clock_started_at, ticket.resolved_at) - paused
    response_late = ticket.response_breached_at is not None or (
        response is not None and response > policy.response_time
    )
    resolution_late = ticket.resolution_breached_at is not None or (
        resolution is not None and resolution > policy.resolution_time
    )
    late = None
    if resolution_late or response_late:
        clock = "resolution" if resolution_late else "response"
        took = resolution if clock == "resolution" else response
        target = policy.resolution_time if clock == "resolution" else policy.response_time
        due = ticket.resolution_due if clock == "resolution" else ticket.response_due
        if took is not None:
            late = max(0, int((took - target).total_seconds()))
        else:
            late = int(calendar.between(due, NOW).total_seconds())
    return {
        "ticket": ticket,
        "response": response,
        "resolution": resolution,
        "response_late": response_late,
        "resolution_late": resolution_late,
        "late": late,
        "due": ticket.response_due if ticket.responded_at is None else ticket.resolution_due,
    }


def nearest_rank(values: list[int], p: int) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def bucketed(minutes: int | None) -> int | None:
    return None if minutes is None else minute_bucket(minutes)


def clock_figures(facts: list[dict], clock: str) -> dict:
    met = sum(1 for f in facts if f[clock] is not None and not f[f"{clock}_late"])
    missed = sum(1 for f in facts if f[f"{clock}_late"])
    seconds = [int(f[clock].total_seconds()) for f in facts if f[clock] is not None]
    return {
        "met": met,
        "missed": missed,
        "compliance_percent": round(100 * met / (met + missed), 1) if met + missed else None,
        "measured": len(seconds),
        "mean_minutes": round(sum(seconds) / len(seconds) / 60, 1) if seconds else None,
        # the histograms' precision (exact below 4 business hours, then the bucket's floor)
        "median_minutes": bucketed(nearest_rank([s // 60 for s in seconds], 50)),
        "p90_minutes": bucketed(nearest_rank([s // 60 for s in seconds], 90)),
    }


def brute_force(facts: list[dict]) -> dict:
    tickets = [f["ticket"] for f in facts]
    cost, loss, ratings = Counter(), Counter(), [t.rating.score for t in tickets if t.rating]
    for ticket in tickets:
        for line in ticket.cost_lines:
            if line.superseded_by is None:
                cost[line.currency] += int(line.amount * 100)
        if ticket.loss_currency:
            loss[ticket.loss_currency] += ticket.loss_cents
    return {
        "tickets": len(tickets),
        "open": sum(1 for t in tickets if t.status in OPEN_STATUSES),
        "cancelled": sum(1 for t in tickets if t.status == Status.CANCELLED),
        "breached": sum(
            1 for t in tickets if t.sla_flag == "breached" and t.status != Status.CANCELLED
        ),
        "at_risk": sum(1 for t in tickets if t.sla_flag == "at_risk" and t.status in OPEN_STATUSES),
        "response": clock_figures(facts, "response"),
        "resolution": clock_figures(facts, "resolution"),
        "cost_cents": dict(sorted((k, v) for k, v in cost.items() if v)),
        "loss_cents": dict(sorted((k, v) for k, v in loss.items() if v)),
        "downtime_seconds": sum(t.downtime_seconds for t in tickets),
        "rating": {
            "count": len(ratings),
            "mean": round(sum(ratings) / len(ratings), 2) if ratings else None,
            "distribution": {str(s): ratings.count(s) for s in range(1, 6)},
        },
    }


def dims(ticket) -> dict[str, str]:
    return {
        "type": str(ticket.type),
        "priority": str(ticket.priority),
        "policy": ticket.policy_id,
        "requester_area": ticket.requester.area_id,
        "requester_department": ticket.requester.department_id,
        "responsible_area": ticket.responsible.area_id if ticket.responsible else "",
        "responsible_department": ticket.responsible_department_id,
    }


def filter_values(ticket, name: str) -> set[str]:
    if name in ("area", "department"):
        side = "area_id" if name == "area" else "department_id"
        found = {getattr(ticket.requester, side)}
        if name == "department":
            found.add(ticket.responsible_department_id)
        elif ticket.responsible:
            found.add(ticket.responsible.area_id)
        return found
    if name == "asset":
        return {ticket.asset.tag if ticket.asset else ""}
    return {str(getattr(ticket, name))}


def assert_lists(figures: dict, facts: list[dict]) -> None:
    """The breached list (most late first, then by number) and the at-risk list (soonest due
    first), fifteen lines each, with their counts, as a brute force over the tickets gives."""
    breached = sorted(
        (f for f in facts if f["late"] is not None),
        key=lambda f: (-f["late"], f["ticket"].number),
    )
    assert figures["breached"]["count"] == len(breached)
    assert [(w["number"], w["late_s"]) for w in figures["breached"]["worst"]] == [
        (f["ticket"].number, f["late"]) for f in breached[:15]
    ]
    risky = sorted(
        (
            f
            for f in facts
            if f["late"] is None
            and f["ticket"].sla_flag == "at_risk"
            and f["ticket"].status in OPEN_STATUSES
        ),
        key=lambda f: (int(f["due"].timestamp()), f["ticket"].number),
    )
    assert figures["at_risk"]["count"] == len(risky)
    assert [w["number"] for w in figures["at_risk"]["soonest"]] == [
        f["ticket"].number for f in risky[:15]
    ]


COMPARED = ("tickets", "open", "cancelled", "breached", "at_risk", "response", "resolution")
COMPARED += ("cost_cents", "loss_cents", "downtime_seconds", "rating")


def subset(figures: dict) -> dict:
    return {key: figures[key] for key in COMPARED}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def reports(notifications_env, demo_org, monkeypatch):
    monkeypatch.setenv("HELPDESK_MANAGER_KEYS", json.dumps({key_digest(MANAGER_KEY): MANAGER}))
    monkeypatch.setattr("shared.bootstrap.utc_now", lambda: NOW)
    yield reset_reports()
    report_services.cache_clear()


def unlinked(figures: dict) -> dict:
    """The figures without the lines' signed links (each signed when the report is made)."""
    for name, lines in (("breached", "worst"), ("at_risk", "soonest")):
        for line in figures[name][lines]:
            line.pop("link", None)
    return figures


def reset_reports():
    """The reports function, built again from the environment as it is now."""
    from shared.bootstrap import services

    report_services.cache_clear()
    services.cache_clear()
    return make_client("reports")


def get(client, **args):
    return client.get("/sla", query_string=args, headers={"X-Helpdesk-Key": MANAGER_KEY})


@pytest.fixture
def lived(world, demo_org):
    rng = random.Random(7)
    ids = [live(world, rng, index) for index in range(36)]
    ids.append(live(world, rng, 99, title=HOSTILE, idle=True))
    ids += [live(world, rng, 100 + index, cancelled=True) for index in range(4)]
    _db, directory, tickets, _ = world
    facts = [measured(tickets.get(ticket_id), directory) for ticket_id in ids]
    return facts


# --- the tests --------------------------------------------------------------------------------

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
HOSTILE = '<script>alert("x")</script> & <b>prensa</b>'


def test_the_figures_equal_a_brute_force_computation_over_the_tickets(reports, lived):
    answer = get(reports, **PERIOD, format="json")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    figures = answer.json
    assert subset(figures["overall"]) == brute_force(lived)
    # enough happened for the comparison to mean something
    overall = figures["overall"]
    assert overall["response"]["missed"]
    assert overall["resolution"]["missed"]
    assert overall["response"]["met"]
    assert overall["resolution"]["met"]
    assert overall["rating"]["count"]
    assert overall["cancelled"]  # and left the compliance figures (the brute force's rule)
    assert figures["at_risk"]["soonest"]
    for name in dims(lived[0]["ticket"]):
        groups = defaultdict(list)
        for fact in lived:
            groups[dims(fact["ticket"])[name]].append(fact)
        assert {key: subset(value) for key, value in figures["breakdowns"][name].items()} == {
            key: brute_force(facts) for key, facts in groups.items()
        }, name
    assert_lists(figures, lived)
    incidents = Counter(f["ticket"].asset.tag for f in lived if f["ticket"].type == "incident")
    assert [(row["asset"], row["incidents"]) for row in figures["pareto"]] == sorted(
        incidents.items(), key=lambda item: (-item[1], item[0])
    )
    # whole weeks and the days at the edges (each in shards), never one read per ticket
    assert figures["documents_read"] <= 6 * SHARDS


def test_priorities_read_from_the_most_urgent_down(reports, lived):
    priorities = list(get(reports, **PERIOD, format="json").json["breakdowns"]["priority"])
    order = ["critical", "high", "medium", "low"]
    assert priorities == [p for p in order if p in priorities]
    assert len(priorities) >= 3


def test_filters_narrow_every_figure(reports, lived):
    figures = get(reports, **PERIOD, format="json", area="producao", type="incident").json
    chosen = [
        f
        for f in lived
        if f["ticket"].type == "incident"
        and "producao" in (f["ticket"].requester.area_id, f["ticket"].responsible.area_id)
    ]
    assert chosen
    assert len(chosen) < len(lived)
    assert subset(figures["overall"]) == brute_force(chosen)
    assert_lists(figures, chosen)


@pytest.mark.parametrize(
    "filters", [{"area": "manutencao"}, {"priority": "critical"}, {"asset": "CNC-01"}]
)
def test_the_lists_follow_each_filter(reports, lived, filters):
    """One filter selects the lists' tickets in the query, the others are checked after it."""
    figures = get(reports, **PERIOD, format="json", **filters).json
    ((name, value),) = filters.items()
    chosen = [f for f in lived if value in filter_values(f["ticket"], name)]
    assert chosen
    assert subset(figures["overall"]) == brute_force(chosen)
    assert_lists(figures, chosen)


def test_the_lists_read_page_after_page_until_they_have_their_lines(reports, lived, monkeypatch):
    """Pages of three tickets: the lists are the same, with a filter checked after the query."""
    from shared.repositories import watch_lists

    monkeypatch.setattr(watch_lists, "PAGE", 3)
    for filters in ({}, {"area": "producao", "type": "incident"}):
        figures = get(reports, **PERIOD, format="json", **filters).json
        chosen = [
            f
            for f in lived
            if all(value in filter_values(f["ticket"], name) for name, value in filters.items())
        ]
        assert_lists(figures, chosen)


def test_the_lists_show_fifteen_lines_when_there_are_more(reports, lived):
    """More breaches than the PDF shows: the first fifteen, in order, and the whole count."""
    figures = get(reports, **PERIOD, format="json").json
    assert figures["breached"]["count"] > 15
    assert len(figures["breached"]["worst"]) == 15
    assert_lists(figures, lived)


def test_running_breaches_of_each_calendar_are_merged_by_their_business_lateness(reports, lived):
    """Breaches still running on the plant's and the office's calendars: the list is in
    business lateness across both, though each calendar's is read in due order."""
    running = [f for f in lived if f["late"] is not None and f["ticket"].status in OPEN_STATUSES]
    calendars = {f["ticket"].calendar_id for f in running}
    assert calendars == {"fabrica-3-turnos", "administrativo"}
    figures = get(reports, **PERIOD, format="json").json
    shown = {w["number"] for w in figures["breached"]["worst"]}
    assert {f["ticket"].calendar_id for f in running if f["ticket"].number in shown} == calendars
    assert_lists(figures, lived)


def test_the_pdf_says_what_the_figures_say_in_the_managers_language(reports, lived):
    answer = get(reports, **PERIOD)
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    assert 4 <= len(reader.pages) <= 12
    text = "\n".join(page.extract_text() for page in reader.pages)
    expected = brute_force(lived)
    assert "Relatório de SLA" in text
    for clock in ("response", "resolution"):
        percent = f"{expected[clock]['compliance_percent']:.1f}".replace(".", ",") + "%"
        assert percent in text, (clock, percent)
    breached = sorted(
        (f for f in lived if f["late"] is not None),
        key=lambda f: (-f["late"], f["ticket"].number),
    )
    for fact in breached[:15]:
        assert fact["ticket"].number in text
    squeezed = "".join(text.split())  # table cells wrap long words
    assert "".join(HOSTILE.split()) in squeezed  # shown as text, never run: it was escaped
    policy = ORG.policies[0]
    flat = " ".join(text.split())
    assert policy.provider_responsibilities.get("pt-BR")[:40] in flat
    assert "Calendário: Fábrica — três turnos" in flat  # the calendar's name, not its id
    assert "fabrica-3-turnos" not in flat
    spanish = get(reports, **PERIOD, lang="es")
    spanish_text = PdfReader(io.BytesIO(spanish.data)).pages[0].extract_text()
    assert "Informe de SLA" in spanish_text
    assert "cumplimiento del sla" in spanish_text.lower()


def test_the_pdf_in_every_language_with_one_direction_per_axis(reports, lived):
    """Every text of the PDF in each language (no placeholder or key left), the listed
    tickets linked to pages that show their costs and breaches, and each chart's axis read
    one way (all labels level, or all tilted)."""
    from shared.bootstrap import page_services
    from shared.reports.sla import deliver
    from shared.reports.sla.catalog import LOCALES
    from shared.reports.sla.query import parse_report_query
    from shared.reports.sla.render import report_html

    for locale in LOCALES:
        answer = get(reports, **PERIOD, lang=locale, format="json")
        assert answer.status_code == 200
        pdf = get(reports, **PERIOD, lang=locale)
        reader = PdfReader(io.BytesIO(pdf.data))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert "{" not in text, locale
        assert "fabrica-3-turnos" not in text, locale
        links = [
            annotation.get_object()["/A"]["/URI"]
            for page in reader.pages
            for annotation in page.get("/Annots") or []
            if "/A" in annotation.get_object() and "/t/" in annotation.get_object()["/A"]["/URI"]
        ]
        assert links, locale
    # The worst ticket's link opens its page with its breach, its costs and its loss.
    page_services.cache_clear()
    page = make_client("pages").get("/t/" + links[0].split("/t/", 1)[1])
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "vencido" in body.lower()
    assert "Despesas e perda financeira" in body
    app = report_services()
    manager = app.base.directory.lookup([MANAGER], [])[0][MANAGER]
    query = parse_report_query(PERIOD, NOW.date())
    html = report_html(deliver.report_for(app, manager, query, "pt-BR"))
    axes = [
        re.findall(r'<text x="[^"]+" y="178"[^>]*>', chart)  # the x axis's labels
        for chart in re.findall(r"<svg.*?</svg>", html, re.S)
    ]
    assert sum(len(labels) for labels in axes) >= 4
    for labels in axes:
        assert len({"rotate" in label for label in labels}) <= 1, labels


def test_the_csv_lists_every_ticket_with_its_business_times(reports, lived):
    answer = get(reports, **PERIOD, format="csv")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    # A pt-BR spreadsheet: ";" between cells, "," before decimals, times to the second.
    text = answer.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_number = {row["number"]: row for row in rows}
    assert len(rows) == len(lived)
    english = get(reports, **PERIOD, format="csv", lang="en").get_data(as_text=True)
    english_rows = {
        row["number"]: row for row in csv.DictReader(io.StringIO(english.lstrip("\ufeff")))
    }
    for fact in lived:
        ticket = fact["ticket"]
        row = by_number[ticket.number]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["created_at"])
        # The organisation's currency first; another one alone stands in its place.
        costs = ticket.cost_cents
        code = "BRL" if "BRL" in costs else min(costs, default="")
        expected = f"{costs[code] / 100:.2f}" if code else ""
        assert (row["costs"], row["costs_currency"]) == (expected.replace(".", ","), code)
        assert english_rows[ticket.number]["costs"] == expected
        if ticket.loss_currency:
            assert row["loss"] == f"{ticket.loss_cents / 100:.2f}".replace(".", ",")
        response = fact["response"]
        minutes = "" if response is None else str(int(response.total_seconds()) // 60)
        assert row["response_business_minutes"] == minutes
        done = fact["resolution"] is not None
        verdict = "missed" if fact["resolution_late"] else "met" if done else "pending"
        assert row["resolution_sla"] == verdict
    hostile = next(row for row in rows if "<script>" in row["title"])
    assert hostile["title"].startswith("<script>")  # plain text in a CSV, not a formula


def test_a_ticket_change_moves_its_figures_and_a_repeated_change_does_not(reports, world):
    rng = random.Random(3)
    ticket_id = live(world, rng, 1)
    _, _, tickets, _ = world
    before = get(reports, **PERIOD, format="json").json["overall"]
    ticket = tickets.get(ticket_id)
    decide = add_cost(
        TECH,
        {"category": "parts", "amount": "10.00", "currency": "BRL", "description": "peça"},
        NOW,
    )
    tickets.apply(ticket_id, decide, NOW)
    after = get(reports, **PERIOD, format="json").json["overall"]
    assert after["cost_cents"].get("BRL", 0) == before["cost_cents"].get("BRL", 0) + 1000
    assert ticket.report_share is not None
    # the same timer or event delivered again changes nothing
    fire_due(world, ticket_id, NOW, rng)
    assert get(reports, **PERIOD, format="json").json["overall"] == after


def test_the_hourly_fold_changes_no_figure_and_later_changes_still_count(
    reports, world, lived, db, monkeypatch
):
    """The fold moves the quiet shards into a few documents per period: the figures stay what
    they were, run twice or not; later changes land in live shards again and count once."""
    from shared.repositories import rollup_fold

    monkeypatch.setenv("HELPDESK_TIMER_SECRET", TIMER_SECRET)
    reports = reset_reports()
    before = get(reports, **PERIOD, format="json").json
    monkeypatch.setattr(rollup_fold, "QUIET", timedelta(0))
    assert reports.post("/rollups/fold").status_code == 401  # only Cloud Scheduler
    timer = {"X-Helpdesk-Timer-Secret": TIMER_SECRET}
    first, again = (reports.post("/rollups/fold", headers=timer) for _ in range(2))
    assert first.status_code == again.status_code == 200
    assert first.json["shards"] > 0
    assert again.json == {"periods": 0, "shards": 0, "left": 0}
    after = get(reports, **PERIOD, format="json").json
    assert after["documents_read"] < before["documents_read"]
    del before["documents_read"], after["documents_read"]
    assert unlinked(after) == unlinked(before)
    # changes after the fold: costs on folded tickets, and new tickets living their lives
    _, directory, tickets, _ = world
    cost = {"category": "parts", "amount": "10.00", "currency": "BRL", "description": "peça"}
    for fact in lived[:5]:
        tickets.apply(fact["ticket"].id, add_cost(TECH, cost, NOW), NOW)
    rng = random.Random(11)
    fresh = [live(world, rng, 200 + index) for index in range(6)]
    facts = [measured(tickets.get(f["ticket"].id), directory) for f in lived]
    facts += [measured(tickets.get(ticket_id), directory) for ticket_id in fresh]
    figures = get(reports, **PERIOD, format="json").json
    assert subset(figures["overall"]) == brute_force(facts)
    assert figures["overall"]["cost_cents"]["BRL"] == before["overall"]["cost_cents"].get(
        "BRL", 0
    ) + 5 * 1000 + sum(
        sum(int(line.amount * 100) for line in tickets.get(t).cost_lines if not line.superseded_by)
        for t in fresh
    )
    assert_lists(figures, facts)
    assert reports.post("/rollups/fold", headers=timer).json["shards"] > 0
    assert get(reports, **PERIOD, format="json").json["overall"] == figures["overall"]


def test_a_shard_written_while_folding_is_left_whole_for_the_next_fold(world, lived, db):
    from google.cloud import firestore
    from google.cloud.firestore_v1.base_query import FieldFilter

    from shared.repositories import rollup_fold
    from shared.repositories.rollups import REPORT_WEEKS

    live_shards = [
        snapshot
        for snapshot in db.collection(REPORT_WEEKS)
        .where(filter=FieldFilter("live", "==", True))
        .stream()
        if snapshot.get("week") == "2026-11-02"
    ]
    assert live_shards
    written = live_shards[0]
    cell = next(iter(written.get("cells")))
    written.reference.update({f"cells.{cell}.n": firestore.Increment(1)})  # a ticket, meanwhile
    assert not rollup_fold._fold_period(db, REPORT_WEEKS, "week", "2026-11-02", live_shards)
    assert written.reference.get().get(f"cells.{cell}.n") == written.get(f"cells.{cell}.n") + 1
    assert all(s.reference.get().exists for s in live_shards)
    folded = db.collection(REPORT_WEEKS).where(filter=FieldFilter("group", ">=", 0)).stream()
    assert not [s for s in folded if s.get("week") == "2026-11-02"]


def test_the_migration_moves_every_ticket_once_resumably_beside_live_changes(
    reports, world, lived, db
):
    """Tickets whose shares were added to the rollups before shards are moved to the new
    ones: stopped half-way, run again, run once more after the end, with a ticket changing
    meanwhile, every ticket counts once and the old documents are gone."""
    from google.cloud import firestore

    from shared.domain.report_share import Rollup
    from shared.repositories.rollup_migration import migrate
    from shared.repositories.rollups import LEGACY, REPORT_DAYS, REPORT_WEEKS

    _, directory, tickets, _ = world
    for collection in (REPORT_DAYS, REPORT_WEEKS):
        for snapshot in db.collection(collection).stream():
            snapshot.reference.delete()
    for fact in lived:  # as the help desk before shards left them
        ref = db.collection(TICKETS).document(fact["ticket"].id)
        ref.update({"report_share.shard": firestore.DELETE_FIELD})
    db.collection(LEGACY[1]).document("2026-11-02").set({"week": "2026-11-02", "watch": {}})
    assert get(reports, **PERIOD, format="json").json["overall"]["tickets"] == 0
    rollup = Rollup(directory)
    half = migrate(db, rollup, page=10, max_pages=2)
    assert (half.moved, half.done) == (20, False)
    assert get(reports, **PERIOD, format="json").json["overall"]["tickets"] == 20
    # a ticket not moved yet changes: its change moves it
    late = sorted(f["ticket"].id for f in lived)[-1]
    cost = {"category": "parts", "amount": "10.00", "currency": "BRL", "description": "peça"}
    tickets.apply(late, add_cost(TECH, cost, NOW), NOW)
    rest = migrate(db, rollup, page=10)
    assert rest.done
    assert rest.moved == len(lived) - 1  # the changed one was moved by its change
    assert rest.legacy_deleted == 1
    again = migrate(db, rollup, page=10)
    assert again.moved == rest.moved
    facts = [measured(tickets.get(f["ticket"].id), directory) for f in lived]
    figures = get(reports, **PERIOD, format="json").json
    assert subset(figures["overall"]) == brute_force(facts)
    assert_lists(figures, facts)
    assert not list(db.collection(LEGACY[1]).stream())


def test_bad_requests_are_refused_and_named(reports, demo_org):
    assert reports.get("/sla", query_string=PERIOD).status_code == 401
    wrong = get(reports, **{"from": "2026-13-01"})
    assert wrong.status_code == 400
    assert "from" in wrong.get_data(as_text=True)
    assert "lang" in get(reports, lang="fr").get_data(as_text=True)
    assert "format" in get(reports, format="docx").get_data(as_text=True)
    assert "planet" in get(reports, planet="mars").get_data(as_text=True)
    assert get(reports, **{"from": "2026-11-30", "to": "2026-11-01"}).status_code == 400
    posted = reports.post("/sla", headers={"X-Helpdesk-Key": MANAGER_KEY})
    assert posted.status_code == 405
    assert reports.get("/other", headers={"X-Helpdesk-Key": MANAGER_KEY}).status_code == 404


def test_a_requester_is_not_a_manager(reports, demo_org, monkeypatch):
    key = "requester-key-lucas-0123456789-abcdef"
    monkeypatch.setenv(
        "HELPDESK_MANAGER_KEYS",
        json.dumps({key_digest(key): "lucas.oliveira@metalvale.com.br"}),
    )
    report_services.cache_clear()
    from shared.bootstrap import services

    services.cache_clear()
    answer = make_client("reports").get("/sla", headers={"X-Helpdesk-Key": key})
    assert answer.status_code == 403


def test_an_empty_period_still_makes_a_report(reports):
    assert get(reports, **{"from": "2025-01-01", "to": "2025-01-31"}).status_code == 200
    figures = get(reports, **{"from": "2025-01-01", "to": "2025-01-31"}, format="json").json
    assert figures["overall"]["tickets"] == 0
    assert figures["overall"]["response"]["compliance_percent"] is None


def test_the_rollup_is_read_not_the_tickets(reports, lived, db):
    """Deleting every ticket leaves the report's figures as they were: it never read them."""
    before = get(reports, **PERIOD, format="json").json
    for snapshot in db.collection(TICKETS).stream():
        snapshot.reference.delete()
    after = get(reports, **PERIOD, format="json").json
    assert after["overall"] == before["overall"]
    assert date.fromisoformat(after["period"]["from"]) == date(2026, 11, 1)


def test_a_long_period_is_rendered_in_the_background_and_mailed_once(
    reports, paused_queue, lived, smtp_inbox
):
    from google.cloud import tasks_v2

    from tests.integration.conftest import TIMER_SECRET

    half_year = {"from": "2026-06-01", "to": "2026-11-30"}
    answer = get(reports, **half_year)
    assert answer.status_code == 202
    assert answer.json["email"] == MANAGER
    assert get(reports, **half_year).json["job"] == answer.json["job"]  # asked twice: one job
    client, queue = paused_queue
    request = tasks_v2.ListTasksRequest(parent=queue, response_view=tasks_v2.Task.View.FULL)
    tasks = list(client.list_tasks(request=request))
    assert {task.name.rsplit("/", 1)[1] for task in tasks} == {answer.json["job"]}
    task = tasks[0]
    assert task.http_request.url.endswith("/jobs")
    assert reports.post("/jobs", data=task.http_request.body).status_code == 401
    headers = {"X-Helpdesk-Timer-Secret": TIMER_SECRET, "Content-Type": "application/json"}
    for _ in range(2):  # Cloud Tasks delivers at least once
        done = reports.post("/jobs", data=task.http_request.body, headers=headers)
        assert done.status_code == 200, done.get_data(as_text=True)
    mails = smtp_inbox.to(MANAGER)
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Relatório de SLA 2026-06-01 a 2026-11-30"
    body = mails[0].get_body(("plain",)).get_content()
    assert body.startswith("Olá, Helena Prado,")
    pdf_url, csv_url, console_url = re.findall(r"https?://\S+", body)
    assert console_url.rstrip("/").endswith(":8715")  # the console (the settings' default)
    pdf = requests.get(pdf_url, timeout=10)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf.content)).pages
        for annotation in page.get("/Annots") or []
    ]
    assert csv_url in links  # the PDF points to its CSV
    listed = requests.get(csv_url, timeout=10).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(listed), delimiter=";"))
    assert len(rows) == len(lived)
    assert "number" in rows[0]


def test_a_queued_report_is_not_sent_to_someone_no_longer_a_manager(
    reports, paused_queue, lived, smtp_inbox, db, monkeypatch
):
    from google.cloud import tasks_v2

    from shared.repositories.firestore import PEOPLE
    from tests.integration.conftest import TIMER_SECRET

    monkeypatch.setenv("HELPDESK_DIRECTORY_CACHE_SECONDS", "0")
    report_services.cache_clear()
    answer = get(reports, **{"from": "2026-06-01", "to": "2026-11-30"})
    assert answer.status_code == 202
    client, queue = paused_queue
    request = tasks_v2.ListTasksRequest(parent=queue, response_view=tasks_v2.Task.View.FULL)
    (task,) = client.list_tasks(request=request)
    db.collection(PEOPLE).document(MANAGER).update({"role": "agent"})  # moved to another job
    headers = {"X-Helpdesk-Timer-Secret": TIMER_SECRET, "Content-Type": "application/json"}
    done = reports.post("/jobs", data=task.http_request.body, headers=headers)
    assert (done.status_code, done.json["outcome"]) == (200, "manager gone")
    assert smtp_inbox.to(MANAGER) == []
