"""Write side of the reading store on PostgreSQL with TimescaleDB."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import ReturningInsert

from tsloop.adapters.engine import describe_error
from tsloop.adapters.rows import reading_to_row
from tsloop.adapters.tables import readings
from tsloop.domain import Reading
from tsloop.usecases.errors import StorageError

logger = logging.getLogger(__name__)


def insert_ignoring_duplicates() -> ReturningInsert[tuple[datetime]]:
    """Return INSERT ... ON CONFLICT (source, metric, time) DO NOTHING RETURNING time."""
    return (
        insert(readings)
        .on_conflict_do_nothing(
            index_elements=[readings.c.source, readings.c.metric, readings.c.time]
        )
        .returning(readings.c.time)
    )


class SqlReadingCommands:
    """Insert and delete readings, raising SQLAlchemy errors as StorageError."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def insert_batch(self, batch: Sequence[Reading]) -> int:
        """Insert the batch in one transaction, skip existing (source, metric, time) rows.

        RETURNING yields one row per inserted reading and none per skipped one, so
        its length is the inserted count. SQLAlchemy's insertmanyvalues sends the
        batch as one multi-row INSERT when it fits in the engine's page size.
        """
        if not batch:
            return 0
        statement = insert_ignoring_duplicates()
        parameters = [reading_to_row(reading) for reading in batch]
        try:
            with self._engine.begin() as connection:
                inserted = len(connection.execute(statement, parameters).all())
        except SQLAlchemyError as exc:
            message = f"insert of {len(batch)} readings failed: {describe_error(exc)}"
            raise StorageError(message) from exc
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
