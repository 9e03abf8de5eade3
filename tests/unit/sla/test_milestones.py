"""Milestones by hand: warnings, breaches, escalations, pauses and a mid-flight policy change.

Calendar: Monday to Friday 08-12 and 13-17 in São Paulo. Terms: respond within 1 h, resolve
within 8 h, warn at 50% and 75%, escalate 30 min and 2 h after the first missed deadline.
"""

from datetime import timedelta

from shared.sla import Pause
from shared.sla.milestones import SlaState, SlaTerms, deadlines, milestones
from tests.unit.sla.calendars import SAO_PAULO, local, office_sao_paulo

H, M = timedelta(hours=1), timedelta(minutes=1)
CAL = office_sao_paulo()
TERMS = SlaTerms(1 * H, 8 * H, (50, 75), (30 * M, 2 * H))


def at(day, hour, minute=0):
    return local(SAO_PAULO, 2026, 11 if day > 7 else 12, day, hour, minute)


def due_by_key(state, terms=TERMS):
    return {m.key: m.due for m in milestones(terms, state, CAL)}


def test_a_fresh_ticket_monday_at_nine():
    assert due_by_key(SlaState(at(30, 9))) == {
        "response-warning-50": at(30, 9, 30),
        "response-warning-75": at(30, 9, 45),
        "response-breach": at(30, 10),
        "resolution-warning-50": at(30, 14),  # 09-12 and 13-14
        "resolution-warning-75": at(30, 16),
        "resolution-breach": at(1, 9),  # 7 h on Monday, the 8th on Tuesday morning
        "escalation-1": at(30, 10, 30),  # from the response deadline, still unmet
        "escalation-2": at(30, 12),
    }


def test_an_answer_in_time_moves_escalation_to_the_resolution_deadline():
    due = due_by_key(SlaState(at(30, 9), responded_at=at(30, 9, 40)))
    assert not any(key.startswith("response-") for key in due)
    assert due["escalation-1"] == at(1, 9, 30)
    assert due["escalation-2"] == at(1, 11)


def test_a_late_answer_keeps_escalating_from_the_missed_response():
    due = due_by_key(SlaState(at(30, 9), responded_at=at(30, 10, 5)))
    assert due["escalation-1"] == at(30, 10, 30)


def test_waiting_on_the_requester_pauses_the_resolution_clock_only():
    paused = SlaState(at(30, 9), pauses=(Pause(at(30, 11)),), responded_at=at(30, 9, 40))
    due = due_by_key(paused)
    assert "resolution-breach" not in due
    assert not any(key.startswith("escalation") for key in due)  # nothing to escalate from
    response_due, resolution_due = deadlines(TERMS, paused, CAL)
    assert (response_due, resolution_due) == (at(30, 10), None)


def test_resuming_recomputes_without_the_paused_time():
    state = SlaState(at(30, 9), pauses=(Pause(at(30, 11), at(1, 10)),), responded_at=at(30, 9, 40))
    # 2 h ran before the pause (09-11); 6 h more from Tuesday 10:00: 10-12 and 13-17.
    assert deadlines(TERMS, state, CAL)[1] == at(1, 17)
    # 75% is 6 h: 2 h before the pause, then Tuesday 10-12 and 13-15.
    assert due_by_key(state)["resolution-warning-75"] == at(1, 15)
    # The paused business time: Monday 11-12 and 13-17, Tuesday 08-10.
    from shared.sla import SlaClock

    clock = SlaClock(CAL, at(30, 9), state.pauses)
    assert clock.paused_business_time(at(1, 17)) == 7 * H


def test_a_priority_raised_mid_flight_counts_from_the_original_start():
    urgent = SlaTerms(1 * H, 4 * H, (50, 75), (30 * M,))
    state = SlaState(at(30, 9), responded_at=at(30, 9, 40))
    assert deadlines(urgent, state, CAL)[1] == at(30, 14)  # 09-12 and 13-14, not 4 h from now
    # And with a pause that already happened, the pause still does not count.
    paused = SlaState(
        at(30, 9), pauses=(Pause(at(30, 10), at(30, 11)),), responded_at=at(30, 9, 40)
    )
    assert deadlines(urgent, paused, CAL)[1] == at(30, 15)


def test_a_resolved_ticket_has_no_milestones():
    assert milestones(TERMS, SlaState(at(30, 9), resolved_at=at(30, 11)), CAL) == []
