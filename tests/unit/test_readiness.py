"""Readiness check of the database and its schema revision."""

from __future__ import annotations

from fake_queries import FakeSchemaStatus

from tsloop.usecases.errors import StorageError
from tsloop.usecases.readiness import check_readiness


def test_schema_at_head_is_ready() -> None:
    report = check_readiness(FakeSchemaStatus(current="0001", head="0001"))

    assert report.ready
    assert report.checks == {"database": "ok", "schema": "ok: revision 0001"}


def test_schema_behind_head_is_not_ready() -> None:
    report = check_readiness(FakeSchemaStatus(current="0001", head="0002"))

    assert not report.ready
    assert report.checks["database"] == "ok"
    assert "tsloop migrate" in report.checks["schema"]


def test_unmigrated_database_is_not_ready() -> None:
    report = check_readiness(FakeSchemaStatus(current=None, head="0001"))

    assert not report.ready
    assert "revision None" in report.checks["schema"]


def test_unreachable_database_is_not_ready() -> None:
    report = check_readiness(FakeSchemaStatus(current=StorageError("connection refused")))

    assert not report.ready
    assert report.checks["database"] == "failed: connection refused"
    assert report.checks["schema"] == "not checked"
