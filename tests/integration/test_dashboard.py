"""The dashboard page in headless Chromium, served with real adapters on the test database."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from tests.support.browser import chromium_executable, screenshot
from tests.support.http_server import serve_app
from tests.support.testvm import REPO_ROOT
from tsloop.adapters.prometheus_telemetry import PrometheusTelemetry
from tsloop.adapters.schema_status import SqlSchemaStatus
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.sql_queries import SqlReadingQueries
from tsloop.domain import Reading
from tsloop.entrypoints.http import HttpContext, create_app
from tsloop.usecases.liveness import LoopState

SOURCE = "dashboard"
METRIC = "wave"
# The average line's colour, LINE_COLOR in static/dashboard.js.
LINE_RGB = (0x0B, 0x6B, 0xCB)
# Channel distance within which a pixel counts as the line colour, allowing for
# antialiasing at the line's edges.
COLOR_TOLERANCE = 12
# A 2 px line across most of a 1200 px wide chart covers well over this many pixels.
MIN_LINE_PIXELS = 500


@pytest.fixture(scope="module")
def dashboard_url(runtime_engine: Engine) -> Iterator[str]:
    """Store 30 minutes of a sine wave up to now and serve the app on loopback."""
    now = datetime.now(UTC).replace(microsecond=0)
    readings = [
        Reading(now - timedelta(seconds=second), SOURCE, METRIC, 50 + 20 * math.sin(second / 300))
        for second in range(1, 1801)
    ]
    SqlReadingCommands(runtime_engine).insert_batch(readings)
    context = HttpContext(
        queries=SqlReadingQueries(runtime_engine),
        schema=SqlSchemaStatus(runtime_engine, lambda: REPO_ROOT / "database"),
        registry=PrometheusTelemetry().registry,
        loop_state=lambda: LoopState(interval=1.0, started=0.0, last_tick=None),
    )
    with serve_app(create_app(context)) as base_url:
        yield f"{base_url}/?source={SOURCE}&metric={METRIC}"


def count_line_pixels(path: Path) -> int:
    data = Image.open(path).convert("RGB").tobytes()
    count = 0
    for offset in range(0, len(data), 3):
        pixel = data[offset : offset + 3]
        distances = [abs(channel - want) for channel, want in zip(pixel, LINE_RGB, strict=True)]
        if max(distances) <= COLOR_TOLERANCE:
            count += 1
    return count


def test_dashboard_plots_series_line(dashboard_url: str, tmp_path: Path) -> None:
    if chromium_executable() is None:
        pytest.fail("chromium is not installed; run scripts/install")
    output = tmp_path / "dashboard.png"

    result = screenshot(dashboard_url, output)
    print(f"\ndashboard screenshot: {output}")

    assert result.returncode == 0, result.stderr[-2000:]
    assert output.is_file()
    assert Image.open(output).size == (1200, 700)
    assert count_line_pixels(output) >= MIN_LINE_PIXELS
