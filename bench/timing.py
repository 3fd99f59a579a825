"""Lateness and drift of a fixed-rate loop from its tick reports, and a sleep-only loop.

`python -m bench.timing INTERVAL TICKS` runs the sleep-only loop and prints its
timing as JSON. It imports no database code, so it starts fast as a child process.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from tsloop.adapters.clock import SystemClock
from tsloop.usecases.dto import RunSummary, TickReport
from tsloop.usecases.schedule import EPOCH, start_schedule


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


def measure_sleep_floor(interval: float, ticks: int) -> LoopTiming:
    """Time a loop that only sleeps to each due time on a fixed grid, for `ticks` ticks.

    Its lateness is the operating system's wakeup latency alone, the floor
    under the sampling loop's lateness on the same machine. Its grid starts at
    the next multiple of `interval` in UTC, as the sampling loop's does, so the
    two wake at the same moments when they run side by side. Like the sampling
    loop, it skips the ticks that it is one interval or more late for.
    """
    clock = SystemClock()
    first_due = start_schedule(interval, clock.now(), clock.monotonic()).due(0)
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


def main(arguments: list[str]) -> None:
    interval, ticks = float(arguments[0]), int(arguments[1])
    print(json.dumps(asdict(measure_sleep_floor(interval, ticks))))


if __name__ == "__main__":
    main(sys.argv[1:])
