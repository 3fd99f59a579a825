"""The benchmark at tiny size, so that it keeps running as the code changes.

It checks that every figure was produced and is a finite number. It asserts
nothing about speed, because run times on a shared test machine are noise.
"""

from __future__ import annotations

import math

import pytest

from bench.report import check_targets, format_report
from bench.runner import COPY_METHOD, BenchmarkResult, run_benchmark
from bench.sizes import TINY
from bench.target import DatabaseTarget
from tests.integration.conftest import role_url
from tests.support.testvm import DatabaseAccess


@pytest.fixture(scope="module")
def tiny_result(migrated: DatabaseAccess) -> BenchmarkResult:
    """Run the benchmark once for this module. It empties readings before each step."""
    target = DatabaseTarget(
        runtime_url=role_url(migrated, "runtime"), owner_url=role_url(migrated, "owner")
    )
    return run_benchmark(target, TINY, allow_truncate=True)


def assert_finite(value: float, name: str) -> None:
    assert math.isfinite(value), f"{name} is {value!r}"


def test_bench_tiny_produces_every_figure(tiny_result: BenchmarkResult) -> None:
    methods = [entry.method for entry in tiny_result.ingest]
    assert methods[0] == COPY_METHOD
    assert [f"insert_batch, batch {size:,}" for size in TINY.batch_sizes] == methods[1:5]
    assert any(method.startswith("execute_values") for method in methods)
    assert any(method.startswith("ORM") for method in methods)
    for entry in tiny_result.ingest:
        assert entry.stored == entry.rows, entry.method
        assert_finite(entry.rows_per_second, entry.method)

    runs = TINY.timing + TINY.timing_without_database
    assert [point.timing.interval for point in tiny_result.timing] == [
        interval for interval, _ in runs
    ]
    assert [floor.interval for floor in tiny_result.sleep_floor] == [
        interval for interval, _ in runs
    ]
    for floor in tiny_result.sleep_floor:
        assert_finite(floor.lateness_p99, "sleep-only lateness p99")
        assert_finite(floor.drift_trend, "sleep-only drift trend")
    for point in tiny_result.timing + tiny_result.scaling:
        assert point.timing.ticks > 0
        assert_finite(point.timing.lateness_p50, "lateness p50")
        assert_finite(point.timing.lateness_p99, "lateness p99")
        assert_finite(point.timing.lateness_max, "lateness max")
        assert_finite(point.timing.drift, "drift")
        assert_finite(point.rows_per_second, "scaling rows/s")
    assert [point.series for point in tiny_result.scaling] == [series for series, _ in TINY.scaling]

    footprint = tiny_result.footprint
    assert footprint.run.peak_rss > 0
    assert footprint.run.cpu_seconds > 0
    assert_finite(footprint.cpu_seconds_per_tick, "CPU per tick")


def test_bench_tiny_report_lists_targets(tiny_result: BenchmarkResult) -> None:
    report = format_report(tiny_result)
    checks = check_targets(tiny_result)

    assert len(checks) == 4
    for check in checks:
        assert check.target in report
    for title in ("Machine", "Ingest", "Loop timing", "Footprint", "Scaling", "Targets"):
        assert f"## {title}" in report
