"""Insert a batch and, when the database rejects it, split it to isolate the bad rows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tsloop.domain import Reading
from tsloop.usecases.errors import PermanentStorageError
from tsloop.usecases.ports import ReadingCommands

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchOutcome:
    """Counts of one batch: inserted rows, rows the database rejected, and duplicates."""

    inserted: int
    rejected: int
    duplicate: int


def insert_isolating(
    commands: ReadingCommands,
    batch: Sequence[Reading],
    on_reject: Callable[[Reading, str], None],
) -> BatchOutcome:
    """Insert `batch` in one round trip, bisecting it on a permanent error to isolate bad rows.

    A batch with k bad rows out of n takes about 2k * log2(n) extra round trips.
    `on_reject` is called once per rejected reading with the database's message.
    TransientStorageError propagates so the caller can retry the whole batch.
    """
    inserted, rejected = _insert_or_split(commands, batch, on_reject)
    return BatchOutcome(inserted, rejected, len(batch) - inserted - rejected)


def _insert_or_split(
    commands: ReadingCommands,
    batch: Sequence[Reading],
    on_reject: Callable[[Reading, str], None],
) -> tuple[int, int]:
    if not batch:
        return 0, 0
    try:
        return commands.insert_batch(batch), 0
    except PermanentStorageError as exc:
        if len(batch) == 1:
            on_reject(batch[0], str(exc))
            return 0, 1
        logger.debug("splitting a batch of %d readings after: %s", len(batch), exc)
    middle = len(batch) // 2
    first = _insert_or_split(commands, batch[:middle], on_reject)
    second = _insert_or_split(commands, batch[middle:], on_reject)
    return first[0] + second[0], first[1] + second[1]
