"""Sampling loop: run ticks at a fixed rate and hand each tick's readings to a sink."""

from __future__ import annotations

import logging
import math
from collections import deque

from tsloop.domain import InvalidReading
from tsloop.usecases.clock_watch import WallClockWatch
from tsloop.usecases.dto import RunSummary, TickReport
from tsloop.usecases.errors import SourceError, StartupError, StorageError
from tsloop.usecases.loop_config import LoopConfig, validate_loop_config
from tsloop.usecases.ports import Clock, ReadingSink, ReadingSource, StopFlag
from tsloop.usecases.schedule import Schedule, start_schedule
from tsloop.usecases.telemetry import NullTelemetry, Telemetry

logger = logging.getLogger(__name__)

__all__ = ["LoopConfig", "run_sampling_loop"]


# During an outage every tick fails. The first failures are all logged, then
# one in FAILURE_LOG_EVERY, so a long outage does not flood the log.
FAILURE_LOG_FIRST = 3
FAILURE_LOG_EVERY = 60


def _should_log_failure(streak: int) -> bool:
    return streak <= FAILURE_LOG_FIRST or streak % FAILURE_LOG_EVERY == 0


class _NeverStop:
    def is_set(self) -> bool:
        return False


def run_sampling_loop(
    source: ReadingSource,
    sink: ReadingSink,
    clock: Clock,
    config: LoopConfig,
    stop: StopFlag | None = None,
    telemetry: Telemetry | None = None,
) -> RunSummary:
    """Run the loop until the tick count, the duration or the stop flag ends it.

    Raises StartupError on an invalid configuration. A tick whose source or
    store fails is logged, counted as failed and the loop goes on.
    """
    try:
        validate_loop_config(config)
        schedule = start_schedule(config.interval, clock.now(), clock.monotonic())
    except StartupError as exc:
        logger.error("cannot start the sampling loop: %s", exc)
        raise
    loop = _SamplingLoop(
        source,
        sink,
        clock,
        config,
        stop or _NeverStop(),
        schedule,
        telemetry or NullTelemetry(),
    )
    return loop.run()


class _SamplingLoop:
    def __init__(
        self,
        source: ReadingSource,
        sink: ReadingSink,
        clock: Clock,
        config: LoopConfig,
        stop: StopFlag,
        schedule: Schedule,
        telemetry: Telemetry,
    ) -> None:
        self._source = source
        self._sink = sink
        self._clock = clock
        self._config = config
        self._stop = stop
        self._schedule = schedule
        self._telemetry = telemetry
        self._reports: deque[TickReport] = deque(maxlen=config.report_limit)
        self._summary = RunSummary(interval=schedule.interval, anchor=schedule.anchor)
        self._failure_streak = 0
        self._clock_watch = WallClockWatch(schedule.interval)

    def run(self) -> RunSummary:
        config = self._config
        tick = 0
        while not self._stop.is_set():
            if config.ticks is not None and self._summary.ticks >= config.ticks:
                break
            due = self._schedule.due(tick)
            if config.duration is not None and tick * self._schedule.interval >= config.duration:
                break
            if not self._sleep_until(due):
                break
            started = self._clock.monotonic()
            lateness = started - due
            missed = math.floor(lateness / self._schedule.interval)
            if missed >= 1:
                # Run only the most recent due tick instead of a burst of stale ones.
                self._summary.missed += missed
                self._telemetry.ticks_missed(missed)
                logger.warning(
                    "skipped %d missed ticks after tick %d: %.1f ms late",
                    missed,
                    tick,
                    lateness * 1000,
                )
                tick += missed
                continue
            self._run_tick(tick, due, started)
            tick += 1
        summary = self._summary
        summary.reports = list(self._reports)
        # Rows are counted by the sink: the write path logs its totals when it closes.
        logger.info(
            "stopped: ticks=%d late=%d missed=%d failed=%d",
            summary.ticks,
            summary.late,
            summary.missed,
            summary.failed,
        )
        return summary

    def _sleep_until(self, due: float) -> bool:
        """Sleep in bounded steps until `due`, and return False if the stop flag was set."""
        max_steps = math.ceil(max(due - self._clock.monotonic(), 0) / self._config.max_sleep) + 2
        for _ in range(max_steps):
            remaining = due - self._clock.monotonic()
            if remaining <= 0:
                return True
            if self._stop.is_set():
                return False
            self._clock.sleep(min(remaining, self._config.max_sleep))
        return True

    def _run_tick(self, tick: int, due: float, started: float) -> None:
        lateness = started - due
        if lateness > self._config.late_tolerance:
            self._summary.late += 1
            logger.warning("tick %d started %.1f ms late", tick, lateness * 1000)
        tick_time = self._schedule.tick_time(tick)
        self._clock_watch.check(tick, tick_time, self._clock.now())

        error: str | None = None
        rows = 0
        sampled = 0
        try:
            readings = self._source.sample(tick_time)
            sampled = len(readings)
            rows = self._sink.submit(readings)
        except (SourceError, StorageError, InvalidReading) as exc:
            error = str(exc)
            self._summary.failed += 1
            self._failure_streak += 1
            if _should_log_failure(self._failure_streak):
                logger.error(
                    "tick %d at %s failed (%d in a row): %s",
                    tick,
                    tick_time.isoformat(),
                    self._failure_streak,
                    exc,
                )
        else:
            if self._failure_streak:
                logger.info("recovered after %d failed ticks", self._failure_streak)
                self._failure_streak = 0
            logger.info("tick %d: sampled=%d lateness=%.1f ms", tick, sampled, lateness * 1000)
        self._summary.ticks += 1
        self._summary.rows_written += rows
        report = TickReport(tick, tick_time, due, started, lateness, rows, error)
        self._reports.append(report)
        self._telemetry.tick_completed(report)
