"""Schedule anchoring and aligned tick times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tsloop.usecases.errors import StartupError
from tsloop.usecases.schedule import start_schedule

pytestmark = pytest.mark.unit


def test_anchor_is_next_multiple_of_interval():
    now = datetime(2026, 1, 1, 0, 0, 7, 250_000, tzinfo=UTC)

    schedule = start_schedule(10.0, now, 100.0)

    assert schedule.anchor == datetime(2026, 1, 1, 0, 0, 10, tzinfo=UTC)
    assert schedule.mono_start == pytest.approx(102.75)


def test_anchor_on_exact_multiple_is_now():
    now = datetime(2026, 1, 1, 0, 1, tzinfo=UTC)

    schedule = start_schedule(60.0, now, 5.0)

    assert schedule.anchor == now
    assert schedule.mono_start == 5.0


def test_fractional_tick_time_is_exact():
    schedule = start_schedule(0.3, datetime(2026, 1, 1, tzinfo=UTC), 0.0)

    assert schedule.tick_time(1_000_000) - schedule.anchor == timedelta(seconds=300_000)
    assert schedule.due(10) == pytest.approx(3.0)


def test_sub_microsecond_interval_is_rejected():
    with pytest.raises(StartupError, match="1 microsecond"):
        start_schedule(1e-7, datetime(2026, 1, 1, tzinfo=UTC), 0.0)


@pytest.mark.parametrize("interval", [0.0, -1.0, float("inf"), float("nan")])
def test_invalid_interval_is_rejected(interval):
    with pytest.raises(StartupError, match="is invalid"):
        start_schedule(interval, datetime(2026, 1, 1, tzinfo=UTC), 0.0)
