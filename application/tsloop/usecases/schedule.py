"""Fixed-rate schedule: due times on the monotonic clock and aligned wall times."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tsloop.usecases.errors import StartupError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECONDS_PER_SECOND = 1_000_000


@dataclass(frozen=True)
class Schedule:
    """Tick k is due at `mono_start + k * interval` and labelled `anchor + k * interval`.

    Wall times are computed in whole microseconds from the anchor, so they stay
    exact multiples of the interval however many ticks run. Due times are derived
    from the tick number, never from the previous tick, so lateness does not add up.
    """

    interval_us: int
    anchor: datetime
    mono_start: float

    @property
    def interval(self) -> float:
        return self.interval_us / MICROSECONDS_PER_SECOND

    def due(self, tick: int) -> float:
        return self.mono_start + tick * self.interval

    def tick_time(self, tick: int) -> datetime:
        return self.anchor + timedelta(microseconds=tick * self.interval_us)


def interval_to_microseconds(interval: float) -> int:
    """Return the interval in whole microseconds, or raise StartupError if it is unusable."""
    if not math.isfinite(interval) or interval <= 0:
        raise StartupError(f"interval {interval!r} is invalid: use a number of seconds > 0")
    interval_us = round(interval * MICROSECONDS_PER_SECOND)
    if interval_us < 1:
        raise StartupError(f"interval {interval!r} is below the 1 microsecond resolution")
    return interval_us


def start_schedule(interval: float, wall_now: datetime, mono_now: float) -> Schedule:
    """Anchor a schedule at the next multiple of `interval` in UTC epoch time.

    `wall_now` and `mono_now` must be read at the same moment. The first tick
    is due when the wall clock reaches the anchor, expressed on the monotonic clock.
    """
    interval_us = interval_to_microseconds(interval)
    now_us = (wall_now - EPOCH) // timedelta(microseconds=1)
    anchor_us = -(-now_us // interval_us) * interval_us
    anchor = EPOCH + timedelta(microseconds=anchor_us)
    mono_start = mono_now + (anchor_us - now_us) / MICROSECONDS_PER_SECOND
    return Schedule(interval_us=interval_us, anchor=anchor, mono_start=mono_start)
