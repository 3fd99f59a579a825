"""Conversions between database rows and domain entities or DTOs, in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from tsloop.domain import Reading
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, ReadingDTO, SeriesDTO


def reading_to_row(reading: Reading) -> dict[str, Any]:
    """Return the insert parameters of one reading, keyed by column name."""
    return {
        "time": reading.time,
        "source": reading.source,
        "metric": reading.metric,
        "value": reading.value,
    }


def row_to_reading_dto(row: Row[Any]) -> ReadingDTO:
    return ReadingDTO(time=row.time, source=row.source, metric=row.metric, value=row.value)


def row_to_latest_dto(row: Row[Any]) -> LatestReadingDTO:
    return LatestReadingDTO(source=row.source, metric=row.metric, time=row.time, value=row.value)


def row_to_series_dto(row: Row[Any]) -> SeriesDTO:
    return SeriesDTO(source=row.source, metric=row.metric)


def row_to_bucket_dto(row: Row[Any]) -> BucketDTO:
    return BucketDTO(
        bucket=row.bucket,
        source=row.source,
        metric=row.metric,
        avg=float(row.avg),
        min=float(row.min),
        max=float(row.max),
        # Row.count is the tuple method, so the column is read through the mapping.
        count=int(row._mapping["count"]),
    )
