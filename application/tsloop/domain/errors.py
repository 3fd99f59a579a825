"""Errors raised by the domain model."""

from __future__ import annotations


class DomainError(Exception):
    """Base class for violations of a domain rule."""


class InvalidReading(DomainError):
    """A reading whose time, label or value breaks a domain rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid reading: {reason}")
        self.reason = reason
