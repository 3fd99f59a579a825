"""SQL that the PostgreSQL adapters send, compiled without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.dialects.postgresql import psycopg2
from sqlalchemy.engine import make_url

from tsloop.adapters.engine import MAX_BATCH_ROWS, create_db_engine
from tsloop.adapters.rows import reading_to_row, row_to_bucket_dto, row_to_latest_dto
from tsloop.adapters.sql_commands import insert_ignoring_duplicates
from tsloop.adapters.sql_queries import buckets_statement, latest_statement, range_statement
from tsloop.adapters.tables import readings
from tsloop.domain import Reading

pytestmark = pytest.mark.unit

START = datetime(2026, 1, 1, tzinfo=UTC)
END = START + timedelta(hours=1)


def compile_sql(statement) -> str:
    return " ".join(str(statement.compile(dialect=psycopg2.dialect())).split())


def test_table_columns_and_constraint():
    assert [column.name for column in readings.columns] == ["time", "source", "metric", "value"]
    assert all(not column.nullable for column in readings.columns)
    constraint_names = {constraint.name for constraint in readings.constraints}
    assert "readings_source_metric_time_key" in constraint_names
    assert readings.indexes == set()


def test_insert_skips_duplicates_and_returns_rows():
    sql = compile_sql(insert_ignoring_duplicates())

    assert "ON CONFLICT (source, metric, time) DO NOTHING" in sql
    assert sql.endswith("RETURNING readings.time")


def test_latest_probes_newest_row_per_series():
    sql = compile_sql(latest_statement())

    assert "WITH RECURSIVE series" in sql
    assert "JOIN LATERAL (SELECT readings.time" in sql
    assert "ORDER BY readings.time DESC" in sql
    assert "DISTINCT" not in sql


def test_range_filters_and_limits():
    sql = compile_sql(range_statement("s", "m", START, END, 10))

    assert "readings.time >= %(time_1)s AND readings.time < %(time_2)s" in sql
    assert sql.endswith("ORDER BY readings.time LIMIT %(param_1)s")


def test_buckets_use_time_bucket():
    sql = compile_sql(buckets_statement(timedelta(minutes=5), START, END, "s", "m"))

    assert "time_bucket(%(param_1)s, readings.time) AS bucket" in sql
    assert "GROUP BY bucket, readings.source, readings.metric" in sql
    assert "readings.source = %(source_1)s AND readings.metric = %(metric_1)s" in sql


def test_buckets_without_filters():
    sql = compile_sql(buckets_statement(timedelta(minutes=5), START, END))

    assert "readings.source =" not in sql
    assert "readings.metric =" not in sql


def test_reading_row_conversion():
    row = reading_to_row(Reading(START, "s", "m", 1.5))

    assert row == {"time": START, "source": "s", "metric": "m", "value": 1.5}


def test_result_row_conversion():
    latest = row_to_latest_dto(SimpleNamespace(source="s", metric="m", time=START, value=2.0))
    bucket_row = SimpleNamespace(
        bucket=START,
        source="s",
        metric="m",
        avg=1.5,
        min=1,
        max=2,
        _mapping={"count": 2},
    )

    bucket = row_to_bucket_dto(bucket_row)

    assert latest.value == 2.0
    assert (bucket.avg, bucket.min, bucket.max, bucket.count) == (1.5, 1.0, 2.0, 2)


def test_engine_options():
    engine = create_db_engine(make_url("postgresql+psycopg2://u:p@127.0.0.1/d"))

    assert engine.dialect.insertmanyvalues_page_size == MAX_BATCH_ROWS
    assert engine.pool._pre_ping is True
    engine.dispose()
