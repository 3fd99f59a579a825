"""Composition root: build settings, storage, source, clock and loop, and wire them."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine

from tsloop.adapters.clock import SystemClock
from tsloop.adapters.engine import check_connection, create_db_engine
from tsloop.adapters.migrations import MigrationResult, locate_migrations_dir, upgrade_to_head
from tsloop.adapters.prometheus_telemetry import PrometheusTelemetry
from tsloop.adapters.schema_status import SqlSchemaStatus
from tsloop.adapters.settings import Settings
from tsloop.adapters.settings_loader import load_settings
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.sql_queries import SqlReadingQueries
from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.adapters.system_source import SystemSource
from tsloop.usecases.dto import RunSummary
from tsloop.usecases.ports import Clock, ReadingCommands, ReadingSource, StopFlag
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop
from tsloop.usecases.telemetry import Telemetry

logger = logging.getLogger(__name__)

__all__ = [
    "build_commands",
    "build_engine",
    "build_loop_config",
    "build_queries",
    "build_schema_status",
    "build_source",
    "build_telemetry",
    "describe_start",
    "load_settings",
    "migrate",
    "run_loop",
    "run_service",
]


def build_engine(settings: Settings) -> Engine:
    """Create the engine of the runtime role, or raise SettingsError if no password is set."""
    return create_db_engine(settings.runtime_url())


def build_commands(engine: Engine) -> SqlReadingCommands:
    return SqlReadingCommands(engine)


def build_queries(engine: Engine) -> SqlReadingQueries:
    return SqlReadingQueries(engine)


def build_schema_status(settings: Settings, engine: Engine) -> SqlSchemaStatus:
    """Create the readiness view of the schema: the database's and the shipped revision."""
    return SqlSchemaStatus(
        engine, lambda: locate_migrations_dir(settings.migrations_dir, Path.cwd())
    )


def build_telemetry(settings: Settings) -> PrometheusTelemetry:
    """Create Prometheus telemetry that counts late ticks with the loop's own tolerance."""
    return PrometheusTelemetry(late_tolerance=build_loop_config(settings).late_tolerance)


def build_source(settings: Settings) -> ReadingSource:
    """Create the source named by TSLOOP_SOURCE."""
    if settings.source == "system":
        return SystemSource()
    return SyntheticSource(series=settings.series, seed=settings.seed)


def build_loop_config(settings: Settings) -> LoopConfig:
    return LoopConfig(interval=settings.interval, ticks=settings.ticks, duration=settings.duration)


def describe_start(settings: Settings) -> str:
    """Return the start-up log line with the effective settings and a masked database URL."""
    parts = [f"source={settings.source}"]
    if settings.source == "synthetic":
        parts += [f"series={settings.series}", f"seed={settings.seed}"]
    parts.append(f"interval={settings.interval}s")
    if settings.ticks is not None:
        parts.append(f"ticks={settings.ticks}")
    if settings.duration is not None:
        parts.append(f"duration={settings.duration}s")
    database = settings.runtime_url().render_as_string(hide_password=True)
    parts.append(f"database={database}")
    return "starting: " + " ".join(parts)


def run_loop(
    settings: Settings,
    *,
    source: ReadingSource,
    commands: ReadingCommands,
    clock: Clock,
    stop: StopFlag | None = None,
    telemetry: Telemetry | None = None,
) -> RunSummary:
    """Run the sampling loop with the given ports, which tests replace with fakes."""
    return run_sampling_loop(source, commands, clock, build_loop_config(settings), stop, telemetry)


def run_service(
    settings: Settings, stop: StopFlag | None = None, telemetry: Telemetry | None = None
) -> RunSummary:
    """Connect to the database as the runtime role and run the loop with real adapters.

    Raises SettingsError or StartupError before the first tick if the settings
    or the database are unusable.
    """
    logger.info("%s", describe_start(settings))
    engine = build_engine(settings)
    try:
        check_connection(engine)
        return run_loop(
            settings,
            source=build_source(settings),
            commands=build_commands(engine),
            clock=SystemClock(),
            stop=stop,
            telemetry=telemetry,
        )
    finally:
        engine.dispose()


def migrate(settings: Settings, cwd: Path | None = None) -> MigrationResult:
    """Upgrade the schema to head as the owner role, using the located database/ folder."""
    directory = locate_migrations_dir(settings.migrations_dir, cwd or Path.cwd())
    return upgrade_to_head(directory, settings.owner_url(), settings.chunk_interval)
