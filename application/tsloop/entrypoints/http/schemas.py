"""Response bodies of the HTTP API as pydantic models, converted from the use case DTOs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from tsloop.usecases.api_queries import RangePage
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, SeriesDTO
from tsloop.usecases.liveness import LivenessReport
from tsloop.usecases.readiness import ReadinessReport


class Series(BaseModel):
    source: str
    metric: str


class SeriesList(BaseModel):
    series: list[Series]


class LatestReading(BaseModel):
    source: str
    metric: str
    time: datetime
    value: float


class LatestList(BaseModel):
    readings: list[LatestReading]


class Point(BaseModel):
    time: datetime
    value: float


class ReadingsPage(BaseModel):
    source: str
    metric: str
    readings: list[Point]
    next_start: datetime | None = Field(
        description="Start of the next page: send it as `start` to continue, null on the last page."
    )


class Bucket(BaseModel):
    bucket: datetime = Field(description="Start of the bucket.")
    source: str
    metric: str
    avg: float
    min: float
    max: float
    count: int


class BucketList(BaseModel):
    width_seconds: float
    start: datetime
    end: datetime
    buckets: list[Bucket]


class Liveness(BaseModel):
    alive: bool
    reason: str
    seconds_since_tick: float | None
    stale_after_seconds: float


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, str]


class ErrorMessage(BaseModel):
    detail: str


def series_list(rows: list[SeriesDTO]) -> SeriesList:
    return SeriesList(series=[Series(source=row.source, metric=row.metric) for row in rows])


def latest_list(rows: list[LatestReadingDTO]) -> LatestList:
    return LatestList(
        readings=[
            LatestReading(source=row.source, metric=row.metric, time=row.time, value=row.value)
            for row in rows
        ]
    )


def readings_page(source: str, metric: str, page: RangePage) -> ReadingsPage:
    return ReadingsPage(
        source=source,
        metric=metric,
        readings=[Point(time=row.time, value=row.value) for row in page.readings],
        next_start=page.next_start,
    )


def bucket_list(
    width_seconds: float, start: datetime, end: datetime, rows: list[BucketDTO]
) -> BucketList:
    buckets = [
        Bucket(
            bucket=row.bucket,
            source=row.source,
            metric=row.metric,
            avg=row.avg,
            min=row.min,
            max=row.max,
            count=row.count,
        )
        for row in rows
    ]
    return BucketList(width_seconds=width_seconds, start=start, end=end, buckets=buckets)


def liveness(report: LivenessReport) -> Liveness:
    return Liveness(
        alive=report.alive,
        reason=report.reason,
        seconds_since_tick=report.seconds_since_tick,
        stale_after_seconds=report.stale_after,
    )


def readiness(report: ReadinessReport) -> Readiness:
    return Readiness(ready=report.ready, checks=report.checks)
