"""Classify database errors as transient (retry) or permanent (isolate the bad rows)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from tsloop.adapters.engine import describe_error
from tsloop.usecases.errors import PermanentStorageError, StorageError, TransientStorageError

Kind = Literal["transient", "permanent"]

# SQLSTATE codes and classes from the PostgreSQL 17 manual, appendix A.
# 08: connection exception; 57P01-57P03: admin or crash shutdown, cannot
# connect now; 53300: too many connections; 40001 and 40P01: serialization
# failure and deadlock, which succeed when the transaction runs again.
TRANSIENT_CODES = frozenset({"57P01", "57P02", "57P03", "53300", "40001", "40P01"})
TRANSIENT_CLASSES = frozenset({"08"})
# 22: data exception; 23: integrity constraint violation. The same rows fail
# again however often they are sent, so the batch is split to isolate them.
# Class 42 (syntax error or access rule violation: a missing table before
# `tsloop migrate`, a missing INSERT grant) fails every row alike, so it is
# retried and the readings wait in the spool until an operator fixes it.
PERMANENT_CLASSES = frozenset({"22", "23"})


def classify_sqlstate(code: str | None) -> Kind:
    """Return whether an error with SQLSTATE `code` may pass on its own.

    An error without a code comes from libpq itself (connection refused, timed
    out, server closed the connection) and is transient. Any other unknown code
    is also transient, so no reading is rejected for a failure that a retry
    might fix.
    """
    if code is None:
        return "transient"
    if code in TRANSIENT_CODES or code[:2] in TRANSIENT_CLASSES:
        return "transient"
    if code[:2] in PERMANENT_CLASSES:
        return "permanent"
    return "transient"


def classify(exc: SQLAlchemyError) -> Kind:
    """Return the kind of a SQLAlchemy error from the driver's SQLSTATE."""
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "pgcode", None)
        return classify_sqlstate(code)
    return "transient"


def storage_error(message: str, exc: SQLAlchemyError) -> StorageError:
    """Return the StorageError subclass for `exc`, with the driver's first message line."""
    text = f"{message}: {describe_error(exc)}"
    if classify(exc) == "permanent":
        return PermanentStorageError(text)
    return TransientStorageError(text)


# libpq reports a rejected login without a SQLSTATE, so the server's FATAL
# message text is the only sign that the settings, not the network, are wrong.
ACCESS_REJECTED_MARKERS = (
    "password authentication failed",
    "no pg_hba.conf entry",
    "does not exist",
    "permission denied for database",
)


def is_access_rejected(message: str) -> bool:
    """Return whether a connection error reports that the server rejected the role or database."""
    return any(marker in message for marker in ACCESS_REJECTED_MARKERS)
