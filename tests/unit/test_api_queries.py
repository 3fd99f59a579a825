"""Query use cases for API clients: range pages and unknown-series checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fake_queries import FakeQueries

from tsloop.domain import Reading
from tsloop.usecases.api_queries import (
    UnknownSeries,
    get_range_page,
    get_series_buckets,
    require_series,
)
from tsloop.usecases.errors import InvalidQuery

T0 = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def readings(source: str, metric: str, count: int) -> list[Reading]:
    return [Reading(T0 + timedelta(seconds=i), source, metric, float(i)) for i in range(count)]


@pytest.fixture
def queries() -> FakeQueries:
    return FakeQueries(readings("s", "a", 5) + readings("s", "b", 2) + readings("t", "a", 1))


def test_range_page_sets_next_start(queries: FakeQueries) -> None:
    page = get_range_page(queries, "s", "a", T0, T0 + HOUR, limit=2)

    assert [row.value for row in page.readings] == [0.0, 1.0]
    assert page.next_start == T0 + timedelta(seconds=2)


def test_range_pages_cover_series_once(queries: FakeQueries) -> None:
    values: list[float] = []
    start: datetime | None = T0

    for _ in range(10):
        assert start is not None
        page = get_range_page(queries, "s", "a", start, T0 + HOUR, limit=2)
        values += [row.value for row in page.readings]
        start = page.next_start
        if start is None:
            break

    assert values == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_last_range_page_has_no_next_start(queries: FakeQueries) -> None:
    page = get_range_page(queries, "s", "a", T0, T0 + HOUR, limit=5)

    assert len(page.readings) == 5
    assert page.next_start is None


def test_range_of_unknown_series_raises(queries: FakeQueries) -> None:
    with pytest.raises(UnknownSeries, match="source 's' and metric 'zz'"):
        get_range_page(queries, "s", "zz", T0, T0 + HOUR, limit=10)


def test_empty_range_of_known_series_is_empty(queries: FakeQueries) -> None:
    page = get_range_page(queries, "s", "a", T0 - HOUR, T0, limit=10)

    assert page.readings == []
    assert page.next_start is None


def test_nonempty_range_skips_series_lookup(queries: FakeQueries) -> None:
    get_range_page(queries, "s", "a", T0, T0 + HOUR, limit=10)

    assert queries.series_calls == 0


def test_range_rejects_nul_in_label(queries: FakeQueries) -> None:
    with pytest.raises(InvalidQuery, match="NUL"):
        get_range_page(queries, "s\x00", "a", T0, T0 + HOUR, limit=10)


def test_range_rejects_end_before_start(queries: FakeQueries) -> None:
    with pytest.raises(InvalidQuery, match="must be before end"):
        get_range_page(queries, "s", "a", T0 + HOUR, T0, limit=10)


def test_buckets_of_one_series(queries: FakeQueries) -> None:
    rows = get_series_buckets(queries, timedelta(seconds=2), T0, T0 + HOUR, "s", "a", 10_000)

    assert [(row.count, row.avg) for row in rows] == [(2, 0.5), (2, 2.5), (1, 4.0)]


def test_buckets_of_unknown_source_raise(queries: FakeQueries) -> None:
    with pytest.raises(UnknownSeries, match="source 'nope'"):
        get_series_buckets(queries, timedelta(minutes=1), T0, T0 + HOUR, "nope", None, 100)


def test_too_many_buckets_raise(queries: FakeQueries) -> None:
    with pytest.raises(InvalidQuery, match="exceed the maximum of 100"):
        get_series_buckets(queries, timedelta(seconds=1), T0, T0 + HOUR, None, None, 100)


def test_require_series_matches_metric_alone(queries: FakeQueries) -> None:
    require_series(queries, None, "b")

    with pytest.raises(UnknownSeries, match="metric 'c'"):
        require_series(queries, None, "c")
