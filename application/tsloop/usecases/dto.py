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
    writes: WriteTotals | None = None


@dataclass(frozen=True)
class WriteTotals:
    """Reading counts of the write path for one run.

    `written` counts rows the database inserted, `replayed` the part of them
    that came from the spool. `duplicate` counts readings the database already
    held, `rejected` invalid readings, `spooled` readings saved to the spool and
    `dropped` readings lost because the spool was full.
    """

    sampled: int = 0
    written: int = 0
    replayed: int = 0
    duplicate: int = 0
    rejected: int = 0
    spooled: int = 0
    dropped: int = 0

    def describe(self) -> str:
        return (
            f"sampled={self.sampled} written={self.written} replayed={self.replayed} "
            f"duplicate={self.duplicate} rejected={self.rejected} spooled={self.spooled} "
            f"dropped={self.dropped}"
        )


@dataclass(frozen=True)
class SpoolSegment:
    """Readings of one closed spool segment, with what could not be read back.

    `corrupt_records` counts records skipped for a bad length or checksum,
    `invalid_readings` readings that failed the domain rules, and
    `truncated_bytes` an incomplete record at the end of the file.
    """

    name: str
    readings: list[Reading]
    corrupt_records: int = 0
    invalid_readings: int = 0
    truncated_bytes: int = 0
