"""Composition root: build settings, storage, source, clock and loop, and wire them."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine

from tsloop.adapters.clock import SystemClock
from tsloop.adapters.engine import check_connection, create_db_engine
from tsloop.adapters.error_classes import is_access_rejected
from tsloop.adapters.file_spool import FileSpool
from tsloop.adapters.heartbeat import HeartbeatFile
from tsloop.adapters.migrations import MigrationResult, locate_migrations_dir, upgrade_to_head
from tsloop.adapters.prometheus_telemetry import PrometheusTelemetry
from tsloop.adapters.schema_status import SqlSchemaStatus
from tsloop.adapters.settings import Settings
from tsloop.adapters.settings_loader import load_settings
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.sql_queries import SqlReadingQueries
from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.adapters.system_source import SystemSource
from tsloop.usecases.backoff import Backoff
from tsloop.usecases.direct_sink import DirectSink
from tsloop.usecases.dto import RunSummary
from tsloop.usecases.ports import Clock, ReadingCommands, ReadingSink, ReadingSource, StopFlag
from tsloop.usecases.sampling import LoopConfig, run_sampling_loop
from tsloop.usecases.telemetry import Telemetry
from tsloop.usecases.telemetry_fanout import TelemetryFanout
from tsloop.usecases.write_config import WriteConfig
from tsloop.usecases.write_path import WritePath

logger = logging.getLogger(__name__)

__all__ = [
    "build_commands",
    "build_engine",
    "build_loop_config",
    "build_queries",
    "build_schema_status",
    "build_source",
    "build_telemetry",
    "build_write_path",
    "check_database",
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


def build_write_config(settings: Settings) -> WriteConfig:
    return WriteConfig(
        batch_size=settings.batch_size,
        flush_interval=settings.flush_interval,
        buffer_size=settings.buffer_size,
    )


def build_write_path(
    settings: Settings, engine: Engine, spool: FileSpool, telemetry: Telemetry
) -> WritePath:
    """Create the buffered write path; the database is probed from the writer thread."""
    return WritePath(
        build_commands(engine),
        spool,
        build_write_config(settings),
        Backoff(settings.retry_initial_delay, settings.retry_max_delay),
        telemetry,
        probe=lambda: check_connection(engine),
        access_rejected=is_access_rejected,
    )


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
    parts += [
        f"batch_size={settings.batch_size}",
        f"buffer_size={settings.buffer_size}",
        f"spool_dir={settings.spool_dir}",
    ]
    return "starting: " + " ".join(parts)


def run_loop(
    settings: Settings,
    *,
    source: ReadingSource,
    commands: ReadingCommands,
    clock: Clock,
    stop: StopFlag | None = None,
    telemetry: Telemetry | None = None,
    sink: ReadingSink | None = None,
) -> RunSummary:
    """Run the sampling loop with the given ports, which tests replace with fakes.

    Without `sink` each tick is inserted synchronously through `commands`.
    """
    target = sink or DirectSink(commands, telemetry)
    return run_sampling_loop(source, target, clock, build_loop_config(settings), stop, telemetry)


def run_service(
    settings: Settings,
    stop: StopFlag | None = None,
    telemetry: Telemetry | None = None,
    abort: StopFlag | None = None,
) -> RunSummary:
    """Run the loop with real adapters and the buffered write path until stopped.

    An unavailable database is no start-up error: readings are buffered and
    spooled and the writes retried. After `stop`, the buffer is flushed for at
    most TSLOOP_SHUTDOWN_TIMEOUT seconds, or until `abort` is set, and what is
    left is spooled. Raises SettingsError or StartupError before the first tick
    if the settings or the spool folder are unusable. Each tick rewrites the
    heartbeat file that `tsloop health` reads.
    """
    logger.info("%s", describe_start(settings))
    heartbeat = HeartbeatFile(settings.heartbeat_file)
    heartbeat.reset()
    telemetry = heartbeat if telemetry is None else TelemetryFanout(heartbeat, telemetry)
    engine = build_engine(settings)
    spool = FileSpool(settings.spool_dir, settings.spool_max_bytes)
    try:
        write_path = build_write_path(settings, engine, spool, telemetry)
        write_path.start()
        try:
            summary = run_sampling_loop(
                build_source(settings),
                write_path,
                SystemClock(),
                build_loop_config(settings),
                stop,
                telemetry,
            )
        finally:
            totals = write_path.close(settings.shutdown_timeout, abort or _Unset())
        summary.writes = totals
        summary.rows_written = totals.written
        return summary
    finally:
        spool.close()
        engine.dispose()


class _Unset:
    def is_set(self) -> bool:
        return False


def check_database(settings: Settings, connect_timeout: int) -> None:
    """Connect as the runtime role and run `SELECT 1`, or raise SettingsError or StartupError."""
    engine = create_db_engine(settings.runtime_url(), connect_timeout=connect_timeout)
    try:
        check_connection(engine)
    finally:
        engine.dispose()


def migrate(settings: Settings, cwd: Path | None = None) -> MigrationResult:
    """Upgrade the schema to head as the owner role, using the located database/ folder."""
    directory = locate_migrations_dir(settings.migrations_dir, cwd or Path.cwd())
    return upgrade_to_head(directory, settings.owner_url(), settings.chunk_interval)
