"""The SQL command and query repositories against the real TimescaleDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.sql_queries import SqlReadingQueries
from tsloop.domain import Reading
from tsloop.usecases.errors import StorageError

pytestmark = pytest.mark.usefixtures("empty_readings")

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def series(
    source: str, metric: str, values: list[float], step: timedelta = timedelta(seconds=10)
) -> list[Reading]:
    return [Reading(T0 + i * step, source, metric, value) for i, value in enumerate(values)]


def test_insert_batch_returns_inserted_count(runtime_engine: Engine) -> None:
    commands = SqlReadingCommands(runtime_engine)

    inserted = commands.insert_batch(series("s1", "temp", [1.0, 2.0, 3.0]))

    assert inserted == 3


def test_insert_batch_skips_duplicates(runtime_engine: Engine) -> None:
    commands = SqlReadingCommands(runtime_engine)
    commands.insert_batch(series("s1", "temp", [1.0, 2.0]))

    inserted = commands.insert_batch(series("s1", "temp", [9.0, 9.0, 3.0]))
    rows = SqlReadingQueries(runtime_engine).range(
        "s1", "temp", T0, T0 + timedelta(hours=1), limit=10
    )

    assert inserted == 1
    assert [row.value for row in rows] == [1.0, 2.0, 3.0]


def test_insert_batch_of_ten_thousand_rows(runtime_engine: Engine) -> None:
    readings = series(
        "bulk", "m", [float(i) for i in range(10_000)], step=timedelta(milliseconds=100)
    )

    inserted = SqlReadingCommands(runtime_engine).insert_batch(readings)

    assert inserted == 10_000


def test_insert_batch_empty_is_noop(runtime_engine: Engine) -> None:
    assert SqlReadingCommands(runtime_engine).insert_batch([]) == 0


def test_delete_range_needs_more_than_runtime_role(runtime_engine: Engine) -> None:
    commands = SqlReadingCommands(runtime_engine)
    commands.insert_batch(series("s1", "temp", [1.0]))

    with pytest.raises(StorageError, match="permission denied"):
        commands.delete_range(T0, T0 + timedelta(hours=1))


def test_delete_range_as_owner_deletes_half_open_range(
    runtime_engine: Engine, owner_engine: Engine
) -> None:
    SqlReadingCommands(runtime_engine).insert_batch(series("s1", "temp", [1.0, 2.0, 3.0, 4.0]))
    SqlReadingCommands(runtime_engine).insert_batch(series("s2", "temp", [5.0, 6.0]))

    deleted = SqlReadingCommands(owner_engine).delete_range(
        T0 + timedelta(seconds=10), T0 + timedelta(seconds=30), "s1"
    )
    left = SqlReadingQueries(runtime_engine).range(
        "s1", "temp", T0, T0 + timedelta(hours=1), limit=10
    )

    assert deleted == 2
    assert [row.value for row in left] == [1.0, 4.0]


def test_latest_returns_newest_per_series(runtime_engine: Engine) -> None:
    commands = SqlReadingCommands(runtime_engine)
    commands.insert_batch(
        series("s1", "temp", [1.0, 2.0, 3.0])
        + series("s1", "hum", [7.0])
        + series("s2", "temp", [4.0, 5.0])
    )

    latest = SqlReadingQueries(runtime_engine).latest()

    assert [(row.source, row.metric, row.value) for row in latest] == [
        ("s1", "hum", 7.0),
        ("s1", "temp", 3.0),
        ("s2", "temp", 5.0),
    ]
    assert latest[1].time == T0 + timedelta(seconds=20)


def test_range_is_half_open_ordered_and_limited(runtime_engine: Engine) -> None:
    SqlReadingCommands(runtime_engine).insert_batch(series("s1", "temp", [0.0, 1.0, 2.0, 3.0, 4.0]))
    queries = SqlReadingQueries(runtime_engine)

    window = queries.range(
        "s1", "temp", T0 + timedelta(seconds=10), T0 + timedelta(seconds=40), limit=100
    )
    limited = queries.range("s1", "temp", T0, T0 + timedelta(hours=1), limit=2)

    assert [row.value for row in window] == [1.0, 2.0, 3.0]
    assert [row.value for row in limited] == [0.0, 1.0]


def test_buckets_aggregate_with_time_bucket(runtime_engine: Engine) -> None:
    SqlReadingCommands(runtime_engine).insert_batch(
        series("s1", "temp", [1.0, 3.0, 5.0, 10.0], step=timedelta(seconds=20))
    )

    buckets = SqlReadingQueries(runtime_engine).buckets(
        timedelta(minutes=1), T0, T0 + timedelta(minutes=2), source="s1", metric="temp"
    )

    assert len(buckets) == 2
    first, second = buckets
    assert first.bucket == T0
    assert (first.count, first.min, first.max, first.avg) == (3, 1.0, 5.0, 3.0)
    assert second.bucket == T0 + timedelta(minutes=1)
    assert (second.count, second.min, second.max, second.avg) == (1, 10.0, 10.0, 10.0)
