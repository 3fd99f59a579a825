"""Health and metrics routes: /healthz, /readyz and /metrics."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from tsloop.entrypoints.http import schemas
from tsloop.entrypoints.http.context import Context
from tsloop.usecases.liveness import check_liveness
from tsloop.usecases.readiness import check_readiness

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])

NOT_HEALTHY: dict[int | str, dict[str, Any]] = {
    503: {"model": schemas.Liveness, "description": "The loop stopped or stalled."}
}
NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"model": schemas.Readiness, "description": "A readiness check failed."}
}


@router.get("/healthz", response_model=schemas.Liveness, responses=NOT_HEALTHY)
def healthz(context: Context) -> JSONResponse:
    """Return 200 while the sampling loop runs and ticked within a few intervals, else 503."""
    report = check_liveness(context.loop_state(), context.monotonic())
    body = schemas.liveness(report)
    if not report.alive:
        logger.warning("liveness check failed: %s", report.reason)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if report.alive else 503)


@router.get("/readyz", response_model=schemas.Readiness, responses=NOT_READY)
def readyz(context: Context) -> JSONResponse:
    """Return 200 if the database is reachable and its schema is at the head revision, else 503."""
    report = check_readiness(context.schema)
    body = schemas.readiness(report)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if report.ready else 503)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
def metrics(context: Context) -> Response:
    """Return the loop's metrics in the Prometheus text exposition format."""
    return Response(generate_latest(context.registry), media_type=CONTENT_TYPE_LATEST)
