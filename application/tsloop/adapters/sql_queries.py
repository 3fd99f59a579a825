"""Read side of the reading store on PostgreSQL with TimescaleDB."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Engine,
    Interval,
    Row,
    Select,
    func,
    literal,
    literal_column,
    select,
    true,
    tuple_,
)
from sqlalchemy.exc import SQLAlchemyError

from tsloop.adapters.engine import describe_error
from tsloop.adapters.rows import (
    row_to_bucket_dto,
    row_to_latest_dto,
    row_to_reading_dto,
    row_to_series_dto,
)
from tsloop.adapters.tables import readings
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, ReadingDTO, SeriesDTO
from tsloop.usecases.errors import StorageError

T = TypeVar("T")


def latest_statement() -> Select[Any]:
    """Return the newest row per (source, metric): one index probe per series.

    DISTINCT ON over the hypertable reads every row, which takes seconds at a
    day of 100 series at 1 s. Walking the series (see series_statement) and
    fetching each one's newest row through the unique index costs one probe
    per series and chunk instead.
    """
    series = series_statement().subquery("series")
    t = readings.c
    newest = (
        select(t.time, t.value)
        .where(t.source == series.c.source, t.metric == series.c.metric)
        .order_by(t.time.desc())
        .limit(1)
        .lateral("newest")
    )
    return (
        select(series.c.source, series.c.metric, newest.c.time, newest.c.value)
        .select_from(series.join(newest, true()))
        .order_by(series.c.source, series.c.metric)
    )


def series_statement() -> Select[Any]:
    """Return every (source, metric) pair by walking the unique index, one series a step.

    A recursive query that fetches the next greater pair with LIMIT 1 costs one
    index probe per series and chunk, where SELECT DISTINCT reads every row.
    """
    t = readings.c
    walk = (
        select(t.source, t.metric)
        .order_by(t.source, t.metric)
        .limit(1)
        .cte("series", recursive=True)
    )
    later = readings.alias("later")
    following = (
        select(later.c.source, later.c.metric)
        .where(tuple_(later.c.source, later.c.metric) > tuple_(walk.c.source, walk.c.metric))
        .order_by(later.c.source, later.c.metric)
        .limit(1)
        .lateral("following")
    )
    walk = walk.union_all(
        select(following.c.source, following.c.metric).select_from(walk.join(following, true()))
    )
    return select(walk.c.source, walk.c.metric).order_by(walk.c.source, walk.c.metric)


def range_statement(
    source: str, metric: str, start: datetime, end: datetime, limit: int
) -> Select[Any]:
    t = readings.c
    return (
        select(t.time, t.source, t.metric, t.value)
        .where(t.source == source, t.metric == metric, t.time >= start, t.time < end)
        .order_by(t.time)
        .limit(limit)
    )


def buckets_statement(
    width: timedelta,
    start: datetime,
    end: datetime,
    source: str | None = None,
    metric: str | None = None,
) -> Select[Any]:
    """Aggregate with time_bucket(width, time), binding the width as an interval."""
    t = readings.c
    bucket = func.time_bucket(literal(width, Interval()), t.time).label("bucket")
    statement = (
        select(
            bucket,
            t.source,
            t.metric,
            func.avg(t.value).label("avg"),
            func.min(t.value).label("min"),
            func.max(t.value).label("max"),
            func.count().label("count"),
        )
        .where(t.time >= start, t.time < end)
        # Grouping by the output name keeps a single bound width, so the query also
        # works with drivers that bind parameters on the server.
        .group_by(literal_column("bucket"), t.source, t.metric)
        .order_by(bucket, t.source, t.metric)
    )
    if source is not None:
        statement = statement.where(t.source == source)
    if metric is not None:
        statement = statement.where(t.metric == metric)
    return statement


class SqlReadingQueries:
    """Query readings, raising SQLAlchemy errors as StorageError."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def latest(self) -> list[LatestReadingDTO]:
        return self._fetch(latest_statement(), row_to_latest_dto, "latest")

    def series(self) -> list[SeriesDTO]:
        return self._fetch(series_statement(), row_to_series_dto, "series")

    def range(
        self, source: str, metric: str, start: datetime, end: datetime, limit: int
    ) -> list[ReadingDTO]:
        statement = range_statement(source, metric, start, end, limit)
        return self._fetch(statement, row_to_reading_dto, "range")

    def buckets(
        self,
        width: timedelta,
        start: datetime,
        end: datetime,
        source: str | None = None,
        metric: str | None = None,
    ) -> list[BucketDTO]:
        statement = buckets_statement(width, start, end, source, metric)
        return self._fetch(statement, row_to_bucket_dto, "bucket")

    def _fetch(
        self, statement: Select[Any], convert: Callable[[Row[Any]], T], name: str
    ) -> list[T]:
        try:
            with self._engine.connect() as connection:
                return [convert(row) for row in connection.execute(statement)]
        except SQLAlchemyError as exc:
            raise StorageError(f"{name} query failed: {describe_error(exc)}") from exc
