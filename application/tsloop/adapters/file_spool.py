"""Spool of readings in append-only segment files on local disk."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from tsloop.adapters.spool_records import decode_records, encode_record
from tsloop.domain import Reading
from tsloop.usecases.dto import SpoolSegment
from tsloop.usecases.errors import StartupError

logger = logging.getLogger(__name__)

SEGMENT_PREFIX = "segment-"
SEGMENT_SUFFIX = ".spool"
LOCK_NAME = "spool.lock"
# A segment takes no more appends once it reaches this size, so a replay
# reads at most about this much into memory at a time.
SEGMENT_MAX_BYTES = 4 * 1024 * 1024


def segment_name(sequence: int) -> str:
    return f"{SEGMENT_PREFIX}{sequence:012d}{SEGMENT_SUFFIX}"


class FileSpool:
    """Spool port on a folder of numbered segment files, oldest number first.

    Each append is one record, fsync'ed before it returns. After a restart the
    existing segments are closed and new records go to a new segment, so a
    record cut short by a crash can only be at the end of a closed segment.
    A lock file keeps a second process from using the same folder.
    """

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self._directory = directory
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        directory.mkdir(parents=True, exist_ok=True)
        self._lock_file = _lock_folder(directory)
        self._sizes = {
            int(path.name[len(SEGMENT_PREFIX) : -len(SEGMENT_SUFFIX)]): path.stat().st_size
            for path in directory.glob(f"{SEGMENT_PREFIX}*{SEGMENT_SUFFIX}")
        }
        self._next_sequence = max(self._sizes, default=0) + 1
        self._open_sequence: int | None = None
        self._open_file: BinaryIO | None = None
        if self._sizes:
            logger.info(
                "spool folder %s contains %d segments, %d bytes, to replay",
                directory,
                len(self._sizes),
                sum(self._sizes.values()),
            )

    def append(self, readings: Sequence[Reading]) -> bool:
        """Write one record and fsync it; return False if the cap is hit or the write fails."""
        if not readings:
            return True
        record = encode_record(readings)
        with self._lock:
            if self._total() + len(record) > self._max_bytes:
                return False
            try:
                self._write(record)
            except OSError as exc:
                logger.error("writing %d readings to the spool failed: %s", len(readings), exc)
                self._close_open_segment()
                return False
            return True

    def pending(self) -> bool:
        with self._lock:
            return any(self._sizes.values())

    def oldest(self) -> SpoolSegment | None:
        """Read the oldest segment; the open one is closed first when it is the only one."""
        with self._lock:
            closed = sorted(seq for seq in self._sizes if seq != self._open_sequence)
            if not closed and self._open_sequence is not None:
                closed = [self._open_sequence]
                self._close_open_segment()
            if not closed:
                return None
            name = segment_name(closed[0])
            data = (self._directory / name).read_bytes()
        decoded = decode_records(data)
        return SpoolSegment(
            name=name,
            readings=decoded.readings,
            corrupt_records=decoded.corrupt_records,
            invalid_readings=decoded.invalid_readings,
            truncated_bytes=decoded.truncated_bytes,
        )

    def remove(self, segment: SpoolSegment) -> None:
        with self._lock:
            sequence = int(segment.name[len(SEGMENT_PREFIX) : -len(SEGMENT_SUFFIX)])
            (self._directory / segment.name).unlink(missing_ok=True)
            self._sizes.pop(sequence, None)
            _sync_folder(self._directory)

    def size(self) -> int:
        with self._lock:
            return self._total()

    def _total(self) -> int:
        return sum(self._sizes.values())

    def close(self) -> None:
        with self._lock:
            self._close_open_segment()
        self._lock_file.close()

    def _write(self, record: bytes) -> None:
        if self._open_file is None:
            sequence = self._next_sequence
            self._next_sequence += 1
            self._open_file = open(self._directory / segment_name(sequence), "ab")  # noqa: SIM115
            self._open_sequence = sequence
            self._sizes[sequence] = 0
            _sync_folder(self._directory)
        assert self._open_sequence is not None
        self._open_file.write(record)
        self._open_file.flush()
        os.fsync(self._open_file.fileno())
        self._sizes[self._open_sequence] += len(record)
        if self._sizes[self._open_sequence] >= SEGMENT_MAX_BYTES:
            self._close_open_segment()

    def _close_open_segment(self) -> None:
        if self._open_file is not None:
            self._open_file.close()
        self._open_file = None
        self._open_sequence = None


def _lock_folder(directory: Path) -> BinaryIO:
    lock_file = open(directory / LOCK_NAME, "ab")  # noqa: SIM115 - held open for the process lifetime
    try:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock_file.close()
        raise StartupError(
            f"spool folder {directory} is in use by another tsloop process: "
            "give each process its own TSLOOP_SPOOL_DIR"
        ) from None
    return lock_file


def _sync_folder(directory: Path) -> None:
    """fsync the folder so that a created or deleted segment survives a power loss."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
