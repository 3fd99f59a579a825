"""Telemetry adapter that records loop and write-path events as Prometheus metrics."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from tsloop.usecases.dto import TickReport
from tsloop.usecases.loop_config import LoopConfig

logger = logging.getLogger(__name__)

# Bucket bounds in seconds. Lateness is mostly below a few milliseconds, and a
# flush that takes seconds already means the database is struggling.
LATENESS_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
FLUSH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Reasons become label values, so only this many distinct ones are kept and any
# further reason is counted under OTHER_REASON to bound the number of series.
MAX_REASONS = 20
OTHER_REASON = "other"


class PrometheusTelemetry:
    """Counters, gauges and histograms of the loop in a registry owned by this object.

    Each instance has its own CollectorRegistry, so several instances (one per
    app, one per test) never clash in the process-wide default registry.
    Ticks whose lateness exceeds `late_tolerance` seconds are also counted as late.
    The last tick time is read by the liveness check.
    """

    def __init__(
        self,
        late_tolerance: float = LoopConfig.late_tolerance,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._late_tolerance = late_tolerance
        self._monotonic = monotonic
        self._last_tick: float | None = None
        self._reasons: set[str] = set()
        self._reasons_lock = threading.Lock()
        self._define_metrics()

    @property
    def last_tick_monotonic(self) -> float | None:
        """Monotonic time at which the most recent tick completed, or None before the first."""
        return self._last_tick

    def _define_metrics(self) -> None:
        registry = self.registry
        self._ticks = Counter(
            "tsloop_ticks", "Executed ticks by outcome.", ["outcome"], registry=registry
        )
        self._late = Counter(
            "tsloop_ticks_late", "Ticks that started later than the tolerance.", registry=registry
        )
        self._missed = Counter(
            "tsloop_ticks_missed",
            "Ticks skipped because the loop fell an interval or more behind.",
            registry=registry,
        )
        self._lateness = Histogram(
            "tsloop_tick_lateness_seconds",
            "Delay between a tick's due time and its start.",
            buckets=LATENESS_BUCKETS,
            registry=registry,
        )

        self._last_tick_time = Gauge(
            "tsloop_last_tick_timestamp_seconds",
            "Unix time of the most recent tick's scheduled wall time.",
            registry=registry,
        )

        self._sampled = Counter(
            "tsloop_readings_sampled", "Readings produced by the source.", registry=registry
        )
        self._written = Counter(
            "tsloop_readings_written", "Readings inserted into the database.", registry=registry
        )
        self._duplicate = Counter(
            "tsloop_readings_duplicate",
            "Readings the database already stored.",
            registry=registry,
        )
        self._rejected = Counter(
            "tsloop_readings_rejected",
            "Readings rejected as invalid.",
            ["reason"],
            registry=registry,
        )
        self._dropped = Counter(
            "tsloop_readings_dropped",
            "Readings discarded on purpose.",
            ["reason"],
            registry=registry,
        )

        self._buffer_depth = Gauge(
            "tsloop_buffer_depth_readings",
            "Readings waiting in the write buffer.",
            registry=registry,
        )
        self._spool_bytes = Gauge(
            "tsloop_spool_bytes", "Size of the on-disk spool in bytes.", registry=registry
        )
        self._flush_seconds = Histogram(
            "tsloop_flush_duration_seconds",
            "Duration of one flush of buffered readings to the database.",
            buckets=FLUSH_BUCKETS,
            registry=registry,
        )
        self._flush_rows = Counter(
            "tsloop_flush_rows", "Rows sent to the database by flushes.", registry=registry
        )
        self._retries = Counter(
            "tsloop_database_retries", "Retried database operations.", registry=registry
        )

    def tick_completed(self, report: TickReport) -> None:
        self._ticks.labels(outcome="failed" if report.error else "ok").inc()
        self._lateness.observe(max(report.lateness, 0.0))
        if report.lateness > self._late_tolerance:
            self._late.inc()
        self._last_tick_time.set(report.tick_time.timestamp())
        self._last_tick = self._monotonic()

    def ticks_missed(self, count: int) -> None:
        self._missed.inc(count)

    def readings_sampled(self, count: int) -> None:
        self._sampled.inc(count)

    def readings_written(self, count: int) -> None:
        self._written.inc(count)

    def readings_duplicate(self, count: int) -> None:
        self._duplicate.inc(count)

    def readings_rejected(self, count: int, reason: str) -> None:
        self._rejected.labels(reason=self._reason_label(reason)).inc(count)

    def readings_dropped(self, count: int, reason: str) -> None:
        self._dropped.labels(reason=self._reason_label(reason)).inc(count)

    def buffer_depth(self, readings: int) -> None:
        self._buffer_depth.set(readings)

    def spool_bytes(self, size: int) -> None:
        self._spool_bytes.set(size)

    def flush_completed(self, seconds: float, rows: int) -> None:
        self._flush_seconds.observe(seconds)
        self._flush_rows.inc(rows)

    def database_retry(self, attempt: int) -> None:
        self._retries.inc()

    def _reason_label(self, reason: str) -> str:
        with self._reasons_lock:
            if reason in self._reasons:
                return reason
            if len(self._reasons) < MAX_REASONS:
                self._reasons.add(reason)
                return reason
        logger.debug(
            "more than %d distinct reasons: counting %r as %s", MAX_REASONS, reason, OTHER_REASON
        )
        return OTHER_REASON
