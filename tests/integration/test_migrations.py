"""Alembic migrations of the readings hypertable against the real TimescaleDB."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from tests.integration.conftest import CHUNK_INTERVAL, role_url
from tests.support.cli import tsloop_executable
from tests.support.testvm import REPO_ROOT, DatabaseAccess
from tsloop.adapters.migrations import build_alembic_config, current_revision, upgrade_to_head

MIGRATIONS = REPO_ROOT / "database"


def head_revision() -> str:
    head = ScriptDirectory.from_config(Config(str(MIGRATIONS / "alembic.ini"))).get_current_head()
    assert head is not None
    return head


def chunk_interval_of_readings(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(
            connection.execute(
                text(
                    "SELECT time_interval FROM timescaledb_information.dimensions "
                    "WHERE hypertable_name = 'readings' AND column_name = 'time'"
                )
            ).scalar_one()
        )


def test_upgrade_again_is_noop(migrated: DatabaseAccess) -> None:
    result = upgrade_to_head(MIGRATIONS, role_url(migrated, "owner"), CHUNK_INTERVAL)

    assert result.before == result.after == head_revision()


def test_readings_is_hypertable_with_chunk_interval(owner_engine: Engine) -> None:
    assert chunk_interval_of_readings(owner_engine) == "1 day, 0:00:00"


def test_autogenerate_proposes_no_change(migrated: DatabaseAccess) -> None:
    config = build_alembic_config(MIGRATIONS, role_url(migrated, "owner"), CHUNK_INTERVAL)

    command.check(config)


def test_two_concurrent_migrations_both_succeed(
    migrated: DatabaseAccess, owner_engine: Engine, tmp_path: Path
) -> None:
    config = build_alembic_config(MIGRATIONS, role_url(migrated, "owner"), CHUNK_INTERVAL)
    command.downgrade(config, "base")
    assert current_revision(owner_engine) is None
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TSLOOP_")}
    environment.update(migrated.environment())
    environment["TSLOOP_CHUNK_INTERVAL"] = "6 hours"

    processes = [
        subprocess.Popen(
            [tsloop_executable(), "migrate"],
            cwd=tmp_path,
            env=environment,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outcomes = [process.communicate(timeout=120) for process in processes]

    for process, (_, stderr) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, stderr
    assert current_revision(owner_engine) == head_revision()
    assert chunk_interval_of_readings(owner_engine) == "6:00:00"

    command.downgrade(config, "base")
    upgrade_to_head(MIGRATIONS, role_url(migrated, "owner"), CHUNK_INTERVAL)
    assert chunk_interval_of_readings(owner_engine) == "1 day, 0:00:00"
