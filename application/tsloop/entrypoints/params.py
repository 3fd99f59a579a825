"""Click parameter types for times and durations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import click

DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
DURATION_PATTERN = re.compile(r"^(\d+(?:\.\d+)?)([smhdw]?)$")


class UtcDateTime(click.ParamType[datetime]):
    """ISO 8601 date or time. A value without a time zone is taken as UTC."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time such as 2026-01-31T12:00:00Z", param, ctx)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)


class Duration(click.ParamType[timedelta]):
    """Duration as a number with an optional unit s, m, h, d or w, in seconds without one."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, timedelta):
            return value
        match = DURATION_PATTERN.fullmatch(str(value).strip())
        if match is None:
            self.fail(f"{value!r} is not a duration such as 30s, 5m, 1h or 1d", param, ctx)
        amount, unit = match.groups()
        return timedelta(seconds=float(amount) * DURATION_UNITS[unit or "s"])


UTC_DATETIME = UtcDateTime()
DURATION = Duration()
