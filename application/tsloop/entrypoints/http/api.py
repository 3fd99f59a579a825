"""Query API routes: series, latest readings, readings in a range and time buckets."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from tsloop.domain import MAX_LABEL_LENGTH
from tsloop.entrypoints.http import schemas
from tsloop.entrypoints.http.context import Context
from tsloop.entrypoints.http.durations import WIDTH_PATTERN, parse_width
from tsloop.entrypoints.http.errors import STORAGE_ERROR_RESPONSE
from tsloop.usecases import queries
from tsloop.usecases.api_queries import get_range_page, get_series_buckets
from tsloop.usecases.errors import InvalidQuery

logger = logging.getLogger(__name__)

# Per-request caps that keep one response within a few megabytes of JSON.
MAX_PAGE_LIMIT = 10_000
MAX_BUCKETS_PER_SERIES = 10_000
DEFAULT_WINDOW = timedelta(hours=1)

router = APIRouter(prefix="/api", tags=["readings"], responses={503: STORAGE_ERROR_RESPONSE})

Source = Annotated[str, Query(min_length=1, max_length=MAX_LABEL_LENGTH, examples=["synthetic"])]
Metric = Annotated[str, Query(min_length=1, max_length=MAX_LABEL_LENGTH, examples=["series_0000"])]
OptionalSource = Annotated[str | None, Query(min_length=1, max_length=MAX_LABEL_LENGTH)]
OptionalMetric = Annotated[str | None, Query(min_length=1, max_length=MAX_LABEL_LENGTH)]
Start = Annotated[
    AwareDatetime | None,
    Query(description="Inclusive start, ISO 8601 with a time zone. Default: one hour before end."),
]
End = Annotated[
    AwareDatetime | None,
    Query(description="Exclusive end, ISO 8601 with a time zone. Default: now."),
]


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    end = end or datetime.now(UTC)
    if start is not None:
        return start, end
    try:
        return end - DEFAULT_WINDOW, end
    except OverflowError:
        raise InvalidQuery(f"end {end.isoformat()} is out of range: give a later end") from None


@router.get("/series", response_model=schemas.SeriesList)
def list_series(context: Context) -> schemas.SeriesList:
    """List every stored series by source and metric."""
    return schemas.series_list(queries.get_series(context.queries))


@router.get("/latest", response_model=schemas.LatestList)
def latest(context: Context) -> schemas.LatestList:
    """Return the newest reading of every series."""
    return schemas.latest_list(queries.get_latest(context.queries))


@router.get("/readings", response_model=schemas.ReadingsPage)
def readings(
    context: Context,
    source: Source,
    metric: Metric,
    start: Start = None,
    end: End = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT, description="Readings per page.")] = 1000,
) -> schemas.ReadingsPage:
    """Return one page of a series' readings in [start, end), oldest first.

    When more readings follow, `next_start` is set: repeat the request with it as `start`.
    """
    window_start, window_end = _window(start, end)
    page = get_range_page(context.queries, source, metric, window_start, window_end, limit)
    return schemas.readings_page(source, metric, page)


@router.get("/buckets", response_model=schemas.BucketList)
def buckets(
    context: Context,
    width: Annotated[
        str,
        Query(
            pattern=WIDTH_PATTERN,
            description="Bucket width: a number with an optional unit s, m, h, d or w.",
            examples=["1m"],
        ),
    ] = "1m",
    source: OptionalSource = None,
    metric: OptionalMetric = None,
    start: Start = None,
    end: End = None,
) -> schemas.BucketList:
    """Return avg, min, max and count per time bucket and series in [start, end).

    Without source or metric every series matches. A series has at most
    10000 buckets in one response.
    """
    bucket_width = parse_width(width)
    window_start, window_end = _window(start, end)
    rows = get_series_buckets(
        context.queries,
        bucket_width,
        window_start,
        window_end,
        source,
        metric,
        max_buckets=MAX_BUCKETS_PER_SERIES,
    )
    return schemas.bucket_list(bucket_width.total_seconds(), window_start, window_end, rows)
