"""Command line interface: tsloop config, migrate, run, serve and query."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import click

from tsloop import bootstrap
from tsloop.adapters.migrations import locate_migrations_dir
from tsloop.adapters.settings import SettingsError
from tsloop.adapters.settings_loader import describe_settings, setting_origins
from tsloop.entrypoints import formatting
from tsloop.entrypoints.health import health
from tsloop.entrypoints.query_cli import query
from tsloop.entrypoints.serve import serve
from tsloop.entrypoints.state import DEFAULT_ENV_FILE, LOG_LEVELS, CliState, SettingsProblem
from tsloop.usecases.errors import UseCaseError

logger = logging.getLogger(__name__)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--env-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Settings file in KEY=value format. [default: .env in the current folder, if present]",
)
@click.option(
    "--log-level",
    type=click.Choice(LOG_LEVELS, case_sensitive=False),
    default=None,
    help="Log level, overriding TSLOOP_LOG_LEVEL.",
)
@click.pass_context
def cli(ctx: click.Context, env_file: Path | None, log_level: str | None) -> None:
    """Sample readings at a fixed interval into a TimescaleDB hypertable."""
    overrides = {} if log_level is None else {"log_level": log_level.upper()}
    ctx.obj = CliState(env_file=env_file or DEFAULT_ENV_FILE, overrides=overrides)


@cli.command("config")
@click.pass_obj
def config_command(state: CliState) -> None:
    """Print every effective setting, its origin, and secrets masked."""
    settings = state.load()
    origins = setting_origins(state.env_file, state.overrides)
    click.echo(f"env file: {state.env_file} ({'found' if state.env_file.is_file() else 'absent'})")
    click.echo(formatting.format_settings(describe_settings(settings, origins)))
    try:
        directory = locate_migrations_dir(settings.migrations_dir, Path.cwd())
    except SettingsError as exc:
        click.echo(f"migrations: {exc}")
    else:
        click.echo(f"migrations: {directory}")


@cli.command("migrate")
@click.pass_obj
def migrate_command(state: CliState) -> None:
    """Upgrade the database schema to the newest revision as the owner role."""
    settings = state.load()
    try:
        result = bootstrap.migrate(settings)
    except SettingsError as exc:
        raise SettingsProblem(str(exc)) from None
    except UseCaseError as exc:
        # Logged rather than printed, so the message has a timestamp in service logs.
        logger.error("migration failed: %s", exc)
        raise SystemExit(1) from None
    click.echo(f"revision {result.before} -> {result.after}")


@cli.command("run")
@click.option("--interval", type=float, help="Seconds between ticks.")
@click.option("--ticks", type=int, help="Stop after this many ticks.")
@click.option("--duration", type=float, help="Stop after this many seconds.")
@click.option("--series", type=int, help="Number of synthetic series.")
@click.option("--seed", type=int, help="Seed of the synthetic source.")
@click.option("--source", type=click.Choice(["synthetic", "system"]), help="Reading source.")
@click.pass_obj
def run_command(state: CliState, /, **flags: Any) -> None:
    """Sample and store readings until the tick count or duration is reached, or a signal."""
    given = {key: value for key, value in flags.items() if value is not None}
    # A stop condition given as a flag replaces the other one from lower sources.
    if "ticks" in given and "duration" not in given:
        given["duration"] = None
    if "duration" in given and "ticks" not in given:
        given["ticks"] = None
    settings = state.load(**given)
    stop = threading.Event()
    abort = threading.Event()
    received: list[str] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        # The first signal stops sampling and flushes the buffer. A second one
        # ends the flush at once; what is unwritten then goes to the spool.
        received.append(signal.Signals(signum).name)
        if stop.is_set():
            abort.set()
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        summary = bootstrap.run_service(settings, stop, abort=abort)
    except SettingsError as exc:
        raise SettingsProblem(str(exc)) from None
    except UseCaseError as exc:
        logger.error("cannot run: %s", exc)
        raise SystemExit(1) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        logger.info("stopped on %s after the current tick", " and ".join(received))
    click.echo(formatting.format_summary(summary))


cli.add_command(query)
cli.add_command(health)
cli.add_command(serve)


def main() -> None:
    """Run the tsloop command line (the console script entry point)."""
    cli(prog_name="tsloop")
