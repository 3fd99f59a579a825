"""Telemetry that passes every event on to several receivers."""

from __future__ import annotations

from tsloop.usecases.dto import TickReport
from tsloop.usecases.telemetry import Telemetry


class TelemetryFanout:
    """Telemetry that forwards each event to every receiver, in the order given."""

    def __init__(self, *receivers: Telemetry) -> None:
        self.receivers = receivers

    def tick_completed(self, report: TickReport) -> None:
        for receiver in self.receivers:
            receiver.tick_completed(report)

    def ticks_missed(self, count: int) -> None:
        for receiver in self.receivers:
            receiver.ticks_missed(count)

    def readings_sampled(self, count: int) -> None:
        for receiver in self.receivers:
            receiver.readings_sampled(count)

    def readings_written(self, count: int) -> None:
        for receiver in self.receivers:
            receiver.readings_written(count)

    def readings_duplicate(self, count: int) -> None:
        for receiver in self.receivers:
            receiver.readings_duplicate(count)

    def readings_rejected(self, count: int, reason: str) -> None:
        for receiver in self.receivers:
            receiver.readings_rejected(count, reason)

    def readings_dropped(self, count: int, reason: str) -> None:
        for receiver in self.receivers:
            receiver.readings_dropped(count, reason)

    def buffer_depth(self, readings: int) -> None:
        for receiver in self.receivers:
            receiver.buffer_depth(readings)

    def spool_bytes(self, size: int) -> None:
        for receiver in self.receivers:
            receiver.spool_bytes(size)

    def flush_completed(self, seconds: float, rows: int) -> None:
        for receiver in self.receivers:
            receiver.flush_completed(seconds, rows)

    def database_retry(self, attempt: int) -> None:
        for receiver in self.receivers:
            receiver.database_retry(attempt)
