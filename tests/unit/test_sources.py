"""Synthetic and system reading sources."""

from __future__ import annotations

from collections import namedtuple
from datetime import UTC, datetime

import psutil
import pytest

from tsloop.adapters.synthetic_source import SyntheticSource
from tsloop.adapters.system_source import SystemSource
from tsloop.usecases.errors import SourceError

pytestmark = pytest.mark.unit

TIME = datetime(2026, 1, 1, tzinfo=UTC)


def test_synthetic_source_series_names():
    readings = SyntheticSource(series=3, seed=1).sample(TIME)

    assert [reading.metric for reading in readings] == [
        "series_0000",
        "series_0001",
        "series_0002",
    ]
    assert {reading.source for reading in readings} == {"synthetic"}
    assert {reading.time for reading in readings} == {TIME}


def test_synthetic_source_is_deterministic():
    first = SyntheticSource(series=5, seed=42)
    second = SyntheticSource(series=5, seed=42)

    for _ in range(10):
        assert first.sample(TIME) == second.sample(TIME)


def test_synthetic_seeds_differ():
    first = [reading.value for reading in SyntheticSource(series=5, seed=1).sample(TIME)]
    second = [reading.value for reading in SyntheticSource(series=5, seed=2).sample(TIME)]

    assert first != second


def test_synthetic_source_walks():
    source = SyntheticSource(series=1, seed=0)

    values = [source.sample(TIME)[0].value for _ in range(5)]

    assert len(set(values)) == 5


def test_synthetic_source_rejects_zero_series():
    with pytest.raises(ValueError, match="series 0 is invalid"):
        SyntheticSource(series=0)


@pytest.fixture
def fake_psutil(monkeypatch):
    Memory = namedtuple("Memory", "used available")
    Disk = namedtuple("Disk", "read_bytes write_bytes")
    Network = namedtuple("Network", "bytes_sent bytes_recv")
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval=None: 12.5)
    monkeypatch.setattr(psutil, "virtual_memory", lambda: Memory(100, 200))
    monkeypatch.setattr(psutil, "getloadavg", lambda: (0.5, 0.25, 0.125))
    monkeypatch.setattr(psutil, "disk_io_counters", lambda: Disk(1000, 2000))
    monkeypatch.setattr(psutil, "net_io_counters", lambda: Network(3000, 4000))


def test_system_source_metrics(fake_psutil):
    readings = SystemSource(hostname="web-1").sample(TIME)

    assert {reading.metric: reading.value for reading in readings} == {
        "cpu_percent": 12.5,
        "memory_used_bytes": 100.0,
        "memory_available_bytes": 200.0,
        "load_1": 0.5,
        "load_5": 0.25,
        "load_15": 0.125,
        "disk_read_bytes": 1000.0,
        "disk_write_bytes": 2000.0,
        "net_sent_bytes": 3000.0,
        "net_recv_bytes": 4000.0,
    }
    assert {reading.source for reading in readings} == {"web-1"}


def test_system_source_without_disks(fake_psutil, monkeypatch):
    monkeypatch.setattr(psutil, "disk_io_counters", lambda: None)

    metrics = {reading.metric for reading in SystemSource(hostname="h").sample(TIME)}

    assert "disk_read_bytes" not in metrics
    assert "net_sent_bytes" in metrics


def test_system_source_error_is_source_error(fake_psutil, monkeypatch):
    def broken():
        raise psutil.AccessDenied()

    monkeypatch.setattr(psutil, "virtual_memory", broken)

    with pytest.raises(SourceError, match="reading system metrics failed"):
        SystemSource(hostname="h").sample(TIME)


def test_system_source_on_this_host():
    readings = SystemSource().sample(TIME)

    assert len(readings) >= 8
    assert all(reading.source for reading in readings)
