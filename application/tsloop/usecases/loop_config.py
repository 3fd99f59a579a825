"""Parameters of the sampling loop and their checks."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tsloop.usecases.errors import StartupError


@dataclass(frozen=True)
class LoopConfig:
    """Loop parameters. With neither `ticks` nor `duration` the loop runs until stopped.

    `ticks` counts executed ticks. `duration` is in seconds from the first due
    time, so ticks due at offsets below `duration` run. `late_tolerance` is the
    lateness in seconds above which a tick is logged and counted as late.
    `max_sleep` bounds one sleep so that the stop flag is checked at least that often.
    `report_limit` caps how many tick reports the summary keeps, newest last.
    """

    interval: float
    ticks: int | None = None
    duration: float | None = None
    late_tolerance: float = 0.05
    max_sleep: float = 0.25
    report_limit: int = 100_000


def validate_loop_config(config: LoopConfig) -> None:
    """Raise StartupError if the configuration cannot drive a loop."""
    if config.ticks is not None and config.duration is not None:
        raise StartupError("set either ticks or duration, not both")
    if config.ticks is not None and config.ticks < 1:
        raise StartupError(f"ticks {config.ticks} is invalid: use an integer >= 1")
    if config.duration is not None and not (math.isfinite(config.duration) and config.duration > 0):
        raise StartupError(f"duration {config.duration!r} is invalid: use seconds > 0")
    if config.late_tolerance < 0 or config.max_sleep <= 0 or config.report_limit < 0:
        raise StartupError("late_tolerance and report_limit must be >= 0 and max_sleep must be > 0")
