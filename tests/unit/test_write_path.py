"""Buffered write path with fake commands and spool: flushing, outages, drops and shutdown."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import pytest
from fakes import START_WALL, CountingTelemetry, FakeSource, FakeSpool, FakeStop, ScriptedCommands

from tsloop.domain import Reading
from tsloop.usecases.backoff import Backoff
from tsloop.usecases.write_config import WriteConfig
from tsloop.usecases.write_path import WritePath

pytestmark = pytest.mark.unit

SERIES = 3
CONFIG = WriteConfig(batch_size=3, flush_interval=0.01, buffer_size=6)


def tick(number):
    return FakeSource(series=SERIES, source=f"tick{number}").sample(
        START_WALL + timedelta(seconds=number)
    )


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


@pytest.fixture
def commands():
    return ScriptedCommands()


@pytest.fixture
def spool():
    return FakeSpool()


@pytest.fixture
def telemetry():
    return CountingTelemetry()


@pytest.fixture
def write_path(commands, spool, telemetry):
    path = WritePath(commands, spool, CONFIG, Backoff(0.001, 0.01), telemetry)
    path.start()
    yield path
    path.close(timeout=1.0, abort=FakeStop())


def test_ticks_are_written_in_batches(write_path, commands):
    for number in range(4):
        write_path.submit(tick(number))
        time.sleep(0.05)

    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert len(commands.rows) == 4 * SERIES
    assert all(len(batch) <= CONFIG.batch_size for batch in commands.batches)
    assert (totals.sampled, totals.written, totals.spooled, totals.dropped) == (12, 12, 0, 0)


def test_overflow_is_replayed_at_close(write_path, commands, spool):
    for number in range(4):
        write_path.submit(tick(number))

    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert len(commands.rows) == 4 * SERIES
    assert totals.spooled >= 4 * SERIES - CONFIG.buffer_size
    assert totals.replayed == totals.spooled
    assert not spool.pending()


def test_outage_spools_and_replays(write_path, commands, spool, caplog):
    commands.down = True
    caplog.set_level(logging.INFO, logger="tsloop.usecases.writer")

    for number in range(10):
        write_path.submit(tick(number))
    wait_until(lambda: spool.pending() and "attempt 3" in caplog.text)
    commands.down = False
    wait_until(lambda: len(commands.rows) == 10 * SERIES)
    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert not spool.pending()
    assert totals.written == 10 * SERIES
    assert totals.replayed == 10 * SERIES
    assert totals.spooled == 10 * SERIES
    assert "database unavailable, saved" in caplog.text
    assert "spool replayed, writing from memory again" in caplog.text


def test_retries_report_attempts(write_path, commands, spool, telemetry):
    commands.down = True

    write_path.submit(tick(0))
    wait_until(lambda: len(telemetry.retries) >= 4)
    commands.down = False
    wait_until(lambda: not spool.pending())

    assert telemetry.retries[:4] == [1, 2, 3, 4]


def test_full_spool_drops_are_counted(commands, telemetry, caplog):
    spool = FakeSpool(max_bytes=5 * SERIES * FakeSpool.BYTES_PER_READING)
    path = WritePath(commands, spool, CONFIG, Backoff(0.001, 0.01), telemetry)
    commands.down = True
    path.start()

    for number in range(20):
        path.submit(tick(number))
        time.sleep(0.002)
    totals = path.close(timeout=0.5, abort=FakeStop())

    assert totals.dropped > 0
    assert totals.spooled + totals.dropped == totals.sampled
    assert len(spool.readings()) == totals.spooled
    assert telemetry.dropped == totals.dropped
    assert "spool full or unwritable: dropped" in caplog.text


class BlockingCommands(ScriptedCommands):
    """Commands whose insert blocks until released, like a statement on a cut network."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def insert_batch(self, readings):
        self.entered.set()
        self.release.wait(10)
        return super().insert_batch(readings)


def test_shutdown_deadline_spools_unwritten(spool, telemetry):
    commands = BlockingCommands()
    path = WritePath(commands, spool, WriteConfig(3, 0.01, 100), Backoff(0.001, 0.01), telemetry)
    path.start()
    for number in range(5):
        path.submit(tick(number))
    commands.entered.wait(5)

    started = time.monotonic()
    totals = path.close(timeout=0.3, abort=FakeStop())
    elapsed = time.monotonic() - started
    commands.release.set()

    assert 0.3 <= elapsed < 1.0
    assert totals.spooled == 5 * SERIES
    assert {reading.source for reading in spool.readings()} == {f"tick{n}" for n in range(5)}


def test_abort_ends_flush_at_once(spool, telemetry):
    commands = BlockingCommands()
    path = WritePath(commands, spool, CONFIG, Backoff(0.001, 0.01), telemetry)
    path.start()
    path.submit(tick(0))
    commands.entered.wait(5)
    abort = FakeStop()
    abort.set()

    started = time.monotonic()
    totals = path.close(timeout=30.0, abort=abort)
    elapsed = time.monotonic() - started
    commands.release.set()

    assert elapsed < 0.5
    assert totals.spooled == SERIES


def test_close_during_outage_keeps_spool(write_path, commands, spool):
    commands.down = True
    for number in range(3):
        write_path.submit(tick(number))
    wait_until(spool.pending)

    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert totals.written == 0
    assert len(spool.readings()) == 3 * SERIES


def test_rejected_row_does_not_fail_batch(write_path, commands, telemetry):
    commands.reject = {-1.0}
    readings = tick(0)
    bad = readings[1]
    readings[1] = Reading(bad.time, bad.source, bad.metric, -1.0)

    write_path.submit(readings)
    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert (totals.written, totals.rejected) == (SERIES - 1, 1)
    assert telemetry.rejected == [(1, "database")]


def test_invalid_reading_rejected_at_boundary(write_path, commands, caplog):
    readings = tick(0)
    broken = object.__new__(Reading)
    object.__setattr__(broken, "time", START_WALL)
    object.__setattr__(broken, "source", "s")
    object.__setattr__(broken, "metric", "m")
    object.__setattr__(broken, "value", float("nan"))

    write_path.submit([*readings, broken])
    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert (totals.sampled, totals.written, totals.rejected) == (SERIES + 1, SERIES, 1)
    assert "rejected reading source='s' metric='m': value nan is not a finite number" in caplog.text


def test_duplicates_are_counted(write_path, commands):
    commands.insert_batch(tick(0))

    write_path.submit(tick(0))
    write_path.submit(tick(1))
    totals = write_path.close(timeout=2.0, abort=FakeStop())

    assert (totals.written, totals.duplicate) == (SERIES, SERIES)


def test_unexpected_error_keeps_writer_alive(spool, telemetry, caplog):
    commands = ScriptedCommands(errors={0: RuntimeError("bug")})
    path = WritePath(commands, spool, CONFIG, Backoff(0.001, 0.01), telemetry)
    path.start()

    path.submit(tick(0))
    wait_until(lambda: len(commands.rows) == SERIES)
    totals = path.close(timeout=2.0, abort=FakeStop())

    assert totals.written == SERIES
    assert "writer step failed" in caplog.text
