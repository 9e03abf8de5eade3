"""The daily digest, end to end: Cloud Scheduler's run plans one task per person in the tasks
emulator (paused, so the test reads them); each task, POSTed to the digest function at the
start of its person's first working interval (08:00 on the administrative calendar), sends one
e-mail with that person's tickets, in their language, once however often it runs."""

from __future__ import annotations

import json
import re

import pytest

from shared.actions import sla as sla_actions
from shared.actions.transfer import transfer
from shared.config import Config
from shared.intake.schema import Submission
from shared.intake.service import open_ticket
from shared.repositories.directory import StaticDirectory, person_of
from shared.timers.payload import TimerPayload
from shared.timers.service import fire
from tests.integration.conftest import (
    RESPONSIBLE,
    TIMER_SECRET,
    incident,
    make_client,
)
from tests.integration.timing import ORG, sp, tickets_of

START = sp(1, 8)  # Tuesday 1 December 2026, 08:00 in São Paulo
DIEGO = "diego.martinez@metalvale.com.br"  # an agent who reads Spanish
EMILY = "emily.carter@metalvale.com.br"  # an agent who reads English
RICARDO = "ricardo.almeida@metalvale.com.br"  # a manager
RAFAEL = "rafael.santos@metalvale.com.br"  # Carlos's colleague in Manutenção Mecânica


@pytest.fixture
def digest(paused_queue, notifications_env, demo_org, monkeypatch):
    from shared.bootstrap import digest_services, services

    clock = {"now": sp(1, 0, 5)}
    monkeypatch.setattr("shared.bootstrap.utc_now", lambda: clock["now"])
    monkeypatch.setenv("HELPDESK_DIGEST_URL", "https://digest.example.test/")
    services.cache_clear()
    digest_services.cache_clear()
    yield make_client("digest"), clock
    services.cache_clear()
    digest_services.cache_clear()


def _open(db, submission_id: str, at, **overrides):
    directory = StaticDirectory(ORG)
    tickets = tickets_of(db, directory)
    submission = Submission.model_validate(incident(submission_id=submission_id, **overrides))
    ticket, _ = open_ticket(
        submission, "api", directory=directory, tickets=tickets, config=Config(), now=lambda: at
    )
    return ticket, tickets, directory


def _hand_to(tickets, directory, ticket, email, at):
    person = person_of(directory, email)
    tickets.apply(
        ticket.id, transfer(RESPONSIBLE, person, person.department, "turno", directory, at), at
    )


def _tasks(paused_queue) -> list[dict]:
    client, name = paused_queue
    found = []
    request = {"parent": name, "response_view": 2}  # FULL: with the body
    for task in client.list_tasks(request=request):
        found.append(
            {
                "name": task.name.rsplit("/", 1)[1],
                "at": task.schedule_time,
                "body": json.loads(task.http_request.body),
            }
        )
    return found


def _send(client, body: dict):
    answer = client.post(
        "/send",
        data=json.dumps(body),
        headers={"X-Helpdesk-Timer-Secret": TIMER_SECRET, "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json["outcome"]


def test_each_person_gets_one_digest_a_day_with_their_own_tickets_in_their_language(
    digest, paused_queue, db, smtp_inbox
):
    client, clock = digest
    overdue, tickets, directory = _open(db, "digest-late", sp(30, 20), title="Prensa 2 parada")
    breach = TimerPayload(overdue.id, "response-breach", 1, overdue.response_due.isoformat())
    fire(
        breach,
        tickets=tickets,
        directory=directory,
        queue=_NoQueue(),
        now=lambda: overdue.response_due,
    )
    colleagues, *_ = _open(db, "digest-dept", sp(30, 21), title="Ponte rolante sem freio")
    late = TimerPayload(colleagues.id, "response-breach", 1, colleagues.response_due.isoformat())
    moment = colleagues.response_due
    fire(late, tickets=tickets, directory=directory, queue=_NoQueue(), now=lambda: moment)
    _hand_to(tickets, directory, colleagues, RAFAEL, sp(30, 22))
    today, *_ = _open(db, "digest-today", sp(1, 7, 50), title="Esteira 4 travando")
    waiting, *_ = _open(db, "digest-waiting", sp(1, 7), title="Compressor com ruído")
    tickets.apply(waiting.id, sla_actions.acknowledge(RESPONSIBLE, sp(1, 7, 1)), sp(1, 7, 1))
    wait = sla_actions.wait_on_requester(RESPONSIBLE, "Qual o código?", sp(1, 7, 2))
    tickets.apply(waiting.id, wait, sp(1, 7, 2))
    spanish, *_ = _open(db, "digest-es", sp(1, 7, 30), title="Painel elétrico desarmou")
    _hand_to(tickets, directory, spanish, DIEGO, sp(1, 7, 31))
    english, *_ = _open(db, "digest-en", sp(1, 7, 58), title="Servidor do ERP lento")
    _hand_to(tickets, directory, english, EMILY, sp(1, 7, 59))

    # Cloud Scheduler's run, and a second one (a retry): the same named tasks
    headers = {"X-Helpdesk-Timer-Secret": TIMER_SECRET}
    for _ in range(2):
        planned = client.post("/start", headers=headers)
        assert planned.status_code == 200, planned.get_data(as_text=True)
    tasks = _tasks(paused_queue)
    people = [task["body"]["email"] for task in tasks]
    assert RESPONSIBLE in people
    assert DIEGO in people
    assert RICARDO in people
    assert "lucas.oliveira@metalvale.com.br" not in people  # a requester gets none
    assert {task["at"].timestamp() for task in tasks} == {START.timestamp()}

    clock["now"] = START
    outcomes = {}
    for task in tasks + tasks:  # every task delivered twice
        outcomes.setdefault(task["body"]["email"], []).append(_send(client, task["body"]))
    # the emulator keeps both runs' tasks (production drops a name it has seen): each
    # person's digest is sent by the first delivery, and every other finds it sent
    names = {task["body"]["email"]: task["name"] for task in tasks}
    assert len({task["name"] for task in tasks}) == len(names)  # one name per person
    for person in (RESPONSIBLE, DIEGO):
        assert outcomes[person][0] == "sent"
        assert set(outcomes[person][1:]) == {"already_sent"}
    mails = {m["To"].addresses[0].addr_spec: m for m in smtp_inbox.messages}
    assert len(smtp_inbox.messages) == len(mails)  # one each

    carlos = mails[RESPONSIBLE].get_body(("plain",)).get_content()
    assert mails[RESPONSIBLE]["Subject"].startswith("Resumo do dia, 1 de dezembro de 2026")
    own = carlos.split("Manutenção Mecânica:")[0]
    assert "Atrasados" in own
    assert f"{overdue.number} · Prensa 2 parada" in own
    assert "Vencem hoje" in own
    assert f"{today.number} · Esteira 4 travando" in own
    assert "Aguardando o solicitante" in own
    assert waiting.number in own
    assert spanish.number not in carlos
    assert english.number not in carlos
    # he heads Manutenção Mecânica: a colleague's breach, not yet taken on; his own tickets
    # are not repeated there
    department = carlos.split("Manutenção Mecânica: prazo estourado")[1]
    assert f"{colleagues.number} · Ponte rolante sem freio" in department
    assert "Manutenção Mecânica: ainda sem atendimento" in department
    assert today.number not in department
    assert overdue.number not in department
    assert "/me/" in carlos  # his lists, where the digest is turned off too
    assert "Painel dos gestores:" in carlos  # a department head: the console too

    diego = mails[DIEGO].get_body(("plain",)).get_content()
    assert mails[DIEGO]["Subject"].startswith("Resumen del día")
    assert "Atrasados" in diego  # its first response was due at 07:45
    assert "Panel de los gestores" not in diego  # a technician: no console
    assert spanish.number in diego
    assert overdue.number not in diego
    emily = mails[EMILY].get_body(("plain",)).get_content()
    assert mails[EMILY]["Subject"].startswith("Your day")
    assert "Due today" in emily
    assert english.number in emily

    ricardo = mails[RICARDO].get_body(("plain",)).get_content()
    assert "Ontem" in ricardo
    assert "Últimos 7 dias" in ricardo
    assert "- Abertos: 2" in ricardo  # yesterday (30 November): the press and the crane
    assert "Painel dos gestores:" in ricardo
    assert "- Prazos estourados: 2" in ricardo  # their first responses, missed yesterday


def test_a_person_who_turned_the_digest_off_gets_none(digest, paused_queue, db, pages, smtp_inbox):
    client, clock = digest
    _open(db, "digest-off", sp(1, 7, 50), title="Esteira 4 travando")
    from shared.bootstrap import services
    from shared.links import PersonalLinks

    config = services().config
    personal = PersonalLinks(config.link_secret, "x", config.personal_link_ttl)
    lists = "/me/" + personal.url(RESPONSIBLE).rsplit("/me/", 1)[1]
    page = pages.get(lists).get_data(as_text=True)
    assert "Resumo diário" in page
    token = re.search(
        r'action="[^"]*/digest">\s*<input type="hidden" name="form_token" value="([^"]+)"', page
    )
    assert pages.get(f"{lists}/digest").status_code == 405  # a GET changes nothing
    done = pages.post(f"{lists}/digest", data={"form_token": token.group(1), "off": "1"})
    assert done.status_code == 303
    landed = pages.get(done.headers["Location"]).get_data(as_text=True)
    assert "não receberá mais o resumo diário" in landed
    assert "Voltar a receber o resumo" in landed

    clock["now"] = START
    assert _send(client, {"email": RESPONSIBLE, "day": "2026-12-01"}) == "off"
    assert not smtp_inbox.messages


def test_a_day_not_begun_or_without_work_spends_no_digest(digest, paused_queue, db, smtp_inbox):
    client, clock = digest
    _open(db, "digest-early", sp(1, 7, 50), title="Esteira 4 travando")
    clock["now"] = START
    assert _send(client, {"email": RESPONSIBLE, "day": "2026-12-02"}) == "early"
    assert _send(client, {"email": RESPONSIBLE, "day": "2026-12-05"}) == "early"
    clock["now"] = sp(5, 9)  # Saturday: the administrative calendar does not work
    assert _send(client, {"email": RESPONSIBLE, "day": "2026-12-05"}) == "no_work"
    clock["now"] = sp(1, 23)  # Tuesday night: the day's digest is late, unless asked for now
    assert _send(client, {"email": RESPONSIBLE, "day": "2026-12-01"}) == "late"
    assert not smtp_inbox.messages
    asked = {"email": RESPONSIBLE, "day": "2026-12-01", "late_ok": True}
    assert _send(client, asked) == "sent"
    clock["now"] = sp(2, 9)  # the next morning: asking for yesterday's late is not enough
    later = {"email": RICARDO, "day": "2026-12-01", "late_ok": True}
    assert _send(client, later) == "late"


def test_a_digest_task_without_credentials_or_with_nonsense_is_refused(digest):
    client, _ = digest
    assert client.post("/send", data="{}").status_code == 401
    secret = {"X-Helpdesk-Timer-Secret": TIMER_SECRET}
    bad = client.post("/send", data="not json", headers=secret, content_type="application/json")
    assert bad.status_code == 400
    unknown = {"email": "ninguem@metalvale.com.br", "day": "2026-12-01"}
    assert _send(client, unknown) == "nobody"
    assert (
        client.post("/elsewhere", headers={"X-Helpdesk-Timer-Secret": TIMER_SECRET}).status_code
        == 404
    )


class _NoQueue:
    def enqueue(self, name, body, at):
        raise AssertionError("a due breach enqueues nothing")
