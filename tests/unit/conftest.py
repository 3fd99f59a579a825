"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os

import pytest
from fakes import FakeClock, FakeCommands, FakeSource, FakeStop


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def commands(clock: FakeClock) -> FakeCommands:
    return FakeCommands(clock)


@pytest.fixture
def stop() -> FakeStop:
    return FakeStop()


@pytest.fixture(autouse=True)
def _isolated_settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """Remove TSLOOP_* variables and run in an empty folder so no real .env is read."""
    for name in list(os.environ):
        if name.startswith("TSLOOP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
