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


class TransientStorageError(StorageError):
    """A store failure that may pass on its own: connection lost, server restarting, conflict.

    The write path retries the same batch after a backoff delay.
    """


class PermanentStorageError(StorageError):
    """A store failure that retrying cannot fix: a constraint, data or SQL error.

    The write path splits the batch to isolate and reject the offending rows.
    """
