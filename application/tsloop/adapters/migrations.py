"""Run the Alembic migrations in the database/ folder programmatically."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from tsloop.adapters.engine import create_db_engine, describe_error
from tsloop.adapters.settings import CHUNK_INTERVAL_PATTERN, SettingsError, env_name
from tsloop.usecases.errors import StorageError

logger = logging.getLogger(__name__)

ALEMBIC_INI = "alembic.ini"
# Location of the migrations in the container image.
IMAGE_MIGRATIONS_DIR = Path("/app/database")
# application/tsloop/adapters/migrations.py -> the checkout root is four levels up.
CHECKOUT_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class MigrationResult:
    """Revisions before and after an upgrade. None means that no revision was applied yet."""

    before: str | None
    after: str | None


def locate_migrations_dir(configured: Path | None, cwd: Path) -> Path:
    """Return the folder that contains alembic.ini.

    Search order: the configured folder (TSLOOP_MIGRATIONS_DIR), then
    `database/` under `cwd`, then `database/` in the source checkout, then
    /app/database. Raises SettingsError if none contains alembic.ini.
    """
    if configured is not None:
        if (configured / ALEMBIC_INI).is_file():
            return configured
        raise SettingsError(
            f"invalid setting {env_name('migrations_dir')}={str(configured)!r}: "
            f"the folder has no {ALEMBIC_INI}"
        )
    candidates = [cwd / "database", CHECKOUT_ROOT / "database", IMAGE_MIGRATIONS_DIR]
    for candidate in candidates:
        if (candidate / ALEMBIC_INI).is_file():
            return candidate
    searched = ", ".join(str(candidate) for candidate in candidates)
    raise SettingsError(
        f"no {ALEMBIC_INI} found in {searched}: set {env_name('migrations_dir')} "
        "to the folder that contains it"
    )


def build_alembic_config(directory: Path, url: URL, chunk_interval: str) -> Config:
    """Return an Alembic config for `directory` that connects with `url`."""
    if re.fullmatch(CHUNK_INTERVAL_PATTERN, chunk_interval) is None:
        raise SettingsError(
            f"invalid setting {env_name('chunk_interval')}={chunk_interval!r}: "
            "use a count and a unit such as '1 day' or '6 hours'"
        )
    config = Config(str(directory / ALEMBIC_INI))
    # Alembic reads options through ConfigParser interpolation, so '%' in an
    # escaped password must be doubled.
    url_text = url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url_text)
    config.attributes["chunk_interval"] = chunk_interval
    # Keep the application's logging setup instead of the one in alembic.ini.
    config.attributes["skip_logging_config"] = True
    return config


def current_revision(engine: Engine) -> str | None:
    """Return the revision stored in alembic_version, or None before the first upgrade."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(directory: Path, url: URL, chunk_interval: str) -> MigrationResult:
    """Upgrade the database to the newest revision and log the revisions before and after."""
    config = build_alembic_config(directory, url, chunk_interval)
    engine = create_db_engine(url)
    target = url.render_as_string(hide_password=True)
    try:
        before = current_revision(engine)
        logger.info("migrating %s from revision %s using %s", target, before, directory)
        command.upgrade(config, "head")
        after = current_revision(engine)
    except SQLAlchemyError as exc:
        raise StorageError(f"migration of {target} failed: {describe_error(exc)}") from exc
    finally:
        engine.dispose()
    logger.info("migrated %s: revision %s -> %s", target, before, after)
    return MigrationResult(before=before, after=after)
