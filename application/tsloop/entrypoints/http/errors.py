"""Map use case errors to HTTP responses: invalid queries to 422, storage failures to 503."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from tsloop.usecases.errors import InvalidQuery, StorageError

logger = logging.getLogger(__name__)

# Documented on every route that reads the database.
STORAGE_ERROR_RESPONSE: dict[str, Any] = {"description": "The database query failed."}


async def invalid_query(request: Request, exc: Exception) -> JSONResponse:
    # Same body shape as FastAPI's own parameter errors, so a client reads one format.
    detail = [{"type": "value_error", "loc": ["query"], "msg": str(exc), "input": None}]
    return JSONResponse(status_code=422, content={"detail": detail})


async def storage_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("%s %s failed: %s", request.method, request.url.path, exc)
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": f"database query failed: {exc}"},
    )


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InvalidQuery, invalid_query)
    app.add_exception_handler(StorageError, storage_error)
