"""Run the sampling loop in a background thread and expose its state to health checks."""

from __future__ import annotations

import logging
import threading
import time

from tsloop import bootstrap
from tsloop.adapters.prometheus_telemetry import PrometheusTelemetry
from tsloop.adapters.settings import Settings, SettingsError
from tsloop.usecases.dto import RunSummary
from tsloop.usecases.errors import UseCaseError
from tsloop.usecases.liveness import LoopState

logger = logging.getLogger(__name__)


class LoopThread:
    """The loop of `tsloop run`, started in a daemon thread and stopped through `stop`.

    After the thread ends, `summary` contains the loop's totals, or `error`
    describes why the loop could not start or run.
    """

    def __init__(
        self, settings: Settings, telemetry: PrometheusTelemetry, stop: threading.Event
    ) -> None:
        self._settings = settings
        self._telemetry = telemetry
        self._stop = stop
        self._thread = threading.Thread(target=self._run, name="sampling-loop", daemon=True)
        self._started = time.monotonic()
        self.summary: RunSummary | None = None
        self.error: str | None = None

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def state(self) -> LoopState:
        """Return a snapshot for the liveness check, on the time.monotonic clock."""
        stopped = None
        if not self._thread.is_alive() and self._thread.ident is not None:
            stopped = self.error or "the loop finished"
        return LoopState(
            interval=self._settings.interval,
            started=self._started,
            last_tick=self._telemetry.last_tick_monotonic,
            stopped=stopped,
        )

    def _run(self) -> None:
        try:
            self.summary = bootstrap.run_service(self._settings, self._stop, self._telemetry)
        except (SettingsError, UseCaseError) as exc:
            self.error = str(exc)
            logger.error("sampling loop cannot run: %s", exc)
        except Exception as exc:
            # The thread would otherwise end silently and leave the server up
            # without a loop, so any error is recorded before the thread ends.
            self.error = f"unexpected {type(exc).__name__}: {exc}"
            logger.exception("sampling loop failed")
