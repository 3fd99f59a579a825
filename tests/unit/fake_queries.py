"""In-memory fake of the ReadingQueries port and the schema status, for HTTP unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tsloop.domain import Reading
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, ReadingDTO, SeriesDTO
from tsloop.usecases.errors import StorageError

# time_bucket's default origin for widths below a month (a Monday).
BUCKET_ORIGIN = datetime(2000, 1, 3, tzinfo=UTC)


class FakeQueries:
    """Return query results from a list of readings; `fail` makes every query raise StorageError."""

    def __init__(self, readings: list[Reading] | None = None) -> None:
        self.readings = sorted(readings or [], key=lambda r: (r.source, r.metric, r.time))
        self.fail = False
        self.series_calls = 0

    def _check(self) -> None:
        if self.fail:
            raise StorageError("connection refused")

    def latest(self) -> list[LatestReadingDTO]:
        self._check()
        newest: dict[tuple[str, str], Reading] = {}
        for reading in self.readings:
            newest[(reading.source, reading.metric)] = reading
        return [LatestReadingDTO(r.source, r.metric, r.time, r.value) for r in newest.values()]

    def series(self) -> list[SeriesDTO]:
        self._check()
        self.series_calls += 1
        keys = sorted({(r.source, r.metric) for r in self.readings})
        return [SeriesDTO(source, metric) for source, metric in keys]

    def range(
        self, source: str, metric: str, start: datetime, end: datetime, limit: int
    ) -> list[ReadingDTO]:
        self._check()
        rows = [
            ReadingDTO.from_entity(r)
            for r in self.readings
            if r.source == source and r.metric == metric and start <= r.time < end
        ]
        return rows[:limit]

    def buckets(
        self,
        width: timedelta,
        start: datetime,
        end: datetime,
        source: str | None = None,
        metric: str | None = None,
    ) -> list[BucketDTO]:
        self._check()
        groups: dict[tuple[datetime, str, str], list[float]] = {}
        for r in self.readings:
            if not start <= r.time < end:
                continue
            if source not in (None, r.source) or metric not in (None, r.metric):
                continue
            bucket = BUCKET_ORIGIN + ((r.time - BUCKET_ORIGIN) // width) * width
            groups.setdefault((bucket, r.source, r.metric), []).append(r.value)
        return [
            BucketDTO(key[0], key[1], key[2], sum(v) / len(v), min(v), max(v), len(v))
            for key, v in sorted(groups.items())
        ]


class FakeSchemaStatus:
    """Schema revisions set by the test; `current` may be an exception to raise."""

    def __init__(self, current: str | Exception | None = "0001", head: str = "0001") -> None:
        self.current = current
        self.head = head

    def current_revision(self) -> str | None:
        if isinstance(self.current, Exception):
            raise self.current
        return self.current

    def head_revision(self) -> str:
        return self.head
