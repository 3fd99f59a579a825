"""Reading entity validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tsloop.domain import MAX_LABEL_LENGTH, InvalidReading, Reading

pytestmark = pytest.mark.unit

TIME = datetime(2026, 1, 1, tzinfo=UTC)


def test_valid_reading_keeps_fields():
    reading = Reading(TIME, "host", "cpu", 1.5)

    assert (reading.time, reading.source, reading.metric, reading.value) == (
        TIME,
        "host",
        "cpu",
        1.5,
    )


def test_reading_is_frozen():
    reading = Reading(TIME, "host", "cpu", 1.5)

    with pytest.raises(AttributeError):
        reading.value = 2.0  # type: ignore[misc]


def test_other_offset_is_converted_to_utc():
    local = datetime(2026, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=2)))

    reading = Reading(local, "host", "cpu", 1.0)

    assert reading.time == TIME
    assert reading.time.tzinfo is UTC


def test_int_value_becomes_float():
    reading = Reading(TIME, "host", "cpu", 3)

    assert reading.value == 3.0
    assert isinstance(reading.value, float)


@pytest.mark.parametrize(
    ("time", "reason"),
    [
        (datetime(2026, 1, 1), "has no time zone"),
        (datetime(1969, 12, 31, 23, 59, tzinfo=UTC), "out of range"),
        (datetime(2200, 1, 1, tzinfo=UTC), "out of range"),
        ("2026-01-01T00:00:00Z", "must be a datetime"),
    ],
)
def test_invalid_time_is_rejected(time, reason):
    with pytest.raises(InvalidReading, match=reason):
        Reading(time, "host", "cpu", 1.0)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (float("-inf"), "not a finite number"),
        (True, "must be a number"),
        ("1.0", "must be a number"),
        (10**400, "too large"),
    ],
)
def test_invalid_value_is_rejected(value, reason):
    with pytest.raises(InvalidReading, match=reason):
        Reading(TIME, "host", "cpu", value)


@pytest.mark.parametrize("field", ["source", "metric"])
@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("x" * (MAX_LABEL_LENGTH + 1), "has 201 characters, the maximum is 200"),
        ("a\x00b", "NUL character"),
        (None, "must be a string"),
    ],
)
def test_invalid_label_is_rejected(field, label, reason):
    labels = {"source": "host", "metric": "cpu", field: label}

    with pytest.raises(InvalidReading, match=reason) as raised:
        Reading(TIME, labels["source"], labels["metric"], 1.0)

    assert raised.value.reason.startswith(field)


def test_label_of_max_length_is_accepted():
    reading = Reading(TIME, "s" * MAX_LABEL_LENGTH, "m" * MAX_LABEL_LENGTH, 0.0)

    assert len(reading.source) == MAX_LABEL_LENGTH
