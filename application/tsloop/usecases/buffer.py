"""Bounded in-memory buffer of readings waiting for the writer."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from tsloop.domain import Reading
from tsloop.usecases.errors import StartupError


class ReadingBuffer:
    """First-in first-out queue of at most `capacity` readings; not thread-safe on its own.

    A capacity of 0 sends every reading straight to the overflow, which the
    write path saves to the spool.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise StartupError(f"buffer size {capacity} is invalid: use an integer >= 0")
        self.capacity = capacity
        self._readings: deque[Reading] = deque()

    def __len__(self) -> int:
        return len(self._readings)

    def offer(self, readings: Sequence[Reading]) -> list[Reading]:
        """Append what fits and return the readings that did not fit, in order."""
        room = max(self.capacity - len(self._readings), 0)
        self._readings.extend(readings[:room])
        return list(readings[room:])

    def take(self, limit: int) -> list[Reading]:
        """Remove and return up to `limit` of the oldest readings."""
        count = min(limit, len(self._readings))
        return [self._readings.popleft() for _ in range(count)]

    def drain(self) -> list[Reading]:
        """Remove and return every reading, oldest first."""
        readings = list(self._readings)
        self._readings.clear()
        return readings
