"""Alembic environment: run the readings migrations under a PostgreSQL advisory lock."""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool, text

from tsloop.adapters.schema_filters import include_name, include_object
from tsloop.adapters.tables import metadata

config = context.config
logger = logging.getLogger("alembic.env")

# Key of the session-level advisory lock that serializes concurrent migrations.
# A second `tsloop migrate` waits for the first, then finds the schema at head.
MIGRATION_LOCK_KEY = 7_305_117_101


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
        # in a new transaction that reads what an earlier lock holder committed.
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
