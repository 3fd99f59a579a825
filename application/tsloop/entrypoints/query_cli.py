"""Query commands: latest, range and bucket, printed as tables."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import click

from tsloop import bootstrap
from tsloop.adapters.settings import SettingsError
from tsloop.entrypoints import formatting
from tsloop.entrypoints.params import DURATION, UTC_DATETIME
from tsloop.entrypoints.state import CliState, SettingsProblem
from tsloop.usecases import queries
from tsloop.usecases.errors import InvalidQuery, UseCaseError
from tsloop.usecases.ports import ReadingQueries

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_WINDOW = timedelta(hours=1)


def _run_query(state: CliState, query_function: Callable[[ReadingQueries], T]) -> T:
    settings = state.load()
    try:
        engine = bootstrap.build_engine(settings)
    except SettingsError as exc:
        raise SettingsProblem(str(exc)) from None
    logger.debug("querying %s", engine.url.render_as_string(hide_password=True))
    try:
        return query_function(bootstrap.build_queries(engine))
    except InvalidQuery as exc:
        raise click.UsageError(str(exc)) from None
    except UseCaseError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """Default to the hour before `end`, and `end` to now."""
    end = end or datetime.now(UTC)
    return start or end - DEFAULT_WINDOW, end


@click.group()
def query() -> None:
    """Read stored readings."""


@query.command("latest")
@click.pass_obj
def latest_command(state: CliState) -> None:
    """Print the newest reading of every series."""
    rows = _run_query(state, queries.get_latest)
    click.echo(formatting.format_latest(rows))


@query.command("range")
@click.option("--source", required=True, help="Source of the series, e.g. synthetic.")
@click.option("--metric", required=True, help="Metric of the series, e.g. series_0000.")
@click.option("--start", type=UTC_DATETIME, help="Inclusive start. [default: end - 1 hour]")
@click.option("--end", type=UTC_DATETIME, help="Exclusive end. [default: now]")
@click.option("--limit", type=int, default=1000, show_default=True, help="Maximum rows.")
@click.pass_obj
def range_command(
    state: CliState,
    source: str,
    metric: str,
    start: datetime | None,
    end: datetime | None,
    limit: int,
) -> None:
    """Print the readings of one series in a time range, oldest first."""
    start, end = _window(start, end)
    rows = _run_query(
        state, lambda port: queries.get_range(port, source, metric, start, end, limit)
    )
    if not rows:
        _report_empty(f"no readings of {source}/{metric}", start, end)
        return
    click.echo(formatting.format_range(rows))


@query.command("bucket")
@click.option("--width", type=DURATION, default="1m", show_default=True, help="Bucket width.")
@click.option("--source", help="Only this source.")
@click.option("--metric", help="Only this metric.")
@click.option("--start", type=UTC_DATETIME, help="Inclusive start. [default: end - 1 hour]")
@click.option("--end", type=UTC_DATETIME, help="Exclusive end. [default: now]")
@click.pass_obj
def bucket_command(
    state: CliState,
    width: timedelta,
    source: str | None,
    metric: str | None,
    start: datetime | None,
    end: datetime | None,
) -> None:
    """Print avg, min, max and count per time bucket and series."""
    start, end = _window(start, end)
    rows = _run_query(
        state, lambda port: queries.get_buckets(port, width, start, end, source, metric)
    )
    if not rows:
        series = f"{source or '*'}/{metric or '*'}"
        _report_empty(f"no readings of {series}", start, end)
        return
    click.echo(formatting.format_buckets(rows))


def _report_empty(what: str, start: datetime, end: datetime) -> None:
    """Say on stderr that a query matched nothing, and where to look for series names."""
    click.echo(
        f"{what} in [{start.isoformat()}, {end.isoformat()}). "
        "`tsloop query latest` lists every series with its newest reading; widen the range "
        "with --start and --end.",
        err=True,
    )
