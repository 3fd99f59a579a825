"""Timing accuracy and scaling of the sampling loop, from the loop's own tick reports."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from bench.timing import LoopTiming, summarize
from tsloop.adapters.clock import SystemClock
from tsloop.adapters.engine import MAX_BATCH_ROWS
from tsloop.adapters.file_spool import FileSpool
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.domain import Reading
from tsloop.usecases.backoff import Backoff
from tsloop.usecases.direct_sink import DirectSink
from tsloop.usecases.dto import RunSummary
from tsloop.usecases.ports import ReadingCommands
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop
from tsloop.usecases.telemetry import NullTelemetry
from tsloop.usecases.write_config import WriteConfig
from tsloop.usecases.write_path import WritePath


@dataclass(frozen=True)
class ScalingPoint:
    """Loop timing at one number of series per tick, with the seconds spent in all ticks."""

    series: int
    timing: LoopTiming
    sample_seconds: float
    insert_seconds: float
    database: bool = True

    @property
    def rows_per_second(self) -> float:
        """Rows written per second of insert_batch time."""
        return self.timing.rows / self.insert_seconds

    @property
    def insert_seconds_per_tick(self) -> float:
        return self.insert_seconds / self.timing.ticks

    @property
    def sample_seconds_per_tick(self) -> float:
        return self.sample_seconds / self.timing.ticks


REPO_ROOT = Path(__file__).resolve().parents[1]
# Seconds that a sleep-only child may take beyond three times its ticks.
CHILD_TIMEOUT = 60


class _TimedSource:
    def __init__(self, source: SyntheticSource) -> None:
        self._source = source
        self.seconds = 0.0

    def sample(self, at: datetime) -> list[Reading]:
        started = time.perf_counter()
        readings = self._source.sample(at)
        self.seconds += time.perf_counter() - started
        return readings


class _CountingCommands:
    def insert_batch(self, readings: Sequence[Reading]) -> int:
        return len(readings)

    def delete_range(self, start: datetime, end: datetime, source: str | None = None) -> int:
        return 0


class _TimedCommands:
    def __init__(self, commands: ReadingCommands) -> None:
        self._commands = commands
        self.seconds = 0.0

    def insert_batch(self, readings: Sequence[Reading]) -> int:
        started = time.perf_counter()
        try:
            return self._commands.insert_batch(readings)
        finally:
            self.seconds += time.perf_counter() - started

    def delete_range(self, start: datetime, end: datetime, source: str | None = None) -> int:
        return self._commands.delete_range(start, end, source)


def run_loop(engine: Engine | None, interval: float, ticks: int, series: int) -> ScalingPoint:
    """Run the real loop with the synthetic source for `ticks` ticks.

    With an engine, readings go through the service's buffered write path, whose
    writer thread inserts them with SqlReadingCommands while the loop goes on.
    Without one, each tick hands its readings to a writer that only counts,
    which shows the loop's timing without any database work.
    """
    source = _TimedSource(SyntheticSource(series=series))
    config = LoopConfig(interval=interval, ticks=ticks, report_limit=ticks)
    # The loop logs one line per tick at INFO and each late tick at WARNING. The
    # summary counts both, so the log is silenced for the run.
    loop_logger = logging.getLogger("tsloop")
    previous_level = loop_logger.level
    loop_logger.setLevel(logging.ERROR)
    try:
        if engine is None:
            commands = _TimedCommands(_CountingCommands())
            summary = run_sampling_loop(source, DirectSink(commands), SystemClock(), config)
            timing = summarize(summary)
        else:
            commands = _TimedCommands(SqlReadingCommands(engine))
            summary, written = _run_with_write_path(source, commands, config, series)
            # WritePath.submit returns 0 because the writer thread inserts later, so
            # the tick reports count no rows. The rows are the write path's total.
            timing = replace(summarize(summary), rows=written)
    finally:
        loop_logger.setLevel(previous_level)
    return ScalingPoint(
        series=series,
        timing=timing,
        sample_seconds=source.seconds,
        insert_seconds=commands.seconds,
        database=engine is not None,
    )


def _run_with_write_path(
    source: _TimedSource, commands: _TimedCommands, config: LoopConfig, series: int
) -> tuple[RunSummary, int]:
    """Run the loop with the buffered write path, then flush it.

    Returns the loop's summary and the rows the database inserted, including
    those of the final flush. The flush falls outside the loop's tick timing
    but inside the insert time that `commands` adds up.
    """
    write_config = WriteConfig(batch_size=MAX_BATCH_ROWS, buffer_size=max(10 * series, 10_000))
    with tempfile.TemporaryDirectory(prefix="tsloop-bench-spool-") as spool_dir:
        spool = FileSpool(Path(spool_dir), 1024 * 1024 * 1024)
        write_path = WritePath(commands, spool, write_config, Backoff(0.5, 5.0), NullTelemetry())
        write_path.start()
        try:
            summary = run_sampling_loop(source, write_path, SystemClock(), config)
        finally:
            totals = write_path.close(timeout=120.0, abort=_NeverAbort())
            spool.close()
    return summary, totals.written


class _NeverAbort:
    def is_set(self) -> bool:
        return False


def start_sleep_floor(interval: float, ticks: int) -> subprocess.Popen[str]:
    """Start `python -m bench.timing` in a child process, to run beside the sampling loop."""
    return subprocess.Popen(
        [sys.executable, "-m", "bench.timing", str(interval), str(ticks)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def collect_sleep_floor(process: subprocess.Popen[str], interval: float, ticks: int) -> LoopTiming:
    """Wait for the child from start_sleep_floor and return the timing that it printed."""
    try:
        output, _ = process.communicate(timeout=ticks * interval * 3 + CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError(f"the sleep-only loop at {interval} s timed out") from None
    if process.returncode != 0:
        raise RuntimeError(f"the sleep-only loop at {interval} s exited with {process.returncode}")
    return LoopTiming(**json.loads(output))
