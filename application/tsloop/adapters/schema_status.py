"""Schema status: the database's Alembic revision and the newest shipped revision."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tsloop.adapters.engine import describe_error
from tsloop.adapters.migrations import ALEMBIC_INI, current_revision
from tsloop.adapters.settings import SettingsError
from tsloop.usecases.errors import StartupError, StorageError

logger = logging.getLogger(__name__)


class SqlSchemaStatus:
    """Read the revision from alembic_version and the head from the migrations folder.

    `locate_migrations` returns the folder that contains alembic.ini or raises
    SettingsError. The head revision is read once and then cached, because the
    migrations in a running build do not change.
    """

    def __init__(self, engine: Engine, locate_migrations: Callable[[], Path]) -> None:
        self._engine = engine
        self._locate_migrations = locate_migrations
        self._head: str | None = None

    def current_revision(self) -> str | None:
        try:
            return current_revision(self._engine)
        except SQLAlchemyError as exc:
            raise StorageError(
                f"reading the schema revision failed: {describe_error(exc)}"
            ) from exc

    def head_revision(self) -> str:
        if self._head is None:
            self._head = self._read_head()
        return self._head

    def _read_head(self) -> str:
        try:
            directory = self._locate_migrations()
            script = ScriptDirectory.from_config(Config(str(directory / ALEMBIC_INI)))
            head = script.get_current_head()
        except (SettingsError, CommandError) as exc:
            raise StartupError(f"cannot read the migrations: {exc}") from exc
        if head is None:
            raise StartupError(f"the migrations in {directory} have no head revision")
        logger.debug("head revision %s in %s", head, directory)
        return head
