"""Workload sizes: `full` for the recorded figures, `tiny` for the smoke test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """Row counts, tick counts and series counts of one benchmark size.

    `slow_rows` caps the methods that commit every row (the ORM baseline and
    insert_batch with batch size 1), so a full run stays within minutes. They
    run once, and the other ingest methods run in `ingest_rounds` rounds.
    `reference_batch` is the rows per call of the executemany and
    execute_values methods.
    `timing` lists (interval in seconds, ticks) pairs and `scaling` lists
    (series per tick, ticks) pairs that run at `scaling_interval`.
    `timing_without_database` lists the (interval, ticks) pairs that run again
    with a writer that only counts.
    """

    name: str
    ingest_rows: int
    slow_rows: int
    batch_sizes: tuple[int, ...]
    reference_batch: int
    ingest_rounds: int
    timing: tuple[tuple[float, int], ...]
    timing_without_database: tuple[tuple[float, int], ...]
    timing_series: int
    footprint_series: int
    footprint_interval: float
    footprint_ticks: int
    scaling: tuple[tuple[int, int], ...]
    scaling_interval: float


FULL = Size(
    name="full",
    ingest_rows=100_000,
    slow_rows=5_000,
    batch_sizes=(1, 100, 1_000, 10_000),
    reference_batch=10_000,
    ingest_rounds=3,
    timing=((1.0, 30), (0.1, 300), (0.01, 1_000)),
    timing_without_database=((0.1, 300),),
    timing_series=10,
    footprint_series=100,
    footprint_interval=0.1,
    footprint_ticks=200,
    scaling=((10, 10), (1_000, 10), (100_000, 5)),
    scaling_interval=1.0,
)

TINY = Size(
    name="tiny",
    ingest_rows=2_000,
    slow_rows=200,
    batch_sizes=(1, 100, 1_000, 10_000),
    reference_batch=10_000,
    ingest_rounds=1,
    timing=((1.0, 2), (0.1, 10), (0.01, 20)),
    timing_without_database=((0.1, 10),),
    timing_series=10,
    footprint_series=100,
    footprint_interval=0.1,
    footprint_ticks=5,
    scaling=((10, 3), (100, 3), (1_000, 3)),
    scaling_interval=0.2,
)

SIZES = {size.name: size for size in (FULL, TINY)}
