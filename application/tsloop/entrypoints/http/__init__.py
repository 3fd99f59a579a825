"""HTTP entry point: query API, health checks, metrics and the dashboard."""

from __future__ import annotations

from tsloop.entrypoints.http.app import create_app
from tsloop.entrypoints.http.context import HttpContext

__all__ = ["HttpContext", "create_app"]
