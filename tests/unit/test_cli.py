"""Command line interface with the database replaced by fakes."""

from __future__ import annotations

import os
import signal

import pytest
from click.testing import CliRunner
from fakes import FakeClock, FakeCommands, FakeSource

from tsloop import bootstrap
from tsloop.entrypoints.cli import cli

pytestmark = pytest.mark.unit


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def fake_service(monkeypatch):
    """Replace run_service with the real loop on fakes and record the settings and stop flag."""
    calls = {}

    def run_service(settings, stop=None, abort=None):
        calls["settings"] = settings
        calls["stop"] = stop
        clock = FakeClock()
        commands = FakeCommands(clock)
        return bootstrap.run_loop(
            settings, source=FakeSource(), commands=commands, clock=clock, stop=stop
        )

    monkeypatch.setattr(bootstrap, "run_service", run_service)
    return calls


def test_config_shows_origins_and_masks(runner, tmp_path, monkeypatch):
    env_file = tmp_path / "app.env"
    env_file.write_text("TSLOOP_DB_PASSWORD=topsecret\nTSLOOP_SERIES=20\n")
    monkeypatch.setenv("TSLOOP_SERIES", "30")
    monkeypatch.setenv("TSLOOP_SEED", "7")

    result = runner.invoke(cli, ["--env-file", str(env_file), "--log-level", "debug", "config"])

    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[3:]}
    assert lines["TSLOOP_DB_PASSWORD"] == ["***", ".env"]
    assert lines["TSLOOP_SERIES"] == ["20", ".env"]
    assert lines["TSLOOP_SEED"] == ["7", "environment"]
    assert lines["TSLOOP_LOG_LEVEL"] == ["DEBUG", "flag"]
    assert lines["TSLOOP_DB_HOST"] == ["127.0.0.1", "default"]
    assert "topsecret" not in result.output


def test_invalid_setting_exits_2_without_traceback(runner, monkeypatch):
    monkeypatch.setenv("TSLOOP_DB_PORT", "99999")

    result = runner.invoke(cli, ["config"])

    assert result.exit_code == 2
    assert "invalid setting TSLOOP_DB_PORT='99999'" in result.output
    assert "Traceback" not in result.output


def test_missing_env_file_is_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["--env-file", str(tmp_path / "absent.env"), "config"])

    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_run_uses_flags_over_env_file(runner, fake_service, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("TSLOOP_INTERVAL=5\nTSLOOP_DURATION=60\nTSLOOP_SERIES=4\n")

    result = runner.invoke(
        cli, ["--env-file", str(env_file), "run", "--ticks", "3", "--interval", "0.5"]
    )

    assert result.exit_code == 0, result.output
    settings = fake_service["settings"]
    assert settings.ticks == 3
    assert settings.duration is None
    assert settings.interval == 0.5
    assert settings.series == 4
    assert "ticks=3 rows=9 late=0 missed=0 failed=0" in result.output


def test_run_rejects_ticks_with_duration(runner, fake_service):
    result = runner.invoke(cli, ["run", "--ticks", "3", "--duration", "10"])

    assert result.exit_code == 2
    assert "TSLOOP_TICKS and TSLOOP_DURATION are mutually exclusive" in result.output
    assert fake_service == {}


def test_run_without_password_names_variable(runner):
    result = runner.invoke(cli, ["run", "--ticks", "1"])

    assert result.exit_code == 2
    assert "TSLOOP_DB_PASSWORD is not set" in result.output
    assert "Traceback" not in result.output


def test_sigterm_finishes_tick_and_exits_0(runner, monkeypatch):
    def run_service(settings, stop=None, abort=None):
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.is_set()
        clock = FakeClock()
        return bootstrap.run_loop(
            settings, source=FakeSource(), commands=FakeCommands(clock), clock=clock, stop=stop
        )

    monkeypatch.setattr(bootstrap, "run_service", run_service)
    previous = signal.getsignal(signal.SIGTERM)

    result = runner.invoke(cli, ["run"])

    assert result.exit_code == 0, result.output
    assert "ticks=0" in result.output
    assert signal.getsignal(signal.SIGTERM) is previous


def test_migrate_without_owner_password_names_variable(runner, tmp_path):
    result = runner.invoke(cli, ["migrate"])

    assert result.exit_code == 2
    assert "TSLOOP_DB_OWNER_PASSWORD is not set" in result.output


def test_query_range_rejects_reversed_window(runner, monkeypatch):
    monkeypatch.setenv("TSLOOP_DB_PASSWORD", "secret")

    result = runner.invoke(
        cli,
        [
            "query",
            "range",
            "--source",
            "s",
            "--metric",
            "m",
            "--start",
            "2026-01-02T00:00:00Z",
            "--end",
            "2026-01-01T00:00:00Z",
        ],
    )

    assert result.exit_code == 2
    assert "must be before end" in result.output


def test_query_bucket_rejects_bad_width(runner):
    result = runner.invoke(cli, ["query", "bucket", "--width", "five minutes"])

    assert result.exit_code == 2
    assert "is not a duration" in result.output


def test_query_latest_prints_table(runner, monkeypatch):
    from datetime import UTC, datetime

    from tsloop.usecases.dto import LatestReadingDTO

    class FakeQueries:
        def latest(self):
            return [
                LatestReadingDTO("synthetic", "series_0000", datetime(2026, 1, 1, tzinfo=UTC), 1.25)
            ]

    monkeypatch.setenv("TSLOOP_DB_PASSWORD", "secret")
    monkeypatch.setattr(bootstrap, "build_queries", lambda engine: FakeQueries())

    result = runner.invoke(cli, ["query", "latest"])

    assert result.exit_code == 0, result.output
    assert "series_0000" in result.output
    assert "2026-01-01T00:00:00+00:00" in result.output
    assert "1.25" in result.output


def test_run_startup_error_exits_1(runner, monkeypatch, caplog):
    from tsloop.usecases.errors import StartupError

    def run_service(settings, stop=None, abort=None):
        raise StartupError("cannot connect to postgresql+psycopg2://tsloop_app:***@db/tsloop")

    monkeypatch.setattr(bootstrap, "run_service", run_service)

    result = runner.invoke(cli, ["run"])

    assert result.exit_code == 1
    assert "cannot run: cannot connect to" in caplog.text
    assert "Traceback" not in result.output


def test_second_signal_sets_abort(runner, monkeypatch, caplog):
    flags = {}

    def run_service(settings, stop=None, abort=None):
        os.kill(os.getpid(), signal.SIGTERM)
        flags["after_first"] = (stop.is_set(), abort.is_set())
        os.kill(os.getpid(), signal.SIGINT)
        flags["after_second"] = (stop.is_set(), abort.is_set())
        clock = FakeClock()
        return bootstrap.run_loop(
            settings, source=FakeSource(), commands=FakeCommands(clock), clock=clock, stop=stop
        )

    monkeypatch.setattr(bootstrap, "run_service", run_service)

    result = runner.invoke(cli, ["run"])

    assert result.exit_code == 0, result.output
    assert flags["after_first"] == (True, False)
    assert flags["after_second"] == (True, True)
    assert "stopped on SIGTERM and SIGINT" in caplog.text


def test_query_range_reports_no_readings(runner, monkeypatch):
    class EmptyQueries:
        def range(self, source, metric, start, end, limit):
            return []

    monkeypatch.setenv("TSLOOP_DB_PASSWORD", "secret")
    monkeypatch.setattr(bootstrap, "build_queries", lambda engine: EmptyQueries())

    result = runner.invoke(cli, ["query", "range", "--source", "s", "--metric", "nope"])

    assert result.exit_code == 0, result.output
    assert "no readings of s/nope in [" in result.output
    assert "tsloop query latest" in result.output
