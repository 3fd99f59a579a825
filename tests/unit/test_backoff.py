"""Capped exponential backoff with full jitter."""

from __future__ import annotations

import random

import pytest

from tsloop.usecases.backoff import Backoff
from tsloop.usecases.errors import StartupError

pytestmark = pytest.mark.unit


def test_ceiling_doubles_then_caps():
    backoff = Backoff(initial=0.5, max_delay=4.0)

    ceilings = [backoff.ceiling(attempt) for attempt in range(1, 7)]

    assert ceilings == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_delay_stays_within_ceiling():
    backoff = Backoff(initial=0.1, max_delay=2.0, rng=random.Random(1))

    for attempt in range(1, 200):
        delay = backoff.delay(attempt)
        assert 0.0 <= delay <= backoff.ceiling(attempt)


def test_delay_is_jittered():
    backoff = Backoff(initial=1.0, max_delay=1.0, rng=random.Random(7))

    delays = {round(backoff.delay(5), 6) for _ in range(50)}

    assert len(delays) > 40
    assert min(delays) < 0.2
    assert max(delays) > 0.8


def test_huge_attempt_does_not_overflow():
    backoff = Backoff(initial=0.5, max_delay=30.0)

    assert backoff.ceiling(10_000) == 30.0


@pytest.mark.parametrize(
    ("initial", "max_delay", "message"),
    [
        (0.0, 1.0, "initial delay 0.0 is invalid"),
        (float("nan"), 1.0, "initial delay nan is invalid"),
        (2.0, 1.0, "max delay 1.0 is invalid"),
        (1.0, float("inf"), "max delay inf is invalid"),
    ],
)
def test_invalid_delays_raise(initial, max_delay, message):
    with pytest.raises(StartupError, match=message):
        Backoff(initial=initial, max_delay=max_delay)
