"""Parse bucket widths such as 10s, 5m or 1h from query strings."""

from __future__ import annotations

from datetime import timedelta

from tsloop.entrypoints.params import DURATION_PATTERN, DURATION_UNITS
from tsloop.usecases.errors import InvalidQuery

# Anchored form of the command line's duration syntax, with bounded digit counts
# so the OpenAPI document describes what the parser accepts.
WIDTH_PATTERN = r"^\d{1,9}(\.\d{1,6})?[smhdw]?$"


def parse_width(text: str) -> timedelta:
    """Return the duration of `text`, a number with an optional unit s, m, h, d or w.

    Raises InvalidQuery for other text and for durations beyond what timedelta holds.
    """
    match = DURATION_PATTERN.fullmatch(text.strip())
    if match is None:
        raise InvalidQuery(f"width {text!r} is invalid: use a duration such as 30s, 5m, 1h or 1d")
    amount, unit = match.groups()
    try:
        return timedelta(seconds=float(amount) * DURATION_UNITS[unit or "s"])
    except OverflowError:
        raise InvalidQuery(f"width {text!r} is too long: use at most 999999999 days") from None
