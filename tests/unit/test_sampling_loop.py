"""Sampling loop on virtual time: schedule, lateness, skipping and stop conditions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from fakes import START_MONO, FakeClock, FakeCommands, FakeSource, FakeStop, RecordingTelemetry

from tsloop.domain import Reading
from tsloop.usecases.direct_sink import DirectSink
from tsloop.usecases.errors import SourceError, StartupError
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop

pytestmark = pytest.mark.unit

ANCHOR = datetime(2026, 3, 1, 12, 0, 1, tzinfo=UTC)
MONO_START = START_MONO + 0.75


def test_first_tick_waits_for_aligned_anchor(clock, source, commands):
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=1)
    )

    assert summary.anchor == ANCHOR
    assert source.times == [ANCHOR]
    assert commands.call_times == [pytest.approx(MONO_START, abs=1e-9)]


def test_due_times_are_exact_multiples(clock, source, commands):
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=0.5, ticks=6)
    )

    expected_start = START_MONO + 0.25
    assert [report.due for report in summary.reports] == [
        pytest.approx(expected_start + k * 0.5, abs=1e-9) for k in range(6)
    ]
    assert source.times == [
        datetime(2026, 3, 1, 12, 0, 0, 500_000, tzinfo=UTC) + timedelta(seconds=k * 0.5)
        for k in range(6)
    ]


def test_no_drift_over_1000_ticks(clock, source):
    # Each insert takes 0.3 s, so a loop that slept a full interval after the work
    # would be 300 s behind after 1000 ticks.
    commands = FakeCommands(clock, work_seconds={k: 0.3 for k in range(1000)})

    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=1000)
    )

    assert summary.ticks == 1000
    assert summary.late == 0
    assert summary.missed == 0
    last = summary.reports[-1]
    assert last.due == pytest.approx(MONO_START + 999.0, abs=1e-6)
    assert last.started - last.due == pytest.approx(0.0, abs=1e-6)
    assert max(abs(report.lateness) for report in summary.reports) < 1e-6
    assert source.times[-1] == ANCHOR + timedelta(seconds=999)
    assert commands.call_times[-1] == pytest.approx(MONO_START + 999.0, abs=1e-6)


def test_fractional_interval_stays_aligned(clock, source, commands):
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=0.1, ticks=1000)
    )

    assert summary.ticks == 1000
    for k, tick_time in enumerate(source.times):
        offset = tick_time - datetime(1970, 1, 1, tzinfo=UTC)
        assert offset % timedelta(milliseconds=100) == timedelta(0), k
    assert source.times[-1] - source.times[0] == timedelta(seconds=99.9)


def test_late_tick_is_logged_and_counted(clock, source, caplog):
    commands = FakeCommands(clock, work_seconds={0: 1.3})

    with caplog.at_level(logging.WARNING, logger="tsloop.usecases.sampling"):
        summary = run_sampling_loop(
            source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=3)
        )

    assert summary.late == 1
    assert summary.missed == 0
    assert summary.reports[1].lateness == pytest.approx(0.3, abs=1e-6)
    assert "tick 1 started 300.0 ms late" in caplog.text


def test_lateness_within_tolerance_is_not_late(clock, source):
    commands = FakeCommands(clock, work_seconds={0: 1.01})

    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=2)
    )

    assert summary.late == 0
    assert summary.reports[1].lateness == pytest.approx(0.01, abs=1e-6)


def test_missed_ticks_are_skipped_not_fired(clock, source, caplog):
    # Tick 0 takes 3.4 s: ticks 1 and 2 are missed, tick 3 runs 0.4 s late.
    commands = FakeCommands(clock, work_seconds={0: 3.4})

    with caplog.at_level(logging.WARNING, logger="tsloop.usecases.sampling"):
        summary = run_sampling_loop(
            source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=3)
        )

    assert summary.missed == 2
    assert [report.tick for report in summary.reports] == [0, 3, 4]
    assert source.times == [ANCHOR, ANCHOR + timedelta(seconds=3), ANCHOR + timedelta(seconds=4)]
    assert commands.call_times[1] == pytest.approx(MONO_START + 3.4, abs=1e-6)
    assert commands.call_times[2] == pytest.approx(MONO_START + 4.0, abs=1e-6)
    assert "skipped 2 missed ticks" in caplog.text
    assert summary.late == 1


def test_wall_clock_step_keeps_timestamps_unique(clock, source):
    commands = FakeCommands(clock)

    def step_back(call: int) -> None:
        if call == 2:
            clock.wall -= timedelta(hours=1)

    commands.after_insert = step_back
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=5)
    )

    assert source.times == [ANCHOR + timedelta(seconds=k) for k in range(5)]
    assert summary.rows_written == 5 * source.series


def test_stops_after_tick_count(clock, source, commands):
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=2.0, ticks=4)
    )

    assert summary.ticks == 4
    assert len(commands.batches) == 4
    assert summary.rows_written == 4 * source.series


def test_stops_after_duration(clock, source, commands):
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, duration=3.5)
    )

    assert summary.ticks == 4
    assert clock.mono == pytest.approx(MONO_START + 3.0, abs=1e-6)


def test_duration_of_whole_intervals(clock, source, commands):
    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, duration=3.0)
    )

    assert summary.ticks == 3


def test_stop_flag_finishes_current_tick(clock, source, commands):
    stop = FakeStop()
    commands.after_insert = lambda call: stop.set() if call == 2 else None

    summary = run_sampling_loop(source, DirectSink(commands), clock, LoopConfig(interval=1.0), stop)

    assert summary.ticks == 3
    assert len(commands.batches) == 3


def test_stop_flag_interrupts_long_sleep(source, commands):
    clock = FakeClock()
    stop = FakeStop()
    clock.on_sleep = lambda fake: stop.set() if fake.mono > START_MONO + 30 else None

    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=3600.0), stop
    )

    assert summary.ticks == 0
    assert max(clock.sleeps) <= 0.25
    assert clock.mono < START_MONO + 31


def test_stop_flag_set_before_start(clock, source, commands):
    stop = FakeStop()
    stop.set()

    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=5), stop
    )

    assert summary.ticks == 0
    assert commands.batches == []


def test_failed_tick_loop_continues(clock, source, caplog):
    commands = FakeCommands(clock, fail_calls={1})

    with caplog.at_level(logging.ERROR, logger="tsloop.usecases.sampling"):
        summary = run_sampling_loop(
            source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=4)
        )

    assert summary.ticks == 4
    assert summary.failed == 1
    assert summary.rows_written == 3 * source.series
    assert summary.reports[1].error == "connection lost"
    assert summary.reports[1].rows_written == 0
    assert "tick 1 at 2026-03-01T12:00:02+00:00 failed (1 in a row): connection lost" in caplog.text


def test_source_error_loop_continues(clock, commands):
    class FlakySource(FakeSource):
        def sample(self, at):
            if not self.times:
                self.times.append(at)
                raise SourceError("sensor offline")
            return super().sample(at)

    summary = run_sampling_loop(
        FlakySource(), DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=3)
    )

    assert summary.failed == 1
    assert summary.ticks == 3
    assert len(commands.batches) == 2


def test_one_batch_per_tick(clock, commands):
    source = FakeSource(series=250)

    run_sampling_loop(source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=3))

    assert [len(batch) for batch in commands.batches] == [250, 250, 250]


def test_rows_written_counts_inserted_only(clock, source):
    commands = FakeCommands(clock)
    commands.rows[("fake", "m0", ANCHOR)] = 0.0

    summary = run_sampling_loop(
        source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=1)
    )

    assert summary.rows_written == source.series - 1


def test_logs_each_tick_and_summary(clock, source, commands, caplog):
    with caplog.at_level(logging.INFO, logger="tsloop.usecases.sampling"):
        run_sampling_loop(source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=2))

    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "tick 0: sampled=3 lateness=0.0 ms",
        "tick 1: sampled=3 lateness=0.0 ms",
        "stopped: ticks=2 late=0 missed=0 failed=0",
    ]


def test_report_limit_keeps_newest(clock, source, commands):
    config = LoopConfig(interval=1.0, ticks=10, report_limit=3)

    summary = run_sampling_loop(source, DirectSink(commands), clock, config)

    assert [report.tick for report in summary.reports] == [7, 8, 9]
    assert summary.ticks == 10


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (LoopConfig(interval=1.0, ticks=2, duration=5.0), "either ticks or duration"),
        (LoopConfig(interval=0.0), "interval 0.0 is invalid"),
        (LoopConfig(interval=float("nan")), "interval nan is invalid"),
        (LoopConfig(interval=1.0, ticks=0), "ticks 0 is invalid"),
        (LoopConfig(interval=1.0, duration=-1.0), "duration -1.0 is invalid"),
    ],
)
def test_invalid_config_is_logged_and_raised(clock, source, commands, caplog, config, message):
    with pytest.raises(StartupError, match=message):
        run_sampling_loop(source, DirectSink(commands), clock, config)

    assert "cannot start the sampling loop" in caplog.text
    assert commands.batches == []


def test_repeated_failures_are_rate_limited(clock, source, caplog):
    commands = FakeCommands(clock, fail_calls=set(range(1, 131)))

    with caplog.at_level(logging.INFO, logger="tsloop.usecases.sampling"):
        summary = run_sampling_loop(
            source, DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=132)
        )

    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert summary.failed == 130
    assert len(errors) == 5
    assert "(60 in a row)" in errors[3]
    assert "(120 in a row)" in errors[4]
    assert "recovered after 130 failed ticks" in caplog.text


def test_telemetry_receives_ticks_and_counts(clock, source):
    commands = FakeCommands(clock, work_seconds={0: 2.5})
    telemetry = RecordingTelemetry()

    run_sampling_loop(
        source,
        DirectSink(commands, telemetry),
        clock,
        LoopConfig(interval=1.0, ticks=3),
        telemetry=telemetry,
    )

    assert telemetry.ticks == [0, 2, 3]
    assert telemetry.missed == 1
    assert telemetry.sampled == 3 * source.series
    assert telemetry.written == 3 * source.series


def test_invalid_reading_from_source_fails_only_its_tick(clock, commands):
    class BadFirstTick(FakeSource):
        def sample(self, at):
            if not self.times:
                self.times.append(at)
                return [Reading(at, "fake", "m0", float("nan"))]
            return super().sample(at)

    summary = run_sampling_loop(
        BadFirstTick(), DirectSink(commands), clock, LoopConfig(interval=1.0, ticks=3)
    )

    assert summary.failed == 1
    assert summary.ticks == 3
    assert len(commands.batches) == 2
