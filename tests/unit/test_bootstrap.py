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
        "database=postgresql+psycopg2://tsloop_app:***@db:5432/tsloop"
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
