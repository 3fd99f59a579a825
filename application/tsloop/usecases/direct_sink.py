"""Sink that inserts each tick's readings synchronously, without buffer or spool."""

from __future__ import annotations

from collections.abc import Sequence

from tsloop.domain import Reading
from tsloop.usecases.ports import ReadingCommands
from tsloop.usecases.telemetry import NullTelemetry, Telemetry


class DirectSink:
    """ReadingSink that runs one insert per tick; a StorageError fails the tick.

    Used by tests and benchmarks of the loop itself. The service uses WritePath.
    """

    def __init__(self, commands: ReadingCommands, telemetry: Telemetry | None = None) -> None:
        self._commands = commands
        self._telemetry = telemetry or NullTelemetry()

    def submit(self, readings: Sequence[Reading]) -> int:
        self._telemetry.readings_sampled(len(readings))
        written = self._commands.insert_batch(readings)
        self._telemetry.readings_written(written)
        return written
