"""Composition root with fakes in place of the database and the system clock."""

from __future__ import annotations

import pytest
from fakes import FakeClock, FakeCommands, FakeSource

from tsloop import bootstrap
from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.adapters.system_source import SystemSource

pytestmark = pytest.mark.unit


@pytest.fixture
def settings(tmp_path):
    return bootstrap.load_settings(
        tmp_path / ".env", {"db_password": "topsecret", "db_host": "db", "ticks": 5}
    )


def test_describe_start_masks_password(settings):
    line = bootstrap.describe_start(settings)

    assert line == (
        "starting: source=synthetic series=10 seed=0 interval=1.0s ticks=5 "
        "database=postgresql+psycopg2://tsloop_app:***@db:5432/tsloop "
        "batch_size=1000 buffer_size=10000 spool_dir=spool"
    )


def test_build_source_follows_setting(tmp_path):
    synthetic = bootstrap.load_settings(tmp_path / ".env", {"series": 3})
    system = bootstrap.load_settings(tmp_path / ".env", {"source": "system"})

    assert isinstance(bootstrap.build_source(synthetic), SyntheticSource)
    assert len(bootstrap.build_source(synthetic).sample(FakeClock().now())) == 3
    assert isinstance(bootstrap.build_source(system), SystemSource)


def test_build_loop_config(settings):
    config = bootstrap.build_loop_config(settings)

    assert (config.interval, config.ticks, config.duration) == (1.0, 5, None)


def test_run_loop_with_fakes(settings):
    clock = FakeClock()
    commands = FakeCommands(clock)

    summary = bootstrap.run_loop(settings, source=FakeSource(), commands=commands, clock=clock)

    assert summary.ticks == 5
    assert summary.rows_written == 15
    assert len(commands.rows) == 15


def test_build_engine_uses_runtime_role(settings):
    engine = bootstrap.build_engine(settings)

    assert engine.url.username == "tsloop_app"
    assert engine.url.host == "db"
    engine.dispose()


def test_service_starts_without_database(tmp_path, caplog):
    # Port 1 on loopback refuses connections, like a server that is down.
    settings = bootstrap.load_settings(
        tmp_path / ".env",
        {
            "db_password": "secret",
            "db_port": 1,
            "ticks": 3,
            "interval": 0.05,
            "series": 2,
            "spool_dir": tmp_path / "spool",
            "shutdown_timeout": 1.0,
        },
    )

    summary = bootstrap.run_service(settings)

    assert summary.ticks == 3
    assert summary.writes is not None
    assert summary.writes.spooled == 6
    assert summary.writes.written == 0
    assert "database not available at start-up" in caplog.text
    assert list((tmp_path / "spool").glob("segment-*.spool"))
