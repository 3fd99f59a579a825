"""Domain model: readings and their validation rules, standard library only."""

from __future__ import annotations

from tsloop.domain.errors import DomainError, InvalidReading
from tsloop.domain.reading import MAX_LABEL_LENGTH, MAX_TIME, MIN_TIME, Reading

__all__ = [
    "MAX_LABEL_LENGTH",
    "MAX_TIME",
    "MIN_TIME",
    "DomainError",
    "InvalidReading",
    "Reading",
]
