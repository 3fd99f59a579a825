"""Buffered write path: the sampler hands readings over, a writer thread stores them.

Readings move from the memory buffer to the database. When the buffer is full
or the database is unavailable they go to the spool instead, and the writer
replays the spool, oldest segment first, once the database accepts writes
again. A reading leaves memory only after the database committed it or the
spool saved it. So apart from the drops counted when the spool is full, only a
process crash loses readings, and only those in the buffer at that moment.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from tsloop.domain import Reading
from tsloop.usecases.backoff import Backoff
from tsloop.usecases.buffer import ReadingBuffer
from tsloop.usecases.counters import WriteCounters
from tsloop.usecases.dto import WriteTotals
from tsloop.usecases.errors import UseCaseError
from tsloop.usecases.ports import ReadingCommands, Spool, StopFlag
from tsloop.usecases.telemetry import Telemetry
from tsloop.usecases.validation import keep_valid
from tsloop.usecases.write_config import WriteConfig, validate_write_config
from tsloop.usecases.writer import Writer

logger = logging.getLogger(__name__)


class WritePath:
    """ReadingSink that buffers readings and writes them from a background thread."""

    def __init__(
        self,
        commands: ReadingCommands,
        spool: Spool,
        config: WriteConfig,
        backoff: Backoff,
        telemetry: Telemetry,
        probe: Callable[[], None] | None = None,
        access_rejected: Callable[[str], bool] = lambda message: False,
    ) -> None:
        validate_write_config(config)
        self._probe = probe
        self._access_rejected = access_rejected
        self._counters = WriteCounters(telemetry)
        self._writer = Writer(
            commands, spool, ReadingBuffer(config.buffer_size), config, backoff, self._counters
        )
        self._thread = threading.Thread(target=self._run_writer, name="tsloop-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run_writer(self) -> None:
        if self._probe is not None:
            try:
                self._probe()
            except UseCaseError as exc:
                self._report_probe_failure(exc)
        self._writer.run()

    def _report_probe_failure(self, exc: UseCaseError) -> None:
        if self._access_rejected(str(exc)):
            logger.error(
                "the database rejected the login: %s. Check TSLOOP_DB_USER, TSLOOP_DB_PASSWORD, "
                "TSLOOP_DB_NAME and the client networks in pg_hba.conf. Readings are kept in "
                "the spool and writes are retried.",
                exc,
            )
            return
        logger.warning(
            "database not available at start-up, sampling goes on and writes are retried: %s",
            exc,
        )

    def submit(self, readings: Sequence[Reading]) -> int:
        """Check the readings and queue the valid ones. Returns 0 because none is written yet."""
        self._counters.sampled(len(readings))
        valid = keep_valid(readings, self._counters)
        self._writer.accept(valid)
        return 0

    def totals(self) -> WriteTotals:
        return self._counters.totals()

    def close(self, timeout: float, abort: StopFlag) -> WriteTotals:
        """Flush the buffer within `timeout` seconds, then spool whatever is left.

        Waiting ends early when `abort` is set, for example by a second signal.
        Returns the totals of the run. The writer thread is a daemon, so a write
        still blocked in the driver after the deadline does not keep the process alive.
        """
        self._writer.request_close()
        deadline = time.monotonic() + timeout
        # Bounded by the deadline: one join step is at most 0.1 s.
        while self._thread.is_alive() and not abort.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._thread.join(min(remaining, 0.1))
        if self._thread.is_alive():
            reason = "a second signal" if abort.is_set() else f"the {timeout} s shutdown timeout"
            saved = self._writer.abandon()
            logger.warning(
                "stopped waiting for the database after %s: saved %d readings to the spool",
                reason,
                saved,
            )
        totals = self._counters.totals()
        logger.info("write path closed: %s", totals.describe())
        return totals
