"""Ports and state that the HTTP routes read, stored on the app by the factory."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from prometheus_client import CollectorRegistry

from tsloop.usecases.liveness import LoopState
from tsloop.usecases.ports import ReadingQueries
from tsloop.usecases.readiness import SchemaStatus


@dataclass(frozen=True)
class HttpContext:
    """Everything a request handler needs: ports, the metrics registry and the loop state.

    `loop_state` returns a fresh snapshot on each call, with times on the clock
    that `monotonic` reads.
    """

    queries: ReadingQueries
    schema: SchemaStatus
    registry: CollectorRegistry
    loop_state: Callable[[], LoopState]
    monotonic: Callable[[], float] = field(default=time.monotonic)


def get_context(request: Request) -> HttpContext:
    context: HttpContext = request.app.state.context
    return context


Context = Annotated[HttpContext, Depends(get_context)]
