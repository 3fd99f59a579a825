"""Liveness check of the sampling loop."""

from __future__ import annotations

from tsloop.usecases.liveness import MIN_STALE_SECONDS, LoopState, check_liveness, stale_after


def test_stale_after_is_three_intervals_above_floor() -> None:
    assert stale_after(10.0) == 30.0
    assert stale_after(1.0) == MIN_STALE_SECONDS


def test_recent_tick_is_alive() -> None:
    state = LoopState(interval=1.0, started=100.0, last_tick=110.0)

    report = check_liveness(state, now=112.0)

    assert report.alive
    assert report.seconds_since_tick == 2.0


def test_old_tick_is_not_alive() -> None:
    state = LoopState(interval=10.0, started=100.0, last_tick=110.0)

    report = check_liveness(state, now=141.0)

    assert not report.alive
    assert "31.0 s ago" in report.reason


def test_waiting_for_first_tick_is_alive() -> None:
    state = LoopState(interval=1.0, started=100.0, last_tick=None)

    report = check_liveness(state, now=105.0)

    assert report.alive
    assert report.seconds_since_tick is None


def test_no_tick_after_threshold_is_not_alive() -> None:
    state = LoopState(interval=1.0, started=100.0, last_tick=None)

    report = check_liveness(state, now=100.0 + MIN_STALE_SECONDS + 1)

    assert not report.alive
    assert "no tick" in report.reason


def test_stopped_loop_is_not_alive() -> None:
    state = LoopState(interval=1.0, started=100.0, last_tick=101.0, stopped="cannot connect")

    report = check_liveness(state, now=101.5)

    assert not report.alive
    assert "cannot connect" in report.reason
