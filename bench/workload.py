"""Readings that every ingest method writes, generated once per run."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.domain import Reading

# A fixed start time, so runs write the same rows. Each step of STEP writes one
# reading per series, as one tick of the service would.
START = datetime(2026, 1, 5, tzinfo=UTC)
STEP = timedelta(seconds=1)
SERIES = 100


def generate_readings(count: int, series: int = SERIES, seed: int = 0) -> list[Reading]:
    """Return `count` readings of `series` random walks, one step per second from START."""
    source = SyntheticSource(series=series, seed=seed)
    readings: list[Reading] = []
    step = 0
    while len(readings) < count:
        readings.extend(source.sample(START + step * STEP))
        step += 1
    return readings[:count]


def write_csv(readings: list[Reading], path: Path) -> None:
    """Write the readings as CSV in the column order time, source, metric, value."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        for reading in readings:
            writer.writerow(
                (reading.time.isoformat(), reading.source, reading.metric, repr(reading.value))
            )
