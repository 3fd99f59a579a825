"""Readiness: whether the database is reachable and its schema is at the newest migration."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from tsloop.usecases.errors import UseCaseError

logger = logging.getLogger(__name__)


class SchemaStatus(Protocol):
    """Source of the schema revisions. Implementations raise UseCaseError subclasses."""

    def current_revision(self) -> str | None:
        """Return the revision the database is at, or None before the first migration.

        Raises StorageError if the database cannot be queried.
        """
        ...

    def head_revision(self) -> str:
        """Return the newest revision of the migrations this build ships."""
        ...


@dataclass(frozen=True)
class ReadinessReport:
    """Outcome of a readiness check, with one line per check: "ok" or what failed."""

    ready: bool
    checks: dict[str, str] = field(default_factory=dict)


def check_readiness(status: SchemaStatus) -> ReadinessReport:
    """Check that the database is reachable and that its schema revision is the head revision."""
    try:
        head = status.head_revision()
    except UseCaseError as exc:
        logger.warning("readiness: cannot read the head revision: %s", exc)
        return ReadinessReport(False, {"database": "not checked", "schema": f"failed: {exc}"})
    try:
        current = status.current_revision()
    except UseCaseError as exc:
        logger.warning("readiness: database check failed: %s", exc)
        return ReadinessReport(False, {"database": f"failed: {exc}", "schema": "not checked"})
    if current != head:
        schema = f"failed: revision {current} is not the head revision {head}: run tsloop migrate"
        return ReadinessReport(False, {"database": "ok", "schema": schema})
    return ReadinessReport(True, {"database": "ok", "schema": f"ok: revision {head}"})
