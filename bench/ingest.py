"""Ingest methods, each timed while it writes the same readings into an empty hypertable."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from psycopg2.extras import execute_values
from sqlalchemy import DateTime, Double, Engine, Text, create_engine, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import URL
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bench.workload import SERIES, START
from tsloop.adapters.engine import CONNECT_TIMEOUT
from tsloop.adapters.rows import reading_to_row
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.tables import readings as readings_table
from tsloop.domain import Reading

COPY_SQL = "\\copy readings (time, source, metric, value) FROM '{path}' WITH (FORMAT csv)"
# The same keys as generate_readings (SERIES series, one step per second from
# START) with values made on the server, so no row crosses the network.
SERVER_INSERT_SQL = text(
    "INSERT INTO readings (time, source, metric, value) "
    "SELECT CAST(:start AS timestamptz) + (i / :series) * interval '1 second', "
    "'synthetic', 'series_' || lpad((i % :series)::text, 4, '0'), random() "
    "FROM generate_series(0, :rows - 1) AS i "
    "ON CONFLICT (source, metric, time) DO NOTHING"
)
PSQL_TIMING = re.compile(r"^Time: ([0-9.]+) ms", re.MULTILINE)
EXECUTE_VALUES_SQL = (
    "INSERT INTO readings (time, source, metric, value) VALUES %s "
    "ON CONFLICT (source, metric, time) DO NOTHING"
)


class _Base(DeclarativeBase):
    pass


class OrmReading(_Base):
    """Throwaway ORM mapping of `readings` for the naive baseline only.

    The ORM needs a primary key, so the unique key (source, metric, time) serves as one.
    """

    __tablename__ = "readings"

    time: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    source: Mapped[str] = mapped_column(Text, primary_key=True)
    metric: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[float] = mapped_column(Double)


@dataclass(frozen=True)
class IngestResult:
    """Rows written by one method and the seconds it took, the median over `rounds` runs.

    `stored` is the row count of the table after the method, checked to equal `rows`.
    """

    method: str
    rows: int
    seconds: float
    stored: int
    rounds: int = 1

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def truncate_readings(owner_engine: Engine) -> None:
    with owner_engine.begin() as connection:
        connection.execute(text("TRUNCATE readings"))


def count_readings(owner_engine: Engine) -> int:
    with owner_engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM readings")).scalar_one())


def copy_with_psql(url: URL, csv_path: Path) -> float:
    """Load the CSV file with `psql \\copy` and return the seconds that psql's \\timing reports.

    That time covers the COPY alone and leaves out starting psql and logging
    in, because the other methods are also timed on open connections.
    """
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql is not installed: install the postgresql-client package")
    environment = {
        **os.environ,
        "PGHOST": url.host or "",
        "PGPORT": str(url.port or 5432),
        "PGDATABASE": url.database or "",
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGCONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
    }
    command = [
        psql,
        "-X",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        "\\timing on",
        "-c",
        COPY_SQL.format(path=csv_path),
    ]
    result = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"psql \\copy of {csv_path} failed: {result.stderr.strip()}")
    # psql prints "Time: 123.456 ms", followed by "(00:01.235)" above one second.
    timings = PSQL_TIMING.findall(result.stdout)
    if not timings:
        raise RuntimeError(f"psql printed no timing for \\copy: {result.stdout.strip()!r}")
    return float(timings[-1]) / 1000


def write_with_commands(engine: Engine, readings: list[Reading], batch_size: int) -> float:
    """Write with tsloop's SqlReadingCommands.insert_batch, `batch_size` readings per call."""
    commands = SqlReadingCommands(engine)
    inserted = 0
    started = time.perf_counter()
    for offset in range(0, len(readings), batch_size):
        inserted += commands.insert_batch(readings[offset : offset + batch_size])
    seconds = time.perf_counter() - started
    if inserted != len(readings):
        raise RuntimeError(f"insert_batch reported {inserted} inserted of {len(readings)}")
    return seconds


def write_with_executemany(engine: Engine, readings: list[Reading], batch_size: int) -> float:
    """Write with a Core INSERT ... ON CONFLICT DO NOTHING RETURNING executed with a list of rows.

    SQLAlchemy's insertmanyvalues turns that executemany into multi-row INSERTs
    of at most 32,700 bound parameters each (insertmanyvalues_max_parameters).
    This is what insert_batch sent before it bound one array per column, kept
    as a reference.
    """
    statement = (
        insert(readings_table)
        .on_conflict_do_nothing(
            index_elements=[
                readings_table.c.source,
                readings_table.c.metric,
                readings_table.c.time,
            ]
        )
        .returning(readings_table.c.time)
    )
    inserted = 0
    started = time.perf_counter()
    for offset in range(0, len(readings), batch_size):
        rows = [reading_to_row(reading) for reading in readings[offset : offset + batch_size]]
        with engine.begin() as connection:
            inserted += len(connection.execute(statement, rows).all())
    seconds = time.perf_counter() - started
    if inserted != len(readings):
        raise RuntimeError(f"executemany reported {inserted} inserted of {len(readings)}")
    return seconds


def write_with_orm(url: URL, readings: list[Reading]) -> float:
    """Write one row per ORM session.add and commit, the naive baseline."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            session.commit()
            started = time.perf_counter()
            for reading in readings:
                session.add(
                    OrmReading(
                        time=reading.time,
                        source=reading.source,
                        metric=reading.metric,
                        value=reading.value,
                    )
                )
                session.commit()
            return time.perf_counter() - started
    finally:
        engine.dispose()


def write_with_execute_values(url: URL, readings: list[Reading], page_size: int) -> float:
    """Write with psycopg2 execute_values, one multi-row INSERT and commit per page."""
    engine = create_engine(url)
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            started = time.perf_counter()
            for offset in range(0, len(readings), page_size):
                page = readings[offset : offset + page_size]
                rows = [(r.time, r.source, r.metric, r.value) for r in page]
                execute_values(cursor, EXECUTE_VALUES_SQL, rows, page_size=page_size)
                connection.commit()
            return time.perf_counter() - started
        finally:
            connection.close()
    finally:
        engine.dispose()


def write_on_server(engine: Engine, rows: int) -> float:
    """Insert `rows` generated rows with one INSERT ... SELECT, the ceiling of any INSERT writer."""
    parameters = {"start": START, "series": SERIES, "rows": rows}
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(SERVER_INSERT_SQL, parameters)
    return time.perf_counter() - started


def measure(
    method: str,
    rows: int,
    write: Callable[[], float],
    owner_engine: Engine,
) -> IngestResult:
    """Empty the hypertable, run `write`, and check that it stored every row."""
    truncate_readings(owner_engine)
    seconds = write()
    stored = count_readings(owner_engine)
    if stored != rows:
        raise RuntimeError(f"{method} stored {stored} rows instead of {rows}")
    return IngestResult(method=method, rows=rows, seconds=seconds, stored=stored)
