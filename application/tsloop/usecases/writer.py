"""Writer of the buffered write path: batches, retries, spool replay and hand-over at shutdown."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from tsloop.domain import Reading
from tsloop.usecases.backoff import Backoff
from tsloop.usecases.buffer import ReadingBuffer
from tsloop.usecases.counters import WriteCounters
from tsloop.usecases.dto import SpoolSegment
from tsloop.usecases.errors import StorageError
from tsloop.usecases.isolation import insert_isolating
from tsloop.usecases.ports import ReadingCommands, Spool
from tsloop.usecases.write_config import WriteConfig

logger = logging.getLogger(__name__)


class Writer:
    """State shared by the sampling thread (`accept`) and the writer thread (`run`).

    One condition guards the buffer, the batch in flight and the modes. While
    `spool_through` is set the database is unavailable: the writer has moved
    everything from memory to the spool and new readings go straight there, so
    a crash during an outage loses nothing that was accepted.
    """

    def __init__(
        self,
        commands: ReadingCommands,
        spool: Spool,
        buffer: ReadingBuffer,
        config: WriteConfig,
        backoff: Backoff,
        counters: WriteCounters,
    ) -> None:
        self._commands = commands
        self._spool = spool
        self._buffer = buffer
        self._config = config
        self._backoff = backoff
        self._counters = counters
        self._changed = threading.Condition()
        self._in_flight: list[Reading] = []
        self._spool_through = False
        self._closing = False
        self._abandoned = False
        self._write_failed_while_closing = False
        self._attempt = 0
        self._damage_reported: set[str] = set()
        self._next_summary = time.monotonic() + config.summary_interval

    def accept(self, readings: Sequence[Reading]) -> None:
        """Queue readings from the sampler, or spool them when memory or the database is short."""
        with self._changed:
            if self._spool_through or self._abandoned:
                overflow = list(readings)
            else:
                overflow = self._buffer.offer(readings)
                if len(self._buffer) >= self._config.batch_size:
                    self._changed.notify_all()
            if overflow:
                self._save(overflow)
        self._counters.buffer_depth(len(self._buffer))

    def request_close(self) -> None:
        """Ask the writer to flush the buffer, replay the spool while writes succeed, and stop."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()

    def abandon(self) -> int:
        """Spool the batch in flight and the buffer, stop the writer, and return the count saved."""
        with self._changed:
            self._abandoned = True
            leftover = self._in_flight + self._buffer.drain()
            self._in_flight = []
            if leftover:
                self._save(leftover)
            self._changed.notify_all()
        return len(leftover)

    def run(self) -> None:
        """Write until closed, as the body of the writer thread."""
        while True:
            try:
                if not self._step():
                    return
            except Exception:
                # A bug must not stop the writer for good: keep the batch in
                # hand on disk and go on after a pause.
                logger.exception("writer step failed, saving the batch in flight to the spool")
                with self._changed:
                    moved, self._in_flight = self._in_flight, []
                    if moved:
                        self._save(moved)
                self._pause(self._backoff.max_delay)

    def _step(self) -> bool:
        """Replay one segment or write one batch, and return False when nothing is left to do.

        After a close request the buffer goes first, then the spool is replayed
        for as long as the database accepts writes and the deadline allows.
        """
        self._log_summary()
        if not self._closing and self._spool.pending():
            self._replay_oldest()
            return True
        batch = self._take_batch()
        if batch:
            self._write_buffered(batch)
            return True
        if batch is None:
            if self._abandoned or self._write_failed_while_closing or not self._spool.pending():
                return False
            self._replay_oldest()
        return True

    def _take_batch(self) -> list[Reading] | None:
        with self._changed:
            deadline = time.monotonic() + self._config.flush_interval
            while not (self._closing or self._abandoned) and (
                len(self._buffer) < self._config.batch_size
            ):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            if self._abandoned or (self._closing and not len(self._buffer)):
                return None
            self._in_flight = self._buffer.take(self._config.batch_size)
            self._counters.buffer_depth(len(self._buffer))
            return list(self._in_flight)

    def _write_buffered(self, batch: list[Reading]) -> None:
        try:
            self._insert(batch, replayed=False)
        except StorageError as exc:
            # insert_isolating handles PermanentStorageError itself, so this is
            # a transient or unclassified failure, which is retried.
            self._counters.database_retry(1)
            self._write_failed_while_closing = self._closing
            with self._changed:
                if self._abandoned:
                    return
                moved = self._in_flight + self._buffer.drain()
                self._in_flight = []
                self._spool_through = True
                self._save(moved)
            logger.warning(
                "database unavailable, saved %d readings to the spool until it is back: %s",
                len(moved),
                exc,
            )
            self._attempt = 1
            self._pause(self._backoff.delay(self._attempt))
            return
        with self._changed:
            self._in_flight = []

    def _replay_oldest(self) -> None:
        segment = self._spool.oldest()
        if segment is None:
            return
        self._report_damage(segment)
        size = self._config.batch_size
        for start in range(0, len(segment.readings), size):
            if not self._replay_chunk(segment.readings[start : start + size]):
                return
        self._spool.remove(segment)
        self._counters.spool_bytes(self._spool.size())
        with self._changed:
            if self._spool_through and not self._spool.pending():
                self._spool_through = False
                logger.info("spool replayed, writing from memory again")

    def _replay_chunk(self, chunk: list[Reading]) -> bool:
        """Insert one chunk of a segment and retry until it commits, or until closing."""
        while not self._abandoned:
            try:
                self._insert(chunk, replayed=True)
            except StorageError as exc:
                if self._closing:
                    self._write_failed_while_closing = True
                    logger.warning("spool replay stopped for shutdown: %s", exc)
                    return False
                self._attempt += 1
                self._counters.database_retry(self._attempt)
                self._log_summary()
                delay = self._backoff.delay(self._attempt)
                logger.warning(
                    "write of %d spooled readings failed (attempt %d), retrying in %.2f s: %s",
                    len(chunk),
                    self._attempt,
                    delay,
                    exc,
                )
                self._pause(delay)
            else:
                if self._attempt:
                    logger.info("database available again after %d attempts", self._attempt)
                    self._attempt = 0
                return True
        return False

    def _insert(self, batch: list[Reading], *, replayed: bool) -> None:
        started = time.monotonic()
        outcome = insert_isolating(self._commands, batch, self._reject)
        self._counters.written(outcome.inserted, replayed=replayed)
        self._counters.duplicate(outcome.duplicate)
        self._counters.flush_completed(time.monotonic() - started, outcome.inserted)
        logger.debug(
            "flushed %d %s readings: written=%d duplicate=%d rejected=%d",
            len(batch),
            "spooled" if replayed else "buffered",
            outcome.inserted,
            outcome.duplicate,
            outcome.rejected,
        )

    def _reject(self, reading: Reading, reason: str) -> None:
        logger.warning(
            "database rejected reading source=%r metric=%r time=%s: %s",
            reading.source,
            reading.metric,
            reading.time.isoformat(),
            reason,
        )
        self._counters.rejected(1, "database")

    def _save(self, readings: list[Reading]) -> None:
        """Spool readings, or count them as dropped if the spool is full or fails.

        The caller holds the lock, so the spool takes appends in the order they happen.
        """
        if self._spool.append(readings):
            self._counters.spooled(len(readings))
            self._counters.spool_bytes(self._spool.size())
            return
        self._counters.dropped(len(readings), "spool full or unwritable")
        logger.warning(
            "spool full or unwritable: dropped %d readings (%d dropped in total)",
            len(readings),
            self._counters.totals().dropped,
        )

    def _report_damage(self, segment: SpoolSegment) -> None:
        # A segment is read again after an interrupted replay, so it is reported once.
        if segment.name in self._damage_reported:
            return
        self._damage_reported.add(segment.name)
        if segment.corrupt_records or segment.truncated_bytes or segment.invalid_readings:
            logger.warning(
                "spool segment %s: skipped %d corrupt records, %d invalid readings "
                "and %d bytes of a truncated record",
                segment.name,
                segment.corrupt_records,
                segment.invalid_readings,
                segment.truncated_bytes,
            )
        if segment.invalid_readings:
            self._counters.rejected(segment.invalid_readings, "invalid in spool")

    def _pause(self, seconds: float) -> None:
        with self._changed:
            if not (self._closing or self._abandoned):
                self._changed.wait(seconds)

    def _log_summary(self) -> None:
        now = time.monotonic()
        if now >= self._next_summary:
            self._next_summary = now + self._config.summary_interval
            logger.info("write totals: %s", self._counters.totals().describe())
