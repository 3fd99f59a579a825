"""Parameters of the buffered write path."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tsloop.usecases.errors import StartupError


@dataclass(frozen=True)
class WriteConfig:
    """Write path parameters; times in seconds.

    The writer sends a batch when `batch_size` readings wait or `flush_interval`
    has passed. `buffer_size` readings fit in memory before new ones go to the
    spool. `summary_interval` is the time between INFO lines with the totals.
    """

    batch_size: int = 1000
    flush_interval: float = 1.0
    buffer_size: int = 10_000
    summary_interval: float = 60.0


def validate_write_config(config: WriteConfig) -> None:
    """Raise StartupError if the configuration cannot drive a write path."""
    if config.batch_size < 1:
        raise StartupError(f"batch size {config.batch_size} is invalid: use an integer >= 1")
    if config.buffer_size < 0:
        raise StartupError(f"buffer size {config.buffer_size} is invalid: use an integer >= 0")
    for name, seconds in (
        ("flush interval", config.flush_interval),
        ("summary interval", config.summary_interval),
    ):
        if not (math.isfinite(seconds) and seconds > 0):
            raise StartupError(f"{name} {seconds!r} is invalid: use seconds > 0")
