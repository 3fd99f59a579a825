"""In-memory fakes of the ports, imported by the unit tests as `fakes`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from tsloop.domain import Reading
from tsloop.usecases.dto import TickReport
from tsloop.usecases.errors import StorageError
from tsloop.usecases.telemetry import NullTelemetry

START_WALL = datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC)
START_MONO = 5_000.0


class FakeClock:
    """Virtual time: sleep() and advance() move the monotonic and wall clocks together."""

    def __init__(self, wall: datetime = START_WALL, mono: float = START_MONO) -> None:
        self.wall = wall
        self.mono = mono
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[FakeClock], None] | None = None

    def monotonic(self) -> float:
        return self.mono

    def now(self) -> datetime:
        return self.wall

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.advance(seconds)
        if self.on_sleep is not None:
            self.on_sleep(self)

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)


class FakeSource:
    """Return `series` readings per call with the value equal to the call number."""

    def __init__(self, series: int = 3, source: str = "fake") -> None:
        self.series = series
        self.source = source
        self.times: list[datetime] = []

    def sample(self, at: datetime) -> list[Reading]:
        self.times.append(at)
        call = float(len(self.times))
        return [Reading(at, self.source, f"m{i}", call) for i in range(self.series)]


class FakeCommands:
    """Store readings in a dict keyed like the unique constraint.

    `work_seconds` maps a call number (0-based) to seconds the call takes on
    the clock, and `fail_calls` lists call numbers that raise StorageError.
    """

    def __init__(
        self,
        clock: FakeClock | None = None,
        work_seconds: dict[int, float] | None = None,
        fail_calls: set[int] | None = None,
    ) -> None:
        self.clock = clock
        self.work_seconds = work_seconds or {}
        self.fail_calls = fail_calls or set()
        self.rows: dict[tuple[str, str, datetime], float] = {}
        self.batches: list[list[Reading]] = []
        self.call_times: list[float] = []
        self.after_insert: Callable[[int], None] | None = None

    def insert_batch(self, readings: Sequence[Reading]) -> int:
        call = len(self.call_times)
        if self.clock is not None:
            self.call_times.append(self.clock.monotonic())
            self.clock.advance(self.work_seconds.get(call, 0.0))
        else:
            self.call_times.append(0.0)
        if call in self.fail_calls:
            raise StorageError("connection lost")
        self.batches.append(list(readings))
        inserted = 0
        for reading in readings:
            key = (reading.source, reading.metric, reading.time)
            if key not in self.rows:
                self.rows[key] = reading.value
                inserted += 1
        if self.after_insert is not None:
            self.after_insert(call)
        return inserted

    def delete_range(self, start: datetime, end: datetime, source: str | None = None) -> int:
        doomed = [
            key
            for key in self.rows
            if start <= key[2] < end and (source is None or key[0] == source)
        ]
        for key in doomed:
            del self.rows[key]
        return len(doomed)


class FakeStop:
    def __init__(self) -> None:
        self.flag = False

    def is_set(self) -> bool:
        return self.flag

    def set(self) -> None:
        self.flag = True


class RecordingTelemetry(NullTelemetry):
    """Telemetry that keeps the events the tests check."""

    def __init__(self) -> None:
        self.ticks: list[int] = []
        self.missed = 0
        self.sampled = 0
        self.written = 0

    def tick_completed(self, report: TickReport) -> None:
        self.ticks.append(report.tick)

    def ticks_missed(self, count: int) -> None:
        self.missed += count

    def readings_sampled(self, count: int) -> None:
        self.sampled += count

    def readings_written(self, count: int) -> None:
        self.written += count
