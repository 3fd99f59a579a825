"""Bucket widths in query strings."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tsloop.entrypoints.http.durations import WIDTH_PATTERN, parse_width
from tsloop.usecases.errors import InvalidQuery


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", timedelta(seconds=30)),
        ("10s", timedelta(seconds=10)),
        ("1.5m", timedelta(seconds=90)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1w", timedelta(weeks=1)),
    ],
)
def test_parse_width_units(text: str, expected: timedelta) -> None:
    assert parse_width(text) == expected


def test_parse_width_rejects_text() -> None:
    with pytest.raises(InvalidQuery, match="such as 30s"):
        parse_width("ten seconds")


def test_parse_width_rejects_overflow() -> None:
    with pytest.raises(InvalidQuery, match="too long"):
        parse_width("999999999w")


@pytest.mark.parametrize("text", ["10s", "0.5", "999999999.999999w"])
def test_width_pattern_accepts_parser_syntax(text: str) -> None:
    assert re.fullmatch(WIDTH_PATTERN, text)
