"""Detect wall clock steps by comparing the wall time with the schedule's tick time."""

from __future__ import annotations

import logging
from datetime import datetime

logger = logging.getLogger(__name__)


class WallClockWatch:
    """Log when the wall clock and the schedule diverge by more than one interval.

    The schedule runs on the monotonic clock and labels tick k with
    `anchor + k * interval`, so a wall clock step changes neither which ticks
    run nor their labels. A step is still worth a warning: the labels no longer
    match the host's time. Each new divergence is logged once, and again when it
    changes by more than an interval.
    """

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._reported_offset = 0.0

    def check(self, tick: int, tick_time: datetime, wall_now: datetime) -> float:
        """Return the wall clock's offset in seconds from tick `tick`'s label and log changes."""
        offset = (wall_now - tick_time).total_seconds()
        if abs(offset) > self._interval:
            if abs(offset - self._reported_offset) > self._interval:
                direction = "ahead of" if offset > 0 else "behind"
                logger.warning(
                    "wall clock is %.3f s %s the schedule at tick %d (labelled %s): "
                    "the clock was stepped, tick labels stay on the schedule",
                    abs(offset),
                    direction,
                    tick,
                    tick_time.isoformat(),
                )
                self._reported_offset = offset
        elif self._reported_offset:
            logger.info("wall clock matches the schedule again at tick %d", tick)
            self._reported_offset = 0.0
        return offset
