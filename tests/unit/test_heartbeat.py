"""Heartbeat file written per stored tick, and the telemetry fan-out that carries it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from fakes import FakeClock, FakeCommands, FakeSource, RecordingTelemetry

from tsloop.adapters.heartbeat import HeartbeatError, HeartbeatFile, read_heartbeat
from tsloop.usecases.direct_sink import DirectSink
from tsloop.usecases.dto import TickReport
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop
from tsloop.usecases.telemetry_fanout import TelemetryFanout

pytestmark = pytest.mark.unit

TICK_TIME = datetime(2026, 3, 1, 12, 0, 1, tzinfo=UTC)


def report(tick: int, error: str | None = None) -> TickReport:
    return TickReport(tick, TICK_TIME, 10.0, 10.0, 0.0, 0 if error else 3, error)


def test_stored_tick_writes_heartbeat(tmp_path):
    path = tmp_path / "heartbeat"
    heartbeat = HeartbeatFile(path, monotonic=lambda: 123.5)

    heartbeat.tick_completed(report(7))

    written = read_heartbeat(path)
    assert written.monotonic == 123.5
    assert written.tick == 7
    assert written.tick_time == TICK_TIME.isoformat()
    assert not (tmp_path / "heartbeat.partial").exists()


def test_failed_tick_keeps_previous_heartbeat(tmp_path):
    path = tmp_path / "heartbeat"
    times = iter([1.0, 2.0])
    heartbeat = HeartbeatFile(path, monotonic=lambda: next(times))

    heartbeat.tick_completed(report(0))
    heartbeat.tick_completed(report(1, error="connection lost"))

    assert read_heartbeat(path).tick == 0
    assert read_heartbeat(path).monotonic == 1.0


def test_reset_removes_old_heartbeat(tmp_path):
    path = tmp_path / "heartbeat"
    path.write_text(json.dumps({"monotonic": 1.0, "tick": 3, "tick_time": "x"}))

    HeartbeatFile(path).reset()
    HeartbeatFile(path).reset()

    assert not path.exists()


def test_unwritable_heartbeat_logs_once(tmp_path, caplog):
    heartbeat = HeartbeatFile(tmp_path / "missing-folder" / "heartbeat")

    with caplog.at_level(logging.WARNING, logger="tsloop.adapters.heartbeat"):
        heartbeat.tick_completed(report(0))
        heartbeat.tick_completed(report(1))

    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "cannot write the heartbeat file" in warnings[0].getMessage()


def test_missing_heartbeat_is_error(tmp_path):
    with pytest.raises(HeartbeatError, match="not found: no tick stored yet"):
        read_heartbeat(tmp_path / "heartbeat")


@pytest.mark.parametrize(
    "content", ["", "not json", '{"tick": 1}', '{"monotonic": "x", "tick": 1}']
)
def test_invalid_heartbeat_is_error(tmp_path, content):
    path = tmp_path / "heartbeat"
    path.write_text(content)

    with pytest.raises(HeartbeatError, match="is invalid"):
        read_heartbeat(path)


def test_loop_heartbeat_names_last_tick(tmp_path):
    clock = FakeClock()
    path = tmp_path / "heartbeat"

    run_sampling_loop(
        FakeSource(),
        DirectSink(FakeCommands(clock)),
        clock,
        LoopConfig(interval=1.0, ticks=4),
        telemetry=HeartbeatFile(path, monotonic=clock.monotonic),
    )

    written = read_heartbeat(path)
    assert written.tick == 3
    assert written.monotonic == pytest.approx(clock.monotonic())


def test_fanout_sends_events_to_every_receiver():
    first, second = RecordingTelemetry(), RecordingTelemetry()
    fanout = TelemetryFanout(first, second)

    fanout.tick_completed(report(5))
    fanout.ticks_missed(2)
    fanout.readings_sampled(3)
    fanout.readings_written(3)

    for receiver in (first, second):
        assert receiver.ticks == [5]
        assert receiver.missed == 2
        assert receiver.sampled == 3
        assert receiver.written == 3
