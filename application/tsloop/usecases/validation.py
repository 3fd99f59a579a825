"""Check sampled readings at the domain boundary so that one bad reading never fails a batch."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from tsloop.domain import InvalidReading, Reading
from tsloop.domain.reading import check_reading
from tsloop.usecases.counters import WriteCounters

logger = logging.getLogger(__name__)


def keep_valid(readings: Sequence[Reading], counters: WriteCounters) -> list[Reading]:
    """Return the readings that pass the domain rules, and log and count each one that fails."""
    valid = []
    for reading in readings:
        try:
            check_reading(reading)
        except InvalidReading as exc:
            logger.warning(
                "rejected reading source=%r metric=%r: %s",
                reading.source,
                reading.metric,
                exc.reason,
            )
            counters.rejected(1, exc.reason)
        else:
            valid.append(reading)
    return valid
