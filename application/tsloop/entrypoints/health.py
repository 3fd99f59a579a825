"""tsloop health: the container health check of a running `tsloop run`."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import click

from tsloop import bootstrap
from tsloop.adapters.heartbeat import HeartbeatError, read_heartbeat
from tsloop.adapters.settings import Settings, SettingsError
from tsloop.entrypoints.state import CliState, SettingsProblem
from tsloop.usecases.errors import UseCaseError

# The loop counts as stalled when no tick was stored for this many intervals plus the
# slack, which covers one slow insert and the time the health check itself takes to start.
STALL_INTERVALS = 3
STALL_SLACK_S = 5.0
DEFAULT_CONNECT_TIMEOUT_S = 3

# Docker and podman read exit status 0 as healthy and 1 as unhealthy, and Docker reserves 2.
HEALTHY = 0
UNHEALTHY = 1


def default_max_age(interval: float) -> float:
    """Return the heartbeat age in seconds above which a loop with `interval` is stalled."""
    return STALL_INTERVALS * interval + STALL_SLACK_S


def check_heartbeat(settings: Settings, max_age: float) -> tuple[str | None, str]:
    """Return (problem or None, description) for the heartbeat file of `settings`."""
    try:
        heartbeat = read_heartbeat(settings.heartbeat_file)
    except HeartbeatError as exc:
        return str(exc), ""
    age = time.monotonic() - heartbeat.monotonic
    if age < 0:
        return f"heartbeat file {settings.heartbeat_file} is from before a reboot", ""
    if age > max_age:
        return f"no tick stored for {age:.1f} s (limit {max_age:.1f} s)", ""
    return None, f"tick {heartbeat.tick} stored {age:.1f} s ago"


def check_database(settings: Settings, timeout: int) -> tuple[str | None, str]:
    """Return (problem or None, description) for a test connection of the runtime role."""
    started = time.monotonic()
    try:
        bootstrap.check_database(settings, timeout)
    except (SettingsError, UseCaseError) as exc:
        return str(exc), ""
    return None, f"database answered in {(time.monotonic() - started) * 1000:.0f} ms"


def check_endpoint(url: str, timeout: float) -> tuple[str | None, str]:
    """Return (problem or None, description) for one GET of a tsloop serve health endpoint."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return None, f"{url} answered {response.status}"
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", errors="replace")
        try:
            detail = json.dumps(json.loads(body), sort_keys=True)
        except ValueError:
            detail = body.strip()[:200]
        return f"{url} answered {exc.code}: {detail}", ""
    except (urllib.error.URLError, OSError) as exc:
        return f"{url} failed: {exc}", ""


@click.command("health")
@click.option(
    "--http",
    "use_http",
    is_flag=True,
    help=(
        "Check a running `tsloop serve` through GET /healthz and /readyz on "
        "127.0.0.1:TSLOOP_HTTP_PORT instead of reading the heartbeat file."
    ),
)
@click.option(
    "--max-age",
    type=click.FloatRange(min=0, min_open=True),
    help=(
        "Seconds since the last stored tick above which the loop counts as stalled. "
        f"[default: {STALL_INTERVALS} x TSLOOP_INTERVAL + {STALL_SLACK_S:g}]"
    ),
)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=DEFAULT_CONNECT_TIMEOUT_S,
    show_default=True,
    help="Seconds to wait for the database connection.",
)
@click.pass_obj
def health(state: CliState, use_http: bool, max_age: float | None, timeout: int) -> None:
    """Check that `tsloop run` stores ticks and the database accepts connections.

    Reads the heartbeat file that the loop rewrites after each stored tick, and
    connects as the runtime role. Prints one line and exits 0 when both are
    fine, 1 otherwise.
    """
    try:
        settings = state.load()
    except SettingsProblem as exc:
        click.echo(f"unhealthy: {exc.message}")
        raise SystemExit(UNHEALTHY) from None
    if use_http:
        base = f"http://127.0.0.1:{settings.http_port}"
        checks = [check_endpoint(f"{base}/{path}", timeout) for path in ("healthz", "readyz")]
    else:
        limit = max_age if max_age is not None else default_max_age(settings.interval)
        checks = [check_heartbeat(settings, limit), check_database(settings, timeout)]
    problems = [problem for problem, _ in checks if problem]
    if problems:
        click.echo("unhealthy: " + "; ".join(problems))
        raise SystemExit(UNHEALTHY)
    click.echo("healthy: " + ", ".join(text for _, text in checks))
