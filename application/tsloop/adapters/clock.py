"""Clock backed by the operating system."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class SystemClock:
    """time.monotonic for scheduling, the UTC wall clock for labels, time.sleep to wait."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)
