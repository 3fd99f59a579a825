"""Prometheus telemetry adapter: every port event shows up in its own registry."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import generate_latest

from tsloop.adapters.prometheus_telemetry import MAX_REASONS, OTHER_REASON, PrometheusTelemetry
from tsloop.usecases.dto import TickReport

TICK_TIME = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def report(lateness: float, error: str | None = None) -> TickReport:
    return TickReport(1, TICK_TIME, 10.0, 10.0 + lateness, lateness, 3, error)


def value(telemetry: PrometheusTelemetry, name: str, **labels: str) -> float:
    sample = telemetry.registry.get_sample_value(name, labels)
    assert sample is not None, f"{name} {labels} is missing"
    return sample


def test_ticks_counted_by_outcome_and_lateness() -> None:
    telemetry = PrometheusTelemetry(late_tolerance=0.05, monotonic=lambda: 42.0)

    telemetry.tick_completed(report(0.001))
    telemetry.tick_completed(report(0.2, error="connection lost"))
    telemetry.ticks_missed(3)

    assert value(telemetry, "tsloop_ticks_total", outcome="ok") == 1
    assert value(telemetry, "tsloop_ticks_total", outcome="failed") == 1
    assert value(telemetry, "tsloop_ticks_late_total") == 1
    assert value(telemetry, "tsloop_ticks_missed_total") == 3
    assert value(telemetry, "tsloop_tick_lateness_seconds_count") == 2
    assert value(telemetry, "tsloop_tick_lateness_seconds_bucket", le="0.005") == 1
    assert value(telemetry, "tsloop_last_tick_timestamp_seconds") == TICK_TIME.timestamp()
    assert telemetry.last_tick_monotonic == 42.0


def test_readings_and_write_path_recorded() -> None:
    telemetry = PrometheusTelemetry()

    telemetry.readings_sampled(10)
    telemetry.readings_written(8)
    telemetry.readings_duplicate(2)
    telemetry.readings_rejected(1, "invalid value")
    telemetry.readings_dropped(4, "spool full")
    telemetry.buffer_depth(17)
    telemetry.spool_bytes(2048)
    telemetry.flush_completed(0.03, 8)
    telemetry.database_retry(1)
    telemetry.database_retry(2)

    assert value(telemetry, "tsloop_readings_sampled_total") == 10
    assert value(telemetry, "tsloop_readings_written_total") == 8
    assert value(telemetry, "tsloop_readings_duplicate_total") == 2
    assert value(telemetry, "tsloop_readings_rejected_total", reason="invalid value") == 1
    assert value(telemetry, "tsloop_readings_dropped_total", reason="spool full") == 4
    assert value(telemetry, "tsloop_buffer_depth_readings") == 17
    assert value(telemetry, "tsloop_spool_bytes") == 2048
    assert value(telemetry, "tsloop_flush_duration_seconds_count") == 1
    assert value(telemetry, "tsloop_flush_rows_total") == 8
    assert value(telemetry, "tsloop_database_retries_total") == 2


def test_reason_labels_are_bounded() -> None:
    telemetry = PrometheusTelemetry()

    for index in range(MAX_REASONS + 5):
        telemetry.readings_dropped(1, f"reason {index}")

    assert value(telemetry, "tsloop_readings_dropped_total", reason=OTHER_REASON) == 5


def test_instances_have_separate_registries() -> None:
    first = PrometheusTelemetry()
    second = PrometheusTelemetry()

    first.readings_written(5)

    assert value(first, "tsloop_readings_written_total") == 5
    assert value(second, "tsloop_readings_written_total") == 0
    assert b"tsloop_ticks_missed_total" in generate_latest(second.registry)


def test_last_tick_is_none_before_first_tick() -> None:
    assert PrometheusTelemetry().last_tick_monotonic is None
