"""Query use cases: argument checks and pass-through to the port."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tsloop.usecases import queries
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, ReadingDTO
from tsloop.usecases.errors import InvalidQuery

pytestmark = pytest.mark.unit

START = datetime(2026, 1, 1, tzinfo=UTC)
END = START + timedelta(hours=1)


class FakeQueries:
    def __init__(self):
        self.calls = []

    def latest(self):
        self.calls.append(("latest",))
        return [LatestReadingDTO("s", "m", START, 1.0)]

    def range(self, source, metric, start, end, limit):
        self.calls.append(("range", source, metric, start, end, limit))
        return [ReadingDTO(start, source, metric, 2.0)]

    def buckets(self, width, start, end, source=None, metric=None):
        self.calls.append(("buckets", width, start, end, source, metric))
        return [BucketDTO(start, "s", "m", 1.0, 0.0, 2.0, 3)]


def test_latest_returns_port_rows():
    port = FakeQueries()

    assert queries.get_latest(port) == [LatestReadingDTO("s", "m", START, 1.0)]


def test_range_passes_arguments():
    port = FakeQueries()

    rows = queries.get_range(port, "s", "m", START, END, limit=10)

    assert rows == [ReadingDTO(START, "s", "m", 2.0)]
    assert port.calls == [("range", "s", "m", START, END, 10)]


@pytest.mark.parametrize(
    ("start", "end", "limit", "message"),
    [
        (END, START, 10, "must be before end"),
        (START, START, 10, "must be before end"),
        (START, END, 0, "limit 0 is invalid"),
        (START, END, 100_001, "limit 100001 is invalid"),
        (datetime(2026, 1, 1), END, 10, "no time zone"),
    ],
)
def test_range_rejects_invalid_arguments(start, end, limit, message):
    port = FakeQueries()

    with pytest.raises(InvalidQuery, match=message):
        queries.get_range(port, "s", "m", start, end, limit)

    assert port.calls == []


def test_range_rejects_empty_series():
    with pytest.raises(InvalidQuery, match="must not be empty"):
        queries.get_range(FakeQueries(), "", "m", START, END)


def test_buckets_pass_filters():
    port = FakeQueries()

    queries.get_buckets(port, timedelta(minutes=1), START, END, source="s", metric="m")

    assert port.calls == [("buckets", timedelta(minutes=1), START, END, "s", "m")]


@pytest.mark.parametrize("width", [timedelta(0), timedelta(seconds=-1)])
def test_buckets_reject_non_positive_width(width):
    with pytest.raises(InvalidQuery, match="use a positive duration"):
        queries.get_buckets(FakeQueries(), width, START, END)


def test_buckets_reject_too_many_buckets():
    with pytest.raises(InvalidQuery, match="exceed the maximum"):
        queries.get_buckets(FakeQueries(), timedelta(milliseconds=1), START, END)
