"""Run every measurement of one size against one database and collect the figures."""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from bench.footprint import Footprint, measure_footprint
from bench.ingest import (
    IngestResult,
    copy_with_psql,
    count_readings,
    measure,
    truncate_readings,
    write_on_server,
    write_with_commands,
    write_with_execute_values,
    write_with_executemany,
    write_with_orm,
)
from bench.loop import ScalingPoint, collect_sleep_floor, run_loop, start_sleep_floor
from bench.machine import Machine, describe_machine
from bench.sizes import Size
from bench.target import DatabaseTarget
from bench.timing import LoopTiming
from bench.workload import generate_readings, write_csv
from tsloop.adapters.engine import create_db_engine

logger = logging.getLogger(__name__)

COPY_METHOD = "psql \\copy"
SERVER_METHOD = "INSERT ... SELECT on the server"


@dataclass(frozen=True)
class BenchmarkResult:
    size: str
    machine: Machine
    load_average_after: tuple[float, float, float]
    ingest: list[IngestResult]
    timing: list[ScalingPoint]
    sleep_floor: list[LoopTiming]
    footprint: Footprint
    scaling: list[ScalingPoint]

    @property
    def copy_rows_per_second(self) -> float:
        return next(r.rows_per_second for r in self.ingest if r.method == COPY_METHOD)


class ExistingRowsError(RuntimeError):
    """The readings hypertable contains rows, which the benchmark would delete."""


def run_benchmark(
    target: DatabaseTarget,
    size: Size,
    *,
    allow_truncate: bool = False,
    progress: Callable[[str], None] = logger.info,
) -> BenchmarkResult:
    """Measure ingest, loop timing, footprint and scaling, and leave `readings` empty.

    Raises ExistingRowsError if `readings` contains rows and `allow_truncate` is
    False, because every step starts with TRUNCATE readings.
    """
    owner_engine = create_db_engine(target.owner_url)
    runtime_engine = create_db_engine(target.runtime_url)
    try:
        existing = count_readings(owner_engine)
        if existing and not allow_truncate:
            raise ExistingRowsError(
                f"readings contains {existing} rows and every benchmark step truncates it: "
                "point the benchmark at a database for benchmarks, or pass --truncate"
            )
        machine = describe_machine(runtime_engine)
        progress(f"ingest: {size.ingest_rows} rows per method")
        ingest = _measure_ingest(target, size, owner_engine, runtime_engine)
        progress("loop timing")
        timing, sleep_floor = _measure_loops(
            runtime_engine, owner_engine, size.timing, size.timing_series
        )
        without_database, floor_without_database = _measure_loops(
            None, owner_engine, size.timing_without_database, size.timing_series
        )
        timing += without_database
        sleep_floor += floor_without_database
        progress(f"footprint: tsloop run with {size.footprint_series} series")
        truncate_readings(owner_engine)
        footprint = measure_footprint(
            target.runtime_url, size.footprint_series, size.footprint_interval, size.footprint_ticks
        )
        progress("scaling")
        scaling = [
            _run_loop_empty(runtime_engine, owner_engine, size.scaling_interval, ticks, series)
            for series, ticks in size.scaling
        ]
        truncate_readings(owner_engine)
    finally:
        owner_engine.dispose()
        runtime_engine.dispose()
    return BenchmarkResult(
        size=size.name,
        machine=machine,
        load_average_after=os.getloadavg(),
        ingest=ingest,
        timing=timing,
        sleep_floor=sleep_floor,
        footprint=footprint,
        scaling=scaling,
    )


def _measure_ingest(
    target: DatabaseTarget, size: Size, owner_engine: Engine, runtime_engine: Engine
) -> list[IngestResult]:
    """Time every method, the fast ones in `size.ingest_rounds` interleaved rounds.

    Interleaving spreads a burst of load from other work on the machine over
    all methods instead of one, and the median of the rounds is reported.
    """
    readings = generate_readings(size.ingest_rows)
    slow = readings[: size.slow_rows]
    batch = size.reference_batch
    # One checkout first, so the pool's first connect is not timed.
    with runtime_engine.connect():
        pass
    with tempfile.TemporaryDirectory(prefix="tsloop-bench-") as directory:
        csv_path = Path(directory) / "readings.csv"
        write_csv(readings, csv_path)
        fast: list[tuple[str, int, Callable[[], float]]] = [
            (COPY_METHOD, len(readings), partial(copy_with_psql, target.runtime_url, csv_path))
        ]
        fast += [
            (
                f"insert_batch, batch {batch_size:,}",
                len(readings),
                partial(write_with_commands, runtime_engine, readings, batch_size),
            )
            for batch_size in size.batch_sizes
            if batch_size > 1
        ]
        fast += [
            (
                f"Core executemany RETURNING, {batch:,} per call",
                len(readings),
                partial(write_with_executemany, runtime_engine, readings, batch),
            ),
            (SERVER_METHOD, len(readings), partial(write_on_server, runtime_engine, len(readings))),
            (
                f"execute_values, {batch:,} per INSERT",
                len(readings),
                partial(write_with_execute_values, target.runtime_url, readings, batch),
            ),
        ]
        rounds: dict[str, list[IngestResult]] = {}
        for _ in range(size.ingest_rounds):
            for method, rows, write in fast:
                rounds.setdefault(method, []).append(measure(method, rows, write, owner_engine))
    results = [_median_result(measured) for measured in rounds.values()]
    batch_of_one = measure(
        "insert_batch, batch 1",
        len(slow),
        partial(write_with_commands, runtime_engine, slow, 1),
        owner_engine,
    )
    orm = measure(
        "ORM add + commit per row",
        len(slow),
        partial(write_with_orm, target.runtime_url, slow),
        owner_engine,
    )
    # The table lists \copy first, then insert_batch from the smallest batch up.
    return [results[0], batch_of_one, *results[1:], orm]


def _median_result(measured: list[IngestResult]) -> IngestResult:
    seconds = statistics.median(result.seconds for result in measured)
    first = measured[0]
    return IngestResult(
        method=first.method,
        rows=first.rows,
        seconds=seconds,
        stored=first.stored,
        rounds=len(measured),
    )


def _measure_loops(
    runtime_engine: Engine | None,
    owner_engine: Engine,
    runs: tuple[tuple[float, int], ...],
    series: int,
) -> tuple[list[ScalingPoint], list[LoopTiming]]:
    """Run the sampling loop and, in a child process at the same time, the sleep-only loop.

    Both wake at the same moments, so both see the same load on a shared machine.
    """
    points = []
    floors = []
    for interval, ticks in runs:
        truncate_readings(owner_engine)
        floor = start_sleep_floor(interval, ticks)
        try:
            points.append(run_loop(runtime_engine, interval, ticks, series))
        finally:
            floors.append(collect_sleep_floor(floor, interval, ticks))
    return points, floors


def _run_loop_empty(
    runtime_engine: Engine, owner_engine: Engine, interval: float, ticks: int, series: int
) -> ScalingPoint:
    truncate_readings(owner_engine)
    return run_loop(runtime_engine, interval, ticks, series)
