"""Write side of the reading store on PostgreSQL with TimescaleDB."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, cast, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import ReturningInsert

from tsloop.adapters.engine import describe_error
from tsloop.adapters.error_classes import storage_error
from tsloop.adapters.tables import readings
from tsloop.domain import Reading
from tsloop.usecases.errors import StorageError

logger = logging.getLogger(__name__)


def insert_ignoring_duplicates() -> ReturningInsert[tuple[datetime]]:
    """Return INSERT ... SELECT FROM unnest(...) ON CONFLICT (source, metric, time) DO NOTHING.

    The batch is bound as one array per column, so the statement has four
    parameters whatever the batch size. The statement returns the time of
    each inserted row.
    """
    columns = [readings.c.time, readings.c.source, readings.c.metric, readings.c.value]
    batch = (
        func.unnest(*[cast(bindparam(column.name), ARRAY(column.type)) for column in columns])
        .table_valued(*[column.name for column in columns])
        .render_derived(name="batch")
    )
    return (
        insert(readings)
        .from_select([column.name for column in columns], select(*batch.c))
        .on_conflict_do_nothing(
            index_elements=[readings.c.source, readings.c.metric, readings.c.time]
        )
        .returning(readings.c.time)
    )


# One row with the inserted count, so a large batch does not return a row per reading.
COUNT_INSERTED = select(func.count()).select_from(insert_ignoring_duplicates().cte("inserted"))


def batch_to_columns(batch: Sequence[Reading]) -> dict[str, list[Any]]:
    """Return the parameters of COUNT_INSERTED: one list of values per column."""
    return {
        "time": [reading.time for reading in batch],
        "source": [reading.source for reading in batch],
        "metric": [reading.metric for reading in batch],
        "value": [reading.value for reading in batch],
    }


class SqlReadingCommands:
    """Insert and delete readings, raising SQLAlchemy errors as StorageError.

    insert_batch raises TransientStorageError or PermanentStorageError, by SQLSTATE.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def insert_batch(self, batch: Sequence[Reading]) -> int:
        """Insert the batch in one transaction, skip existing (source, metric, time) rows.

        The batch goes as one INSERT statement of any size. RETURNING yields one
        row per inserted reading and none per skipped one, and the statement
        returns their count.
        """
        if not batch:
            return 0
        parameters = batch_to_columns(batch)
        try:
            with self._engine.begin() as connection:
                inserted = int(connection.execute(COUNT_INSERTED, parameters).scalar_one())
        except SQLAlchemyError as exc:
            raise storage_error(f"insert of {len(batch)} readings failed", exc) from exc
        if inserted < len(batch):
            logger.debug("skipped %d duplicate readings", len(batch) - inserted)
        return inserted

    def delete_range(self, start: datetime, end: datetime, source: str | None = None) -> int:
        """Delete readings with start <= time < end, of `source` only when given."""
        statement = delete(readings).where(readings.c.time >= start, readings.c.time < end)
        if source is not None:
            statement = statement.where(readings.c.source == source)
        try:
            with self._engine.begin() as connection:
                deleted = connection.execute(statement).rowcount
        except SQLAlchemyError as exc:
            message = f"delete of readings in [{start}, {end}) failed: {describe_error(exc)}"
            raise StorageError(message) from exc
        logger.info("deleted %d readings in [%s, %s) source=%s", deleted, start, end, source)
        return deleted
