"""Heartbeat file: the loop's record of its last stored tick, which `tsloop health` reads."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tsloop.usecases.dto import TickReport
from tsloop.usecases.telemetry import NullTelemetry

logger = logging.getLogger(__name__)


class HeartbeatError(Exception):
    """The heartbeat file is missing or unreadable. The message names the file."""


@dataclass(frozen=True)
class Heartbeat:
    """Content of the heartbeat file.

    `monotonic` is time.monotonic() when the tick was stored. CLOCK_MONOTONIC is one clock
    for every process on the kernel, so another process, such as a container's health
    check, can compute the age without being misled by a step of the wall clock.
    """

    monotonic: float
    tick: int
    tick_time: str


class HeartbeatFile(NullTelemetry):
    """Telemetry that rewrites `path` after each tick that stored its readings.

    A failed tick leaves the file alone, so its age grows while storing fails. Write
    errors are logged, not raised, because telemetry must not stop the loop.
    """

    def __init__(self, path: Path, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._monotonic = monotonic
        self._failing = False

    def reset(self) -> None:
        """Remove a heartbeat left by an earlier run, so health waits for this run's first tick."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("cannot remove the old heartbeat file %s: %s", self.path, exc)

    def tick_completed(self, report: TickReport) -> None:
        if report.error is not None:
            return
        content = json.dumps(
            {
                "monotonic": self._monotonic(),
                "tick": report.tick,
                "tick_time": report.tick_time.isoformat(),
            }
        )
        partial = self.path.with_name(self.path.name + ".partial")
        try:
            partial.write_text(content + "\n", encoding="utf-8")
            # A rename replaces the file in one step, so a reader never sees half of it.
            os.replace(partial, self.path)
        except OSError as exc:
            if not self._failing:
                logger.warning("cannot write the heartbeat file %s: %s", self.path, exc)
            self._failing = True
            return
        if self._failing:
            logger.info("heartbeat file %s is written again", self.path)
            self._failing = False


def read_heartbeat(path: Path) -> Heartbeat:
    """Read the heartbeat file, or raise HeartbeatError if it is missing or invalid."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HeartbeatError(f"heartbeat file {path} not found: no tick stored yet") from None
    except OSError as exc:
        raise HeartbeatError(f"cannot read the heartbeat file {path}: {exc}") from None
    try:
        data = json.loads(text)
        return Heartbeat(
            monotonic=float(data["monotonic"]),
            tick=int(data["tick"]),
            tick_time=str(data["tick_time"]),
        )
    except (ValueError, KeyError, TypeError):
        raise HeartbeatError(f"heartbeat file {path} is invalid: {text[:80]!r}") from None
