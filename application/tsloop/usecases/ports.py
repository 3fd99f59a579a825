"""Ports: the interfaces that adapters implement for the use cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from tsloop.domain import Reading
from tsloop.usecases.dto import (
    BucketDTO,
    LatestReadingDTO,
    ReadingDTO,
    SeriesDTO,
    SpoolSegment,
)


class ReadingCommands(Protocol):
    """Write side of the reading store. Implementations raise StorageError on failure."""

    def insert_batch(self, readings: Sequence[Reading]) -> int:
        """Insert readings in one round trip, skip duplicates, return the number inserted."""
        ...

    def delete_range(self, start: datetime, end: datetime, source: str | None = None) -> int:
        """Delete readings with start <= time < end, optionally of one source only."""
        ...


class ReadingQueries(Protocol):
    """Read side of the reading store. Implementations raise StorageError on failure."""

    def latest(self) -> list[LatestReadingDTO]:
        """Return the newest reading of each (source, metric) series."""
        ...

    def series(self) -> list[SeriesDTO]:
        """Return every stored (source, metric) series, ordered by source and metric."""
        ...

    def range(
        self, source: str, metric: str, start: datetime, end: datetime, limit: int
    ) -> list[ReadingDTO]:
        """Return up to `limit` readings of one series with start <= time < end, oldest first."""
        ...

    def buckets(
        self,
        width: timedelta,
        start: datetime,
        end: datetime,
        source: str | None = None,
        metric: str | None = None,
    ) -> list[BucketDTO]:
        """Return avg, min, max and count per time bucket and series."""
        ...


class ReadingSource(Protocol):
    """Producer of readings. Implementations raise SourceError on failure."""

    def sample(self, at: datetime) -> list[Reading]:
        """Return the readings for the tick whose scheduled wall time is `at`."""
        ...


class Clock(Protocol):
    """Time source of the loop: a monotonic clock for scheduling, UTC wall time for labels."""

    def monotonic(self) -> float:
        """Return seconds on a clock that never goes backwards."""
        ...

    def now(self) -> datetime:
        """Return the current wall time as an aware UTC datetime."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for `seconds`."""
        ...


class StopFlag(Protocol):
    """Flag that stops the loop after the current tick. A threading.Event satisfies it."""

    def is_set(self) -> bool: ...


class ReadingSink(Protocol):
    """Receiver of each tick's readings: the database directly or a buffered write path."""

    def submit(self, readings: Sequence[Reading]) -> int:
        """Accept one tick's readings and return how many were written to the store already.

        A buffered sink returns 0 and writes them later.
        """
        ...


class Spool(Protocol):
    """Durable local store of readings that could not be written to the database yet."""

    def append(self, readings: Sequence[Reading]) -> bool:
        """Save the readings durably, or return False if the size cap is hit or the write fails."""
        ...

    def pending(self) -> bool:
        """Return True while the spool contains readings that have not been removed."""
        ...

    def oldest(self) -> SpoolSegment | None:
        """Return the oldest segment, or None if the spool is empty.

        The segment that takes appends is closed first when it is the only one.
        """
        ...

    def remove(self, segment: SpoolSegment) -> None:
        """Delete a segment after all of its readings are committed."""
        ...

    def size(self) -> int:
        """Return the bytes the spool uses on disk."""
        ...
