"""Synthetic source: a seeded random walk over a fixed number of series."""

from __future__ import annotations

import random
from datetime import datetime

from tsloop.domain import Reading

SYNTHETIC_SOURCE_NAME = "synthetic"


def series_metric(index: int) -> str:
    """Return the metric name of series `index`, e.g. series_0007."""
    return f"series_{index:04d}"


class SyntheticSource:
    """Random walk per series with unit Gaussian steps.

    The same seed and series count give the same values for the same sequence
    of `sample` calls, whatever times are passed.
    """

    def __init__(self, series: int, seed: int = 0, start_value: float = 50.0) -> None:
        if series < 1:
            raise ValueError(f"series {series} is invalid: use an integer >= 1")
        self._random = random.Random(seed)
        self._metrics = [series_metric(index) for index in range(series)]
        self._values = [start_value] * series

    def sample(self, at: datetime) -> list[Reading]:
        readings = []
        for index, metric in enumerate(self._metrics):
            self._values[index] += self._random.gauss(0.0, 1.0)
            readings.append(Reading(at, SYNTHETIC_SOURCE_NAME, metric, self._values[index]))
        return readings
