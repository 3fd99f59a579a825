"""Data transfer objects that carry results across layer boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tsloop.domain import Reading


@dataclass(frozen=True)
class ReadingDTO:
    """One stored reading."""

    time: datetime
    source: str
    metric: str
    value: float

    @classmethod
    def from_entity(cls, reading: Reading) -> ReadingDTO:
        return cls(reading.time, reading.source, reading.metric, reading.value)


@dataclass(frozen=True)
class LatestReadingDTO:
    """The most recent reading of one series, identified by source and metric."""

    source: str
    metric: str
    time: datetime
    value: float


@dataclass(frozen=True)
class SeriesDTO:
    """One stored series: the source and metric that identify it."""

    source: str
    metric: str


@dataclass(frozen=True)
class BucketDTO:
    """Aggregates of one series over one time bucket starting at `bucket`."""

    bucket: datetime
    source: str
    metric: str
    avg: float
    min: float
    max: float
    count: int


@dataclass(frozen=True)
class TickReport:
    """Timing and outcome of one executed tick.

    Monotonic times are in seconds on the loop's clock. `lateness` is
    `started - due`, so benchmarks can compute lateness percentiles and drift.
    """

    tick: int
    tick_time: datetime
    due: float
    started: float
    lateness: float
    rows_written: int
    error: str | None = None


@dataclass
class RunSummary:
    """Totals of one loop run plus the reports of the most recent ticks."""

    interval: float
    anchor: datetime
    ticks: int = 0
    rows_written: int = 0
    late: int = 0
    missed: int = 0
    failed: int = 0
    reports: list[TickReport] = field(default_factory=list)
