"""Classification of PostgreSQL errors into transient and permanent ones."""

from __future__ import annotations

import psycopg2
import pytest
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError

from tsloop.adapters.error_classes import (
    classify,
    classify_sqlstate,
    is_access_rejected,
    storage_error,
)
from tsloop.usecases.errors import PermanentStorageError, TransientStorageError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "code",
    [None, "08000", "08006", "08001", "57P01", "57P02", "57P03", "53300", "40001", "40P01"],
)
def test_transient_sqlstates(code):
    assert classify_sqlstate(code) == "transient"


@pytest.mark.parametrize("code", ["22003", "22P02", "23505", "23502"])
def test_permanent_sqlstates(code):
    assert classify_sqlstate(code) == "permanent"


@pytest.mark.parametrize("code", ["42P01", "42501"])
def test_schema_and_privilege_errors_are_retried(code):
    assert classify_sqlstate(code) == "transient"


def test_unknown_sqlstate_is_retried():
    assert classify_sqlstate("XX000") == "transient"


class DriverError(psycopg2.Error):
    """psycopg2 error with a settable SQLSTATE; the real pgcode is read-only."""

    def __init__(self, message, pgcode):
        super().__init__(message)
        self.code = pgcode

    @property
    def pgcode(self):
        return self.code


def test_operational_error_without_code_is_transient():
    error = OperationalError("INSERT", {}, DriverError("connection refused", None))

    assert classify(error) == "transient"


def test_constraint_violation_is_permanent():
    error = DBAPIError("INSERT", {}, DriverError("null value in column", "23502"))

    assert classify(error) == "permanent"


def test_storage_error_keeps_first_line_and_kind():
    error = DBAPIError("INSERT", {}, DriverError("value out of range\nDETAIL: ...", "22003"))

    converted = storage_error("insert of 3 readings failed", error)

    assert isinstance(converted, PermanentStorageError)
    assert str(converted) == "insert of 3 readings failed: DriverError: value out of range"


def test_error_without_driver_is_transient():
    error = StatementError("bind failed", "INSERT", {}, ValueError("x"))

    assert isinstance(storage_error("insert failed", error), TransientStorageError)


@pytest.mark.parametrize(
    "message",
    [
        'FATAL:  password authentication failed for user "tsloop_app"',
        'FATAL:  no pg_hba.conf entry for host "192.0.2.9", user "tsloop_app"',
        'FATAL:  database "tsloop" does not exist',
    ],
)
def test_rejected_login_is_recognised(message):
    assert is_access_rejected(message)


def test_refused_connection_is_not_access_rejection():
    assert not is_access_rejected("connection to server at 192.0.2.2 failed: Connection refused")
