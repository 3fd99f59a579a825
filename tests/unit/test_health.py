"""tsloop health: heartbeat age and database check, with the database replaced by stubs."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest
from click.testing import CliRunner

from tsloop import bootstrap
from tsloop.entrypoints.cli import cli
from tsloop.entrypoints.health import default_max_age
from tsloop.usecases.errors import StartupError

pytestmark = pytest.mark.unit


@pytest.fixture
def heartbeat_path(tmp_path, monkeypatch):
    path = tmp_path / "heartbeat"
    monkeypatch.setenv("TSLOOP_HEARTBEAT_FILE", str(path))
    monkeypatch.setenv("TSLOOP_DB_PASSWORD", "topsecret")
    monkeypatch.setenv("TSLOOP_INTERVAL", "1")
    return path


@pytest.fixture
def database_up(monkeypatch):
    calls = []
    monkeypatch.setattr(
        bootstrap, "check_database", lambda settings, timeout: calls.append(timeout)
    )
    return calls


@pytest.fixture
def database_down(monkeypatch):
    def refuse(settings, timeout):
        raise StartupError("cannot connect to postgresql+psycopg2://tsloop_app:***@db:5432/tsloop")

    monkeypatch.setattr(bootstrap, "check_database", refuse)


def write_heartbeat(path, age: float, tick: int = 4) -> None:
    content = {
        "monotonic": time.monotonic() - age,
        "tick": tick,
        "tick_time": "2026-03-01T12:00:00",
    }
    path.write_text(json.dumps(content))


def invoke(*args: str):
    return CliRunner().invoke(cli, ["health", *args])


def test_recent_tick_and_database_are_healthy(heartbeat_path, database_up):
    write_heartbeat(heartbeat_path, age=0.5)

    result = invoke()

    assert result.exit_code == 0, result.output
    assert result.output.startswith("healthy: tick 4 stored 0.5 s ago, database answered in ")
    assert len(result.output.splitlines()) == 1
    assert database_up == [3]


def test_stale_heartbeat_is_unhealthy(heartbeat_path, database_up):
    write_heartbeat(heartbeat_path, age=20)

    result = invoke()

    assert result.exit_code == 1
    assert result.output.startswith("unhealthy: no tick stored for 20.0 s (limit 8.0 s)")


def test_max_age_flag_sets_limit(heartbeat_path, database_up):
    write_heartbeat(heartbeat_path, age=20)

    result = invoke("--max-age", "30")

    assert result.exit_code == 0, result.output


def test_missing_heartbeat_is_unhealthy(heartbeat_path, database_up):
    result = invoke()

    assert result.exit_code == 1
    assert "not found: no tick stored yet" in result.output


def test_heartbeat_from_before_reboot_is_unhealthy(heartbeat_path, database_up):
    write_heartbeat(heartbeat_path, age=-3600)

    result = invoke()

    assert result.exit_code == 1
    assert "from before a reboot" in result.output


def test_unreachable_database_is_unhealthy(heartbeat_path, database_down):
    write_heartbeat(heartbeat_path, age=0.5)

    result = invoke()

    assert result.exit_code == 1
    assert result.output == (
        "unhealthy: cannot connect to postgresql+psycopg2://tsloop_app:***@db:5432/tsloop\n"
    )


def test_both_problems_share_one_line(heartbeat_path, database_down):
    result = invoke()

    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert "no tick stored yet; cannot connect to" in result.output


def test_missing_password_is_unhealthy(heartbeat_path, monkeypatch):
    monkeypatch.delenv("TSLOOP_DB_PASSWORD")
    write_heartbeat(heartbeat_path, age=0.5)

    result = invoke()

    assert result.exit_code == 1
    assert "TSLOOP_DB_PASSWORD is not set" in result.output


def test_invalid_setting_exits_1_not_2(heartbeat_path, monkeypatch, database_up):
    monkeypatch.setenv("TSLOOP_INTERVAL", "soon")

    result = invoke()

    assert result.exit_code == 1
    assert result.output.startswith("unhealthy: invalid setting TSLOOP_INTERVAL='soon'")


def test_default_max_age_grows_with_interval():
    assert default_max_age(1.0) == 8.0
    assert default_max_age(60.0) == 185.0


class HealthHandler(http.server.BaseHTTPRequestHandler):
    """Serve /healthz and /readyz with the status codes set on the server."""

    def do_GET(self):
        status = self.server.statuses.get(self.path, 404)
        body = json.dumps({"status": "ok" if status == 200 else "failed"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def health_server(monkeypatch):
    server = http.server.HTTPServer(("127.0.0.1", 0), HealthHandler)
    server.statuses = {"/healthz": 200, "/readyz": 200}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TSLOOP_HTTP_PORT", str(server.server_address[1]))
    yield server
    server.shutdown()
    server.server_close()


def test_http_health_passes_on_200(health_server):
    result = invoke("--http")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("healthy: http://127.0.0.1:")


def test_http_health_fails_on_503(health_server):
    health_server.statuses["/readyz"] = 503

    result = invoke("--http")

    assert result.exit_code == 1
    assert "readyz answered 503" in result.output
    assert '"status": "failed"' in result.output


def test_http_health_fails_without_server(monkeypatch):
    monkeypatch.setenv("TSLOOP_HTTP_PORT", "9")

    result = invoke("--http")

    assert result.exit_code == 1
    assert "healthz failed" in result.output
