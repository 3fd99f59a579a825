"""Capped exponential backoff with full jitter for retrying a failed write."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from tsloop.usecases.errors import StartupError


@dataclass
class Backoff:
    """Random delay before retry `attempt` (1-based) of a failed write, in seconds.

    The delay is uniform in [0, min(max_delay, initial * 2**(attempt - 1))].

    Full jitter spreads the retries of many clients that lost the same server,
    so they do not reconnect in lockstep when it comes back.
    """

    initial: float
    max_delay: float
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.initial) and self.initial > 0):
            raise StartupError(f"retry initial delay {self.initial!r} is invalid: use seconds > 0")
        if not (math.isfinite(self.max_delay) and self.max_delay >= self.initial):
            raise StartupError(
                f"retry max delay {self.max_delay!r} is invalid: "
                f"use seconds >= the initial delay {self.initial}"
            )

    def ceiling(self, attempt: int) -> float:
        """Return the upper bound of the delay before retry `attempt`."""
        # The exponent is capped so that 2**exponent cannot overflow a float.
        exponent = min(max(attempt - 1, 0), 60)
        return min(self.max_delay, self.initial * 2.0**exponent)

    def delay(self, attempt: int) -> float:
        """Return a random delay in seconds before retry `attempt`."""
        return self.rng.uniform(0.0, self.ceiling(attempt))
