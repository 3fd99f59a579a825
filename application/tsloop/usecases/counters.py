"""Thread-safe counts of the write path, forwarded to the telemetry port as they change."""

from __future__ import annotations

import dataclasses
import threading

from tsloop.usecases.dto import WriteTotals
from tsloop.usecases.telemetry import Telemetry


class WriteCounters:
    """Counts shared by the sampling thread and the writer thread."""

    def __init__(self, telemetry: Telemetry) -> None:
        self._telemetry = telemetry
        self._lock = threading.Lock()
        self._totals = WriteTotals()

    def _add(self, **increments: int) -> None:
        with self._lock:
            current = self._totals
            changed = {name: getattr(current, name) + count for name, count in increments.items()}
            self._totals = dataclasses.replace(current, **changed)

    def sampled(self, count: int) -> None:
        self._add(sampled=count)
        self._telemetry.readings_sampled(count)

    def written(self, count: int, *, replayed: bool) -> None:
        self._add(written=count, replayed=count if replayed else 0)
        self._telemetry.readings_written(count)

    def duplicate(self, count: int) -> None:
        if count:
            self._add(duplicate=count)
            self._telemetry.readings_duplicate(count)

    def rejected(self, count: int, reason: str) -> None:
        self._add(rejected=count)
        self._telemetry.readings_rejected(count, reason)

    def spooled(self, count: int) -> None:
        self._add(spooled=count)

    def dropped(self, count: int, reason: str) -> None:
        self._add(dropped=count)
        self._telemetry.readings_dropped(count, reason)

    def totals(self) -> WriteTotals:
        with self._lock:
            return self._totals

    def buffer_depth(self, readings: int) -> None:
        self._telemetry.buffer_depth(readings)

    def spool_bytes(self, size: int) -> None:
        self._telemetry.spool_bytes(size)

    def flush_completed(self, seconds: float, rows: int) -> None:
        self._telemetry.flush_completed(seconds, rows)

    def database_retry(self, attempt: int) -> None:
        self._telemetry.database_retry(attempt)
