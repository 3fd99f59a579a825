"""site.yml, migrations and the sampling loop end to end on a freshly provisioned VM."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest

from tests.support.cli import run_tsloop
from tests.support.testvm import DatabaseAccess, PlaybookRun, TestVm, run_site

TICKS = 6
SERIES = 7


def connect(database: DatabaseAccess, role: str) -> psycopg2.extensions.connection:
    user, password = (
        (database.owner, database.owner_password)
        if role == "owner"
        else (database.runtime, database.runtime_password)
    )
    return psycopg2.connect(
        host=database.host,
        port=database.port,
        dbname=database.name,
        user=user,
        password=password,
        connect_timeout=10,
    )


def scalar(database: DatabaseAccess, role: str, query: str) -> object:
    with connect(database, role) as connection, connection.cursor() as cursor:
        cursor.execute(query)
        row = cursor.fetchone()
    connection.close()
    return row[0] if row else None


@pytest.fixture(scope="module")
def migrated(database: DatabaseAccess, tmp_path_factory: pytest.TempPathFactory) -> DatabaseAccess:
    workdir = tmp_path_factory.mktemp("e2e")
    result = run_tsloop(database, "migrate", cwd=workdir)
    assert result.returncode == 0, result.stderr
    return database


def test_fresh_site_run_changes_the_server(provisioned: tuple[DatabaseAccess, PlaybookRun]) -> None:
    _, first = provisioned

    assert first.returncode == 0
    assert first.failed == 0
    assert first.changed > 0
    assert "Restarted PostgreSQL to apply" in first.output


def test_second_site_run_changes_nothing(
    provisioned: tuple[DatabaseAccess, PlaybookRun],
    shared_vm: TestVm,
    playbook_vars: Path,
    ansible_playbook: Path,
) -> None:
    second = run_site(shared_vm, playbook_vars, ansible_playbook)
    print(
        f"\nsecond site.yml run: {second.seconds:.1f} s, changed={second.changed}", file=sys.stderr
    )

    assert second.returncode == 0, second.output[-3000:]
    assert second.changed == 0, second.output[-3000:]


def test_loop_writes_ticks_times_series_rows(migrated: DatabaseAccess, tmp_path: Path) -> None:
    with connect(migrated, "owner") as connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE readings")
    connection.close()

    result = run_tsloop(
        migrated,
        "run",
        "--ticks",
        str(TICKS),
        "--interval",
        "0.5",
        "--series",
        str(SERIES),
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert scalar(migrated, "runtime", "SELECT count(*) FROM readings") == TICKS * SERIES
    assert scalar(migrated, "runtime", "SELECT count(DISTINCT time) FROM readings") == TICKS
    assert (
        scalar(migrated, "runtime", "SELECT count(DISTINCT (source, metric)) FROM readings")
        == SERIES
    )


def test_readings_land_in_hypertable_chunks(migrated: DatabaseAccess, tmp_path: Path) -> None:
    run = run_tsloop(migrated, "run", "--ticks", "2", "--interval", "0.2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr

    hypertables = scalar(
        migrated,
        "owner",
        "SELECT count(*) FROM timescaledb_information.hypertables"
        " WHERE hypertable_name = 'readings'",
    )
    chunks = scalar(
        migrated,
        "owner",
        "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'readings'",
    )

    assert hypertables == 1
    assert isinstance(chunks, int)
    assert chunks >= 1


def test_query_latest_prints_each_series(migrated: DatabaseAccess, tmp_path: Path) -> None:
    run = run_tsloop(
        migrated, "run", "--ticks", "1", "--interval", "0.2", "--series", "3", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr

    result = run_tsloop(migrated, "query", "latest", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert re.search(r"synthetic", result.stdout)


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE readings",
        "ALTER TABLE readings ADD COLUMN note text",
        "CREATE TABLE intruder (id int)",
        "DELETE FROM readings",
        "UPDATE readings SET value = 0",
        "TRUNCATE readings",
    ],
)
def test_runtime_role_cannot_change_schema_or_rows(
    migrated: DatabaseAccess, statement: str
) -> None:
    connection = connect(migrated, "runtime")

    with pytest.raises(psycopg2.errors.InsufficientPrivilege), connection.cursor() as cursor:
        cursor.execute(statement)
    connection.rollback()
    connection.close()


def test_runtime_role_can_insert_and_select(migrated: DatabaseAccess) -> None:
    connection = connect(migrated, "runtime")

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO readings (time, source, metric, value)"
            " VALUES ('2001-02-03T04:05:06Z', 'e2e', 'probe', 1.5)"
        )
        cursor.execute("SELECT value FROM readings WHERE source = 'e2e' AND metric = 'probe'")
        row = cursor.fetchone()
    connection.rollback()
    connection.close()

    assert row == (1.5,)


def test_runtime_and_owner_roles_are_not_superusers(migrated: DatabaseAccess) -> None:
    query = (
        "SELECT bool_or(rolsuper OR rolcreaterole OR rolcreatedb) FROM pg_roles "
        f"WHERE rolname IN ('{migrated.owner}', '{migrated.runtime}')"
    )

    assert scalar(migrated, "owner", query) is False
