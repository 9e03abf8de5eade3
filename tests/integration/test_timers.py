"""SLA timers against the Firestore emulator, with an injected clock and a recording queue.

Policy inc-sistema-fora on the office calendar (Mon-Fri 08-12 and 13-17:48, São Paulo):
respond within 30 min, resolve within 4 h, warn at 50% and 75%, escalate 1 h after the
first missed deadline to the responsible's manager.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from shared.actions import sla as actions
from shared.repositories.directory import StaticDirectory
from shared.timers.payload import TimerPayload
from shared.timers.service import fire, schedule
from tests.integration.timing import ORG, fire_at, open_system_incident, sp, tickets_of


def test_milestones_are_scheduled_at_their_hand_checked_instants(world):
    _db, directory, _, queue = world
    ticket = open_system_incident(world, sp(30, 10))
    assert schedule(ticket, directory, queue, sp(30, 10)) == 7
    assert queue.due() == {
        "response-warning-50": sp(30, 10, 15),
        "response-warning-75": sp(30, 10, 22, 30),
        "response-breach": sp(30, 10, 30),
        "resolution-warning-50": sp(30, 12),
        "resolution-warning-75": sp(30, 14),
        "resolution-breach": sp(30, 15),
        "escalation-1": sp(30, 11, 30),
    }
    assert all(len(TimerPayload.encode(p)) < 1024 for _, p, _ in queue.tasks)


def test_a_breach_is_recorded_once_and_stale_or_duplicate_timers_change_nothing(world):
    _db, _, tickets, _ = world
    ticket = open_system_incident(world, sp(30, 10))
    breach = TimerPayload(ticket.id, "response-breach", 1, sp(30, 10, 30).isoformat())
    assert fire_at(world, breach, sp(30, 10, 30)) == "fired"
    stored = tickets.get(ticket.id)
    assert stored.response_breached_at == sp(30, 10, 30)
    assert stored.sla_flag == "breached"
    for again in range(3):  # redelivered after a crash that followed the write, or duplicated
        assert fire_at(world, breach, sp(30, 10, 31 + again)) == "nothing"
    stale = TimerPayload(ticket.id, "resolution-breach", 0, sp(30, 15).isoformat())
    assert fire_at(world, stale, sp(30, 15)) == "nothing"
    events = [e for e in tickets.events(ticket.id) if e.type == "breached"]
    assert len(events) == 1
    assert events[0].data == {"milestone": "response", "due": sp(30, 10, 30).isoformat()}


def test_concurrent_duplicates_fire_once(world):
    _, _, tickets, _ = world
    ticket = open_system_incident(world, sp(30, 10))
    breach = TimerPayload(ticket.id, "response-breach", 1, sp(30, 10, 30).isoformat())
    outcomes, barrier = [], threading.Barrier(5)

    def go():
        barrier.wait()
        outcomes.append(fire_at(world, breach, sp(30, 10, 30)))

    threads = [threading.Thread(target=go) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["fired"] + ["nothing"] * 4
    assert len([e for e in tickets.events(ticket.id) if e.type == "breached"]) == 1


def test_an_early_timer_enqueues_itself_again(world):
    _, _, _, queue = world
    ticket = open_system_incident(world, sp(30, 10))
    breach = TimerPayload(ticket.id, "response-breach", 1, sp(30, 10, 30).isoformat())
    assert fire_at(world, breach, sp(30, 10, 20)) == "early"
    assert queue.due() == {"response-breach": sp(30, 10, 30)}


def test_a_warning_marks_the_ticket_at_risk_and_escalation_names_the_manager(world):
    _, _, tickets, _ = world
    ticket = open_system_incident(world, sp(30, 10))
    warning = TimerPayload(ticket.id, "response-warning-50", 1, sp(30, 10, 15).isoformat())
    assert fire_at(world, warning, sp(30, 10, 15)) == "fired"
    assert tickets.get(ticket.id).sla_flag == "at_risk"
    escalation = TimerPayload(ticket.id, "escalation-1", 1, sp(30, 11, 30).isoformat())
    assert fire_at(world, escalation, sp(30, 11, 30)) == "fired"
    (escalated,) = [e for e in tickets.events(ticket.id) if e.type == "escalated"]
    # Bruno Costa is responsible; his manager is Patrícia Lima.
    assert escalated.data["notify"] == "patricia.lima@metalvale.com.br"
    assert escalated.data["level"] == 1


def test_an_answer_in_time_disarms_the_response_timers(world):
    _db, _directory, tickets, queue = world
    ticket = open_system_incident(world, sp(30, 10))
    tickets.apply(
        ticket.id,
        actions.acknowledge("bruno.costa@metalvale.com.br", sp(30, 10, 10)),
        sp(30, 10, 10),
    )
    breach = TimerPayload(ticket.id, "response-breach", 1, sp(30, 10, 30).isoformat())
    assert fire_at(world, breach, sp(30, 10, 30)) == "nothing"
    # Escalation now counts from the resolution deadline (15:00): its old timer comes early.
    escalation = TimerPayload(ticket.id, "escalation-1", 1, sp(30, 11, 30).isoformat())
    assert fire_at(world, escalation, sp(30, 11, 30)) == "early"
    assert queue.due()["escalation-1"] == sp(30, 16)
    assert tickets.get(ticket.id).response_breached_at is None


def test_pause_and_resume_recompute_the_resolution_deadline(world):
    _db, directory, tickets, queue = world
    ticket = open_system_incident(world, sp(30, 10))
    responsible = "bruno.costa@metalvale.com.br"
    tickets.apply(ticket.id, actions.acknowledge(responsible, sp(30, 10, 5)), sp(30, 10, 5))
    tickets.apply(
        ticket.id,
        actions.wait_on_requester(responsible, "Qual a mensagem?", sp(30, 11)),
        sp(30, 11),
    )
    paused = tickets.get(ticket.id)
    assert (paused.status, paused.clock_version) == ("waiting_on_requester", 2)
    old = TimerPayload(ticket.id, "resolution-breach", 1, sp(30, 15).isoformat())
    assert fire_at(world, old, sp(30, 15)) == "nothing"  # stale: the clock moved on
    schedule(paused, directory, queue, sp(30, 11))
    assert not any(m.startswith("resolution") for m in queue.due())  # paused: nothing to time

    tickets.apply(ticket.id, actions.resume(responsible, sp(1, 9), directory), sp(1, 9))
    resumed = tickets.get(ticket.id)
    # 1 h ran before the pause (10-11); 3 h more from Tuesday 09:00.
    assert resumed.resolution_due == sp(1, 12)
    # Paused: Monday 11-12 and 13-17:48, Tuesday 08-09 = 6 h 48 min.
    assert resumed.paused_seconds == (6 * 60 + 48) * 60
    assert resumed.clock_version == 3
    queue.tasks.clear()
    schedule(resumed, directory, queue, sp(1, 9))
    assert queue.due()["resolution-breach"] == sp(1, 12)
    assert {p.version for _, p, _ in queue.tasks} == {3}


def test_a_policy_change_mid_flight_counts_from_the_original_start(world):
    _db, directory, tickets, _ = world
    ticket = open_system_incident(world, sp(30, 10))
    line_stopped = directory.policy("inc-linha-parada")
    tickets.apply(
        ticket.id,
        actions.change_policy(
            line_stopped,
            "patricia.lima@metalvale.com.br",
            "ERP parado trava o faturamento",
            directory,
        ),
        sp(30, 10, 5),
    )
    changed = tickets.get(ticket.id)
    # The three-shift factory calendar runs all Monday: 15 min and 4 h from 10:00.
    assert (changed.response_due, changed.resolution_due) == (sp(30, 10, 15), sp(30, 14))
    assert (changed.priority, changed.calendar_id, changed.clock_version) == (
        "critical",
        "fabrica-3-turnos",
        2,
    )
    assert tickets.events(ticket.id)[-1].type == "policy_changed"


def test_deadlines_beyond_thirty_days_hop_until_due(world):
    db, _, _, queue = world
    slow = [
        p.model_copy(update={"resolution_time": timedelta(hours=400)})
        if p.id == "req-ti-acesso"
        else p
        for p in ORG.policies
    ]
    directory = StaticDirectory(ORG.model_copy(update={"policies": slow}))
    fields = {
        "tipo": "software",
        "aprovador": "patricia.lima@metalvale.com.br",
        "justificativa": "Licença anual",
    }
    ticket = open_system_incident(world, sp(30, 10), directory, "req-ti-acesso", fields)
    schedule(ticket, directory, queue, sp(30, 10))
    ((_, payload, at),) = [t for t in queue.tasks if t[1].milestone == "resolution-breach"]
    assert at == sp(30, 10) + timedelta(days=29)
    hops = 1
    while True:
        queue.tasks.clear()
        outcome = fire(
            payload,
            tickets=tickets_of(db, directory),
            directory=directory,
            queue=queue,
            now=lambda at=at: at,
        )
        if outcome == "fired":
            break
        assert outcome == "early"
        ((_, payload, at),) = queue.tasks
        hops += 1
    assert at == payload.due_at  # it fired at its real deadline
    assert at - sp(30, 10) > timedelta(days=58)
    assert hops == 3
