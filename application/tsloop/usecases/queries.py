"""Query use cases: check arguments, then read through the ReadingQueries port."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tsloop.domain import InvalidReading
from tsloop.domain.reading import validate_time
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, ReadingDTO, SeriesDTO
from tsloop.usecases.errors import InvalidQuery
from tsloop.usecases.ports import ReadingQueries

logger = logging.getLogger(__name__)

MAX_RANGE_LIMIT = 100_000
# A bucket query over a long range with narrow buckets can return millions of
# rows, so the number of buckets per series is capped.
MAX_BUCKETS = 100_000


def get_latest(queries: ReadingQueries) -> list[LatestReadingDTO]:
    """Return the newest reading of every series."""
    return queries.latest()


def get_series(queries: ReadingQueries) -> list[SeriesDTO]:
    """Return every stored series, ordered by source and metric."""
    return queries.series()


def get_range(
    queries: ReadingQueries,
    source: str,
    metric: str,
    start: datetime,
    end: datetime,
    limit: int = 1000,
) -> list[ReadingDTO]:
    """Return up to `limit` readings of one series with start <= time < end."""
    start, end = _check_window(start, end)
    if not 1 <= limit <= MAX_RANGE_LIMIT:
        raise InvalidQuery(f"limit {limit} is invalid: use 1 to {MAX_RANGE_LIMIT}")
    if not source or not metric:
        raise InvalidQuery("source and metric must not be empty")
    logger.debug("range query: source=%s metric=%s start=%s end=%s", source, metric, start, end)
    return queries.range(source, metric, start, end, limit)


def get_buckets(
    queries: ReadingQueries,
    width: timedelta,
    start: datetime,
    end: datetime,
    source: str | None = None,
    metric: str | None = None,
    max_buckets: int = MAX_BUCKETS,
) -> list[BucketDTO]:
    """Return avg, min, max and count per bucket of `width` for each matching series.

    Raises InvalidQuery if the range contains more than `max_buckets` buckets.
    """
    start, end = _check_window(start, end)
    if width <= timedelta(0):
        raise InvalidQuery(f"bucket width {width} is invalid: use a positive duration")
    buckets = (end - start) / width
    if buckets > max_buckets:
        raise InvalidQuery(
            f"{buckets:.0f} buckets of {width} between {start} and {end} exceed the maximum "
            f"of {max_buckets}: use a wider bucket or a shorter range"
        )
    return queries.buckets(width, start, end, source=source, metric=metric)


def _check_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    try:
        start = validate_time(start)
        end = validate_time(end)
    except InvalidReading as exc:
        raise InvalidQuery(exc.reason) from exc
    if start >= end:
        raise InvalidQuery(f"start {start.isoformat()} must be before end {end.isoformat()}")
    return start, end
