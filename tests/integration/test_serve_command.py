"""`tsloop serve` as a process: health, readiness and metrics while it samples, then SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.cli import tsloop_executable
from tests.support.http_server import free_port
from tests.support.testvm import DatabaseAccess

START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0


def wait_for_status(url: str, status: int, timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    last: httpx.Response | None = None
    while time.monotonic() < deadline:
        try:
            last = httpx.get(url, timeout=5)
            if last.status_code == status:
                return last
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} did not return {status} in {timeout} s, last: {last}")


def test_serve_reports_health_and_stops_on_sigterm(
    migrated: DatabaseAccess, tmp_path: Path
) -> None:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TSLOOP_")}
    environment.update(migrated.environment())
    process = subprocess.Popen(
        [tsloop_executable(), "serve", "--port", str(port), "--interval", "0.5", "--series", "3"],
        cwd=tmp_path,
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        health = wait_for_status(f"{base_url}/healthz", 200, START_TIMEOUT)
        ready = wait_for_status(f"{base_url}/readyz", 200, START_TIMEOUT)
        time.sleep(1.5)
        metrics = httpx.get(f"{base_url}/metrics", timeout=5).text
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=STOP_TIMEOUT)

    ticks = re.search(r'^tsloop_ticks_total\{outcome="ok"\} (\d+)', metrics, re.MULTILINE)
    assert health.json()["alive"] is True
    assert ready.json()["ready"] is True
    assert ticks is not None, metrics[:2000]
    assert int(ticks.group(1)) >= 2
    assert process.returncode == 0, stderr[-2000:]
    assert re.search(r"ticks=\d+ rows=\d+", stdout)
    assert "stopped on SIGTERM" in stderr
