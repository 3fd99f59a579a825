"""Timing accuracy and scaling of the sampling loop, from the loop's own tick reports."""

from __future__ import annotations

import logging
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from tsloop.adapters.clock import SystemClock
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.domain import Reading
from tsloop.usecases.dto import RunSummary, TickReport
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop
from tsloop.usecases.schedule import EPOCH


@dataclass(frozen=True)
class LoopTiming:
    """Lateness and drift of one loop run, in seconds.

    `lateness` of a tick is `started - due` (TickReport.lateness). `drift` is how
    far the last tick started from the grid that the first tick set:
    `last.started - (first.started + (last.tick - first.tick) * interval)`.
    A loop that schedules each tick from the end of the previous one accumulates
    its per-tick delays there. A loop on a fixed grid keeps it within one tick's
    lateness. `drift_trend` is the median slope of lateness over tick number
    times the ticks spanned, which a few late ticks do not move.
    """

    interval: float
    ticks: int
    missed: int
    failed: int
    rows: int
    lateness_p50: float
    lateness_p99: float
    lateness_max: float
    drift: float
    drift_trend: float


@dataclass(frozen=True)
class ScalingPoint:
    """Loop timing at one number of series per tick, with the seconds spent in all ticks."""

    series: int
    timing: LoopTiming
    sample_seconds: float
    insert_seconds: float

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


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values`, with `fraction` in (0, 1]."""
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


def summarize(summary: RunSummary) -> LoopTiming:
    """Compute lateness percentiles and drift from the tick reports of one run."""
    reports = summary.reports
    if not reports:
        raise RuntimeError("the loop ran no ticks, so there is no timing to report")
    lateness = [report.lateness for report in reports]
    first, last = reports[0], reports[-1]
    drift = last.started - (first.started + (last.tick - first.tick) * summary.interval)
    return LoopTiming(
        interval=summary.interval,
        ticks=summary.ticks,
        missed=summary.missed,
        failed=summary.failed,
        rows=summary.rows_written,
        lateness_p50=percentile(lateness, 0.50),
        lateness_p99=percentile(lateness, 0.99),
        lateness_max=max(lateness),
        drift=drift,
        drift_trend=_trend(reports),
    )


def _trend(reports: Sequence[TickReport]) -> float:
    """Return the Theil-Sen slope of lateness over tick number, times the ticks spanned.

    Theil-Sen takes the median of the slopes between all pairs of ticks, so a
    few late ticks anywhere in the run barely move it, unlike a least-squares fit.
    """
    if len(reports) < 2:
        return 0.0
    slopes = [
        (later.lateness - earlier.lateness) / (later.tick - earlier.tick)
        for index, earlier in enumerate(reports)
        for later in reports[index + 1 :]
    ]
    return statistics.median(slopes) * (reports[-1].tick - reports[0].tick)


class _TimedSource:
    def __init__(self, source: SyntheticSource) -> None:
        self._source = source
        self.seconds = 0.0

    def sample(self, at: datetime) -> list[Reading]:
        started = time.perf_counter()
        readings = self._source.sample(at)
        self.seconds += time.perf_counter() - started
        return readings


class _TimedCommands:
    def __init__(self, commands: SqlReadingCommands) -> None:
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


def measure_sleep_floor(interval: float, ticks: int) -> LoopTiming:
    """Time a loop that only sleeps to each due time on a fixed grid, for `ticks` ticks.

    Its lateness is the operating system's wakeup latency alone, the floor
    under the sampling loop's lateness on the same machine. Like the sampling
    loop, it skips the ticks that it is one interval or more late for.
    """
    clock = SystemClock()
    first_due = clock.monotonic() + interval
    reports: list[TickReport] = []
    missed = 0
    tick = 0
    while len(reports) < ticks:
        due = first_due + tick * interval
        clock.sleep(due - clock.monotonic())
        started = clock.monotonic()
        skipped = math.floor((started - due) / interval)
        if skipped >= 1:
            missed += skipped
            tick += skipped
            continue
        reports.append(TickReport(tick, EPOCH, due, started, started - due, 0))
        tick += 1
    summary = RunSummary(
        interval=interval, anchor=EPOCH, ticks=ticks, missed=missed, reports=reports
    )
    return summarize(summary)


def run_loop(engine: Engine, interval: float, ticks: int, series: int) -> ScalingPoint:
    """Run the real loop with the synthetic source and SqlReadingCommands for `ticks` ticks."""
    source = _TimedSource(SyntheticSource(series=series))
    commands = _TimedCommands(SqlReadingCommands(engine))
    config = LoopConfig(interval=interval, ticks=ticks, report_limit=ticks)
    # The loop logs one line per tick at INFO and each late tick at WARNING. The
    # summary counts both, so the log is silenced for the run.
    loop_logger = logging.getLogger("tsloop")
    previous_level = loop_logger.level
    loop_logger.setLevel(logging.ERROR)
    try:
        summary = run_sampling_loop(source, commands, SystemClock(), config)
    finally:
        loop_logger.setLevel(previous_level)
    return ScalingPoint(
        series=series,
        timing=summarize(summary),
        sample_seconds=source.seconds,
        insert_seconds=commands.seconds,
    )
