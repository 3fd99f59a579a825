"""FastAPI application factory: routes, error handlers and the dashboard."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI

from tsloop.entrypoints.http import api, dashboard, health
from tsloop.entrypoints.http.context import HttpContext
from tsloop.entrypoints.http.errors import add_error_handlers

DESCRIPTION = (
    "Read-only access to the readings that tsloop samples: series, latest values, "
    "ranges and time buckets, plus health checks and Prometheus metrics."
)


def _package_version() -> str:
    try:
        return version("tsloop")
    except PackageNotFoundError:
        return "unknown"


def create_app(context: HttpContext) -> FastAPI:
    """Build the app around `context`. Each call returns a new, independent app."""
    app = FastAPI(title="tsloop", version=_package_version(), description=DESCRIPTION)
    app.state.context = context
    add_error_handlers(app)
    app.include_router(health.router)
    app.include_router(api.router)
    dashboard.add_dashboard(app)
    return app
