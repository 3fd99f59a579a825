"""The serve command: the sampling loop and the HTTP server in one process."""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from tsloop import bootstrap
from tsloop.adapters.settings import SettingsError
from tsloop.entrypoints import formatting
from tsloop.entrypoints.loop_thread import LoopThread
from tsloop.entrypoints.state import CliState, SettingsProblem

if TYPE_CHECKING:
    import uvicorn

logger = logging.getLogger(__name__)

# Seconds to wait for the server to bind its port, and for it to finish open
# requests after the loop has stopped.
SERVER_START_TIMEOUT = 10.0
SERVER_STOP_TIMEOUT = 10
# How often the main thread checks whether the loop or the server has ended.
WATCH_PERIOD = 0.2


@click.command("serve")
@click.option("--host", help="Address to listen on, overriding TSLOOP_HTTP_HOST.")
@click.option("--port", type=int, help="TCP port, overriding TSLOOP_HTTP_PORT.")
@click.option("--interval", type=float, help="Seconds between ticks.")
@click.option("--series", type=int, help="Number of synthetic series.")
@click.option("--seed", type=int, help="Seed of the synthetic source.")
@click.option("--source", type=click.Choice(["synthetic", "system"]), help="Reading source.")
@click.pass_obj
def serve(state: CliState, /, host: str | None, port: int | None, **flags: Any) -> None:
    """Sample readings and serve the dashboard, query API, health checks and metrics.

    Runs until SIGTERM or SIGINT, or until the loop ends by TSLOOP_TICKS or
    TSLOOP_DURATION. Exits with status 1 if the loop or the server cannot start.
    """
    # Imported here, so `tsloop run` and the other commands do not load the web stack
    # (about 10 MiB of resident memory).
    import uvicorn

    from tsloop.entrypoints.http import HttpContext, create_app

    overrides = {key: value for key, value in flags.items() if value is not None}
    if host is not None:
        overrides["http_host"] = host
    if port is not None:
        overrides["http_port"] = port
    settings = state.load(**overrides)
    telemetry = bootstrap.build_telemetry(settings)
    try:
        engine = bootstrap.build_engine(settings)
    except SettingsError as exc:
        raise SettingsProblem(str(exc)) from None

    stop = threading.Event()
    loop = LoopThread(settings, telemetry, stop)
    context = HttpContext(
        queries=bootstrap.build_queries(engine),
        schema=bootstrap.build_schema_status(settings, engine),
        registry=telemetry.registry,
        loop_state=loop.state,
    )
    config = uvicorn.Config(
        create_app(context),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        timeout_graceful_shutdown=SERVER_STOP_TIMEOUT,
    )
    server = uvicorn.Server(config)
    # Off the main thread uvicorn installs no signal handlers, so SIGTERM and
    # SIGINT reach the handlers below, which stop the loop and then the server.
    server_thread = threading.Thread(target=server.run, name="http-server", daemon=True)
    received: list[str] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server_thread.start()
        if not _wait_for_server(server, server_thread):
            logger.error(
                "HTTP server did not start on %s:%d", settings.http_host, settings.http_port
            )
            raise SystemExit(1)
        loop.start()
        while not stop.is_set() and loop.is_alive() and server_thread.is_alive():
            time.sleep(WATCH_PERIOD)
        if not server_thread.is_alive() and not stop.is_set():
            logger.error("HTTP server stopped unexpectedly: stopping the sampling loop")
        stop.set()
        loop.join()
    finally:
        server.should_exit = True
        server_thread.join(SERVER_STOP_TIMEOUT + 1)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        engine.dispose()
    if received:
        logger.info("stopped on %s after the current tick", received[0])
    if loop.summary is None:
        raise SystemExit(1)
    click.echo(formatting.format_summary(loop.summary))


def _wait_for_server(server: uvicorn.Server, thread: threading.Thread) -> bool:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.started:
            return True
        if not thread.is_alive():
            return False
        time.sleep(0.05)
    return server.started
