"""Reading entity: one value of one metric from one source at one time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tsloop.domain.errors import InvalidReading

MAX_LABEL_LENGTH = 200
# Accepted time range, start inclusive and end exclusive. A reading outside it is
# almost certainly a clock or parsing fault, not a real sample.
MIN_TIME = datetime(1970, 1, 1, tzinfo=UTC)
MAX_TIME = datetime(2200, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Reading:
    """One sampled value, with `time` converted to an aware datetime in UTC."""

    time: datetime
    source: str
    metric: str
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "time", validate_time(self.time))
        _validate_label("source", self.source)
        _validate_label("metric", self.metric)
        object.__setattr__(self, "value", _validate_value(self.value))


def validate_time(value: object) -> datetime:
    """Return `value` converted to UTC, or raise InvalidReading if it is naive or out of range."""
    if not isinstance(value, datetime):
        raise InvalidReading(f"time must be a datetime, got {type(value).__name__}")
    offset = value.utcoffset()
    if offset is None:
        raise InvalidReading(f"time {value.isoformat()} has no time zone: use an aware UTC time")
    if not MIN_TIME <= value < MAX_TIME:
        raise InvalidReading(
            f"time {value.isoformat()} is out of range "
            f"[{MIN_TIME.isoformat()}, {MAX_TIME.isoformat()})"
        )
    if offset == timedelta(0) and value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


def _validate_label(field: str, label: object) -> None:
    if not isinstance(label, str):
        raise InvalidReading(f"{field} must be a string, got {type(label).__name__}")
    if not label.strip():
        raise InvalidReading(f"{field} is empty")
    if len(label) > MAX_LABEL_LENGTH:
        raise InvalidReading(
            f"{field} has {len(label)} characters, the maximum is {MAX_LABEL_LENGTH}"
        )
    if "\x00" in label:
        # PostgreSQL text values cannot contain NUL characters.
        raise InvalidReading(f"{field} contains a NUL character")


def _validate_value(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidReading(f"value must be a number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        raise InvalidReading(f"value {value} is too large for a double") from None
    if not math.isfinite(number):
        raise InvalidReading(f"value {number!r} is not a finite number")
    return number
