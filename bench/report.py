"""Tables of measured figures, each target printed beside the figure it applies to."""

from __future__ import annotations

from dataclasses import dataclass

from tabulate import tabulate

from bench.footprint import MIB
from bench.loop import ScalingPoint
from bench.runner import BenchmarkResult
from bench.timing import LoopTiming

# Goals, not assertions: the report states whether each one was met.
WRITER_COPY_RATIO_TARGET = 0.8
WRITER_TARGET_METHOD = "insert_batch, batch 10,000"
LATENESS_P99_TARGET = 0.002
LATENESS_TARGET_INTERVAL = 0.1
DRIFT_TARGET = 0.002
PEAK_RSS_TARGET = 80 * MIB
TABLE_FORMAT = "github"


@dataclass(frozen=True)
class TargetCheck:
    target: str
    measured: str
    met: bool


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def format_machine(result: BenchmarkResult) -> str:
    machine = result.machine
    before = ", ".join(f"{value:.2f}" for value in machine.load_average)
    after = ", ".join(f"{value:.2f}" for value in result.load_average_after)
    return "\n".join(
        [
            f"size: {result.size}",
            f"CPU: {machine.cpus} x {machine.cpu_model}",
            f"memory: {machine.memory_mib} MiB, kernel {machine.kernel}, Python {machine.python}",
            f"database: {machine.server}",
            f"load average (1, 5, 15 min): {before} before, {after} after",
        ]
    )


def format_ingest(result: BenchmarkResult) -> str:
    limit = result.copy_rows_per_second
    rows = [
        [
            entry.method,
            f"{entry.rows:,}",
            entry.rounds,
            f"{entry.seconds:.3f}",
            f"{entry.rows_per_second:,.0f}",
            f"{entry.rows_per_second / limit:.3f}",
        ]
        for entry in result.ingest
    ]
    headers = ["method", "rows", "runs", "median s", "rows/s", "ratio to \\copy"]
    return tabulate(rows, headers, tablefmt=TABLE_FORMAT, disable_numparse=True)


def format_timing(points: list[ScalingPoint], floors: list[LoopTiming]) -> str:
    runs = []
    for point, floor in zip(points, floors, strict=True):
        loop = "tsloop loop" if point.database else "tsloop loop, no database"
        runs += [(loop, point.timing), ("time.sleep only", floor)]
    rows = [
        [
            loop,
            f"{timing.interval * 1000:g}",
            timing.ticks,
            _ms(timing.lateness_p50),
            _ms(timing.lateness_p99),
            _ms(timing.lateness_max),
            _ms(timing.drift),
            _ms(timing.drift_trend),
            timing.missed,
            timing.failed,
        ]
        for loop, timing in runs
    ]
    headers = [
        "loop",
        "interval ms",
        "ticks",
        "p50 late ms",
        "p99 late ms",
        "max late ms",
        "drift ms",
        "drift trend ms",
        "missed",
        "failed",
    ]
    return tabulate(rows, headers, tablefmt=TABLE_FORMAT, disable_numparse=True)


def format_footprint(result: BenchmarkResult) -> str:
    footprint = result.footprint
    rows = [
        [
            run.ticks,
            f"{run.peak_rss / MIB:.1f}",
            f"{run.cpu_seconds:.2f}",
            f"{run.wall_seconds:.2f}",
        ]
        for run in (footprint.startup, footprint.run)
    ]
    table = tabulate(
        rows,
        ["ticks", "peak RSS MiB", "CPU s", "wall s"],
        tablefmt=TABLE_FORMAT,
        disable_numparse=True,
    )
    return (
        f"tsloop run --series {footprint.series} --interval {footprint.interval:g}\n{table}\n"
        f"CPU per tick beyond start-up: {footprint.cpu_seconds_per_tick * 1000:.2f} ms"
    )


def format_scaling(points: list[ScalingPoint]) -> str:
    rows = [
        [
            f"{point.series:,}",
            point.timing.ticks,
            f"{point.sample_seconds_per_tick * 1000:.1f}",
            f"{point.insert_seconds_per_tick * 1000:.1f}",
            f"{point.rows_per_second:,.0f}",
            _ms(point.timing.lateness_p50),
            _ms(point.timing.lateness_p99),
            _ms(point.timing.lateness_max),
            point.timing.missed,
        ]
        for point in points
    ]
    headers = [
        "series",
        "ticks",
        "sample ms/tick",
        "insert ms/tick",
        "insert rows/s",
        "p50 late ms",
        "p99 late ms",
        "max late ms",
        "missed",
    ]
    interval = points[0].timing.interval if points else 0.0
    table = tabulate(rows, headers, tablefmt=TABLE_FORMAT, disable_numparse=True)
    return f"interval {interval:g} s\n{table}"


def check_targets(result: BenchmarkResult) -> list[TargetCheck]:
    """Compare the figures with the goals. A missed goal is reported, not raised."""
    checks = []
    writer = next((r for r in result.ingest if r.method == WRITER_TARGET_METHOD), None)
    if writer is not None:
        ratio = writer.rows_per_second / result.copy_rows_per_second
        checks.append(
            TargetCheck(
                f"insert_batch at batch 10,000 >= {WRITER_COPY_RATIO_TARGET} of \\copy",
                f"{ratio:.3f}",
                ratio >= WRITER_COPY_RATIO_TARGET,
            )
        )
    with_database = [point for point in result.timing if point.database]
    for point in with_database:
        if abs(point.timing.interval - LATENESS_TARGET_INTERVAL) < 1e-9:
            checks.append(
                TargetCheck(
                    f"p99 lateness < {_ms(LATENESS_P99_TARGET)} ms at 100 ms interval",
                    f"{_ms(point.timing.lateness_p99)} ms",
                    point.timing.lateness_p99 < LATENESS_P99_TARGET,
                )
            )
    # The trend, not the end-point drift, because one late last tick moves the
    # end point by its lateness without any drift accumulating.
    worst = max(with_database, key=lambda point: abs(point.timing.drift_trend)).timing
    checks.append(
        TargetCheck(
            f"no cumulative drift: |drift trend| < {_ms(DRIFT_TARGET)} ms at every interval",
            f"{_ms(worst.drift_trend)} ms at {worst.interval * 1000:g} ms",
            abs(worst.drift_trend) < DRIFT_TARGET,
        )
    )
    peak = result.footprint.run.peak_rss
    checks.append(
        TargetCheck(
            f"peak RSS of tsloop run < {PEAK_RSS_TARGET // MIB} MiB",
            f"{peak / MIB:.1f} MiB",
            peak < PEAK_RSS_TARGET,
        )
    )
    return checks


def format_targets(checks: list[TargetCheck]) -> str:
    rows = [[check.target, check.measured, "met" if check.met else "MISSED"] for check in checks]
    return tabulate(
        rows, ["target", "measured", "result"], tablefmt=TABLE_FORMAT, disable_numparse=True
    )


def format_report(result: BenchmarkResult) -> str:
    sections = [
        ("Machine", format_machine(result)),
        ("Ingest into readings", format_ingest(result)),
        ("Loop timing", format_timing(result.timing, result.sleep_floor)),
        ("Footprint", format_footprint(result)),
        ("Scaling with series per tick", format_scaling(result.scaling)),
        ("Targets", format_targets(check_targets(result))),
    ]
    return "\n\n".join(f"## {title}\n\n{body}" for title, body in sections)
