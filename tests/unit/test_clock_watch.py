"""Wall clock steps during the sampling loop, on virtual time."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from fakes import START_WALL, FakeCommands

from tsloop.usecases.clock_watch import WallClockWatch
from tsloop.usecases.direct_sink import DirectSink
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop

pytestmark = pytest.mark.unit


def step_wall_after(commands: FakeCommands, clock, call: int, seconds: float) -> None:
    def step(number: int) -> None:
        if number == call:
            clock.wall += timedelta(seconds=seconds)

    commands.after_insert = step


def test_backward_step_writes_no_tick_twice(clock, source, caplog):
    commands = FakeCommands(clock)
    step_wall_after(commands, clock, call=2, seconds=-30.0)

    with caplog.at_level(logging.WARNING):
        summary = run_sampling_loop(
            source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=6)
        )

    times = [batch[0].time for batch in commands.batches]
    assert summary.ticks == 6
    assert summary.missed == 0
    assert len(set(times)) == 6
    assert times == sorted(times)
    assert len(commands.rows) == 6 * source.series
    assert "wall clock is 30.000 s behind the schedule at tick 3" in caplog.text


def test_forward_step_fires_no_burst(clock, source, caplog):
    commands = FakeCommands(clock)
    step_wall_after(commands, clock, call=1, seconds=3600.0)

    with caplog.at_level(logging.WARNING):
        summary = run_sampling_loop(
            source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=5)
        )

    gaps = [b - a for a, b in zip(commands.call_times, commands.call_times[1:], strict=False)]
    assert summary.ticks == 5
    assert summary.missed == 0
    assert gaps == [pytest.approx(1.0)] * 4
    assert "wall clock is 3600.000 s ahead of the schedule at tick 2" in caplog.text


def test_divergence_is_logged_once(clock, source, caplog):
    commands = FakeCommands(clock)
    step_wall_after(commands, clock, call=0, seconds=-10.0)

    with caplog.at_level(logging.WARNING):
        run_sampling_loop(source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=20))

    assert caplog.text.count("wall clock is") == 1


def test_watch_reports_return_to_schedule(caplog):
    watch = WallClockWatch(interval=1.0)

    with caplog.at_level(logging.INFO):
        first = watch.check(1, START_WALL, START_WALL + timedelta(seconds=5))
        second = watch.check(2, START_WALL, START_WALL + timedelta(seconds=0.2))

    assert first == pytest.approx(5.0)
    assert second == pytest.approx(0.2)
    assert "wall clock matches the schedule again at tick 2" in caplog.text


def test_small_jitter_is_not_logged(caplog):
    watch = WallClockWatch(interval=1.0)

    with caplog.at_level(logging.INFO):
        watch.check(1, START_WALL, START_WALL + timedelta(seconds=0.5))

    assert caplog.text == ""
