"""Errors that adapters raise through the ports and use cases raise to callers."""

from __future__ import annotations


class UseCaseError(Exception):
    """Base class for errors reported by the use case layer."""


class StorageError(UseCaseError):
    """A reading store failed to run a command or query (connection lost, SQL error)."""


class SourceError(UseCaseError):
    """A reading source failed to produce a sample."""


class InvalidQuery(UseCaseError):
    """A query argument is outside what the use case accepts."""


class StartupError(UseCaseError):
    """The loop cannot start because its configuration or a dependency is unusable."""
