"""Query use cases for API clients: pages of a time range and checks for unknown series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tsloop.usecases.dto import BucketDTO, ReadingDTO
from tsloop.usecases.errors import InvalidQuery
from tsloop.usecases.ports import ReadingQueries
from tsloop.usecases.queries import get_buckets, get_range


class UnknownSeries(InvalidQuery):
    """A query names a source or metric that no stored reading has."""


@dataclass(frozen=True)
class RangePage:
    """One page of readings, oldest first.

    `next_start` is the time of the first reading after this page: pass it as the
    next request's start to continue. It is None when the range has no more readings.
    """

    readings: list[ReadingDTO]
    next_start: datetime | None


def get_range_page(
    queries: ReadingQueries,
    source: str,
    metric: str,
    start: datetime,
    end: datetime,
    limit: int,
) -> RangePage:
    """Return up to `limit` readings of one series with start <= time < end.

    Raises UnknownSeries if the range is empty because no such series is stored.
    """
    check_label("source", source)
    check_label("metric", metric)
    # One extra row shows whether another page follows, and where it starts.
    rows = get_range(queries, source, metric, start, end, limit + 1)
    if not rows:
        require_series(queries, source, metric)
    if len(rows) > limit:
        return RangePage(readings=rows[:limit], next_start=rows[limit].time)
    return RangePage(readings=rows, next_start=None)


def get_series_buckets(
    queries: ReadingQueries,
    width: timedelta,
    start: datetime,
    end: datetime,
    source: str | None,
    metric: str | None,
    max_buckets: int,
) -> list[BucketDTO]:
    """Return the buckets of the matching series, or raise UnknownSeries for an unknown filter."""
    if source is not None:
        check_label("source", source)
    if metric is not None:
        check_label("metric", metric)
    rows = get_buckets(queries, width, start, end, source, metric, max_buckets=max_buckets)
    if not rows and (source is not None or metric is not None):
        require_series(queries, source, metric)
    return rows


def require_series(queries: ReadingQueries, source: str | None, metric: str | None) -> None:
    """Raise UnknownSeries unless a stored series matches the given source and metric."""
    for series in queries.series():
        if source not in (None, series.source):
            continue
        if metric not in (None, series.metric):
            continue
        return
    filters = " and ".join(
        f"{name} {value!r}" for name, value in (("source", source), ("metric", metric)) if value
    )
    raise UnknownSeries(f"no series with {filters} is stored: use a series from the series list")


def check_label(name: str, value: str) -> None:
    """Raise InvalidQuery for a label that no stored reading can have."""
    if not value.strip():
        raise InvalidQuery(f"{name} is empty: use a name from the series list")
    if "\x00" in value:
        raise InvalidQuery(f"{name} contains a NUL character")
