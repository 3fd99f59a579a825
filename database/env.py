"""Alembic environment: run the readings migrations under a PostgreSQL advisory lock."""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool, text

from tsloop.adapters.tables import metadata

config = context.config
logger = logging.getLogger("alembic.env")

# Key of the session-level advisory lock that serializes concurrent migrations.
# A second `tsloop migrate` waits for the first, then finds the schema at head.
MIGRATION_LOCK_KEY = 7_305_117_101

# Schemas that TimescaleDB owns; autogenerate must not propose changes there.
TIMESCALEDB_SCHEMAS = frozenset(
    {
        "_timescaledb_cache",
        "_timescaledb_catalog",
        "_timescaledb_config",
        "_timescaledb_debug",
        "_timescaledb_functions",
        "_timescaledb_internal",
        "timescaledb_experimental",
        "timescaledb_information",
        "toolkit_experimental",
    }
)
# Indexes that create_hypertable adds; they are not in the metadata on purpose.
TIMESCALEDB_INDEXES = frozenset({"readings_time_idx"})


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Hide TimescaleDB's schemas and indexes from autogenerate."""
    schema = getattr(obj, "schema", None)
    if schema in TIMESCALEDB_SCHEMAS:
        return False
    if type_ == "index" and reflected and compare_to is None and name in TIMESCALEDB_INDEXES:
        return False
    return not (type_ == "table" and name is not None and name.startswith("_hyper_"))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    if type_ == "schema":
        return name not in TIMESCALEDB_SCHEMAS
    return True


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=metadata,
        include_object=include_object,
        include_name=include_name,
        compare_type=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """Emit SQL to standard output without a connection."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _migrate_with_lock(connection: Connection) -> None:
    # A caller that passes its own connection inside a transaction commits it.
    owns_transaction = not connection.in_transaction()
    logger.info("waiting for migration lock %d", MIGRATION_LOCK_KEY)
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    if owns_transaction:
        # The session-level lock outlives this commit, and the migration below runs
        # in a new transaction that sees what an earlier lock holder committed.
        connection.commit()
    try:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        if owns_transaction:
            connection.commit()


def run_migrations_online() -> None:
    """Run migrations on the connection passed by the caller or on a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate_with_lock(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: run the migrations with `tsloop migrate`")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as new_connection:
            _migrate_with_lock(new_connection)
    finally:
        engine.dispose()


if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
