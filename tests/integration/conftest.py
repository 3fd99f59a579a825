"""Fixtures for adapter tests against the TimescaleDB that site.yml provisioned."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from tests.support.testvm import REPO_ROOT, DatabaseAccess
from tsloop.adapters.engine import create_db_engine
from tsloop.adapters.migrations import upgrade_to_head

CHUNK_INTERVAL = "1 day"


def role_url(database: DatabaseAccess, role: str) -> URL:
    if role == "owner":
        return URL.create(
            "postgresql+psycopg2",
            database.owner,
            database.owner_password,
            database.host,
            database.port,
            database.name,
        )
    return URL.create(
        "postgresql+psycopg2",
        database.runtime,
        database.runtime_password,
        database.host,
        database.port,
        database.name,
    )


@pytest.fixture(scope="session")
def migrated(database: DatabaseAccess) -> DatabaseAccess:
    upgrade_to_head(REPO_ROOT / "database", role_url(database, "owner"), CHUNK_INTERVAL)
    return database


@pytest.fixture(scope="session")
def owner_engine(migrated: DatabaseAccess) -> Iterator[Engine]:
    engine = create_db_engine(role_url(migrated, "owner"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def runtime_engine(migrated: DatabaseAccess) -> Iterator[Engine]:
    engine = create_db_engine(role_url(migrated, "runtime"))
    yield engine
    engine.dispose()


@pytest.fixture
def empty_readings(owner_engine: Engine) -> None:
    """Start the test with an empty readings hypertable."""
    with owner_engine.begin() as connection:
        connection.execute(text("TRUNCATE readings"))
