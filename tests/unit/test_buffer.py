"""Bounded in-memory reading buffer."""

from __future__ import annotations

import pytest
from fakes import START_WALL, FakeSource

from tsloop.usecases.buffer import ReadingBuffer
from tsloop.usecases.errors import StartupError

pytestmark = pytest.mark.unit


def readings(count):
    return FakeSource(series=count).sample(START_WALL)


def test_offer_returns_overflow_in_order():
    buffer = ReadingBuffer(capacity=3)
    batch = readings(5)

    overflow = buffer.offer(batch)

    assert overflow == batch[3:]
    assert len(buffer) == 3


def test_take_returns_oldest_first():
    buffer = ReadingBuffer(capacity=10)
    batch = readings(5)
    buffer.offer(batch)

    taken = buffer.take(2)

    assert taken == batch[:2]
    assert buffer.drain() == batch[2:]
    assert len(buffer) == 0


def test_full_buffer_takes_nothing_more():
    buffer = ReadingBuffer(capacity=2)
    buffer.offer(readings(2))

    overflow = buffer.offer(readings(1))

    assert len(overflow) == 1
    assert len(buffer) == 2


def test_zero_capacity_overflows_everything():
    buffer = ReadingBuffer(capacity=0)
    batch = readings(4)

    assert buffer.offer(batch) == batch
    assert len(buffer) == 0


def test_negative_capacity_raises():
    with pytest.raises(StartupError, match="buffer size -1 is invalid"):
        ReadingBuffer(capacity=-1)
