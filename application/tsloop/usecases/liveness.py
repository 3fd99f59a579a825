"""Liveness: whether the sampling loop is running and has ticked recently."""

from __future__ import annotations

from dataclasses import dataclass

# A loop counts as stalled after this many intervals without a completed tick.
STALE_INTERVALS = 3
# Floor of the stall threshold in seconds. A tick that waits for an unreachable
# database takes up to the 10 s connect timeout, and short intervals should not
# turn that into a failed health check.
MIN_STALE_SECONDS = 15.0


@dataclass(frozen=True)
class LoopState:
    """Snapshot of the sampling loop's state, with times in seconds on the monotonic clock.

    `started` is when the loop was started, `last_tick` when the most recent tick
    completed (None before the first), and `stopped` the reason the loop ended,
    or None while it runs.
    """

    interval: float
    started: float
    last_tick: float | None
    stopped: str | None = None


@dataclass(frozen=True)
class LivenessReport:
    """Outcome of a liveness check. `seconds_since_tick` is None before the first tick."""

    alive: bool
    reason: str
    seconds_since_tick: float | None
    stale_after: float


def stale_after(interval: float) -> float:
    """Return the seconds without a tick after which the loop counts as stalled."""
    return max(STALE_INTERVALS * interval, MIN_STALE_SECONDS)


def check_liveness(state: LoopState, now: float) -> LivenessReport:
    """Report the loop alive if it runs and ticked, or started, within the stall threshold."""
    threshold = stale_after(state.interval)
    since_tick = None if state.last_tick is None else max(now - state.last_tick, 0.0)
    if state.stopped is not None:
        return LivenessReport(
            False, f"sampling loop stopped: {state.stopped}", since_tick, threshold
        )
    if since_tick is None:
        waited = max(now - state.started, 0.0)
        if waited > threshold:
            reason = f"no tick completed {waited:.1f} s after the loop started"
            return LivenessReport(False, reason, None, threshold)
        return LivenessReport(
            True, "sampling loop started, waiting for the first tick", None, threshold
        )
    if since_tick > threshold:
        reason = f"last tick completed {since_tick:.1f} s ago, more than {threshold:.1f} s"
        return LivenessReport(False, reason, since_tick, threshold)
    return LivenessReport(
        True, f"last tick completed {since_tick:.1f} s ago", since_tick, threshold
    )
