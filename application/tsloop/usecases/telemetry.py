"""Telemetry port: events of the loop and the write path that metrics and health read."""

from __future__ import annotations

from typing import Protocol

from tsloop.usecases.dto import TickReport


class Telemetry(Protocol):
    """Receiver of loop and write-path events. Implementations must not raise or block."""

    def tick_completed(self, report: TickReport) -> None:
        """Record one executed tick, with its lateness and outcome."""
        ...

    def ticks_missed(self, count: int) -> None:
        """Record ticks skipped because the loop fell one interval or more behind."""
        ...

    def readings_sampled(self, count: int) -> None: ...

    def readings_written(self, count: int) -> None: ...

    def readings_duplicate(self, count: int) -> None:
        """Record readings the database already held (a retried or replayed batch)."""
        ...

    def readings_rejected(self, count: int, reason: str) -> None:
        """Record readings refused as invalid, before or by the database."""
        ...

    def readings_dropped(self, count: int, reason: str) -> None:
        """Record readings lost on purpose, for example because the spool is full."""
        ...

    def buffer_depth(self, readings: int) -> None: ...

    def spool_bytes(self, size: int) -> None: ...

    def flush_completed(self, seconds: float, rows: int) -> None: ...

    def database_retry(self, attempt: int) -> None: ...


class NullTelemetry:
    """Telemetry that discards every event, used when nothing observes the loop."""

    def tick_completed(self, report: TickReport) -> None:
        pass

    def ticks_missed(self, count: int) -> None:
        pass

    def readings_sampled(self, count: int) -> None:
        pass

    def readings_written(self, count: int) -> None:
        pass

    def readings_duplicate(self, count: int) -> None:
        pass

    def readings_rejected(self, count: int, reason: str) -> None:
        pass

    def readings_dropped(self, count: int, reason: str) -> None:
        pass

    def buffer_depth(self, readings: int) -> None:
        pass

    def spool_bytes(self, size: int) -> None:
        pass

    def flush_completed(self, seconds: float, rows: int) -> None:
        pass

    def database_retry(self, attempt: int) -> None:
        pass
