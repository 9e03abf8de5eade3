"""The whole timer pipeline: the Cloud Tasks emulator fires the sla_timer function over HTTP."""

from tools.breach_probe import measure_breach_lag


def test_a_deadline_a_few_seconds_ahead_breaches_within_a_second(emulator_env, project):
    lag = measure_breach_lag(project, seconds_ahead=3)
    assert 0 <= lag <= 1.0, lag
