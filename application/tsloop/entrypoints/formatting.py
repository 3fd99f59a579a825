"""Render query results and settings as text tables."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from tsloop.adapters.settings_loader import SettingOrigin
from tsloop.usecases.dto import BucketDTO, LatestReadingDTO, ReadingDTO, RunSummary


def format_settings(rows: Sequence[SettingOrigin]) -> str:
    return tabulate(
        [(row.name, row.value, row.origin) for row in rows],
        headers=["setting", "value", "origin"],
    )


def format_latest(rows: Sequence[LatestReadingDTO]) -> str:
    return tabulate(
        [(row.source, row.metric, row.time.isoformat(), row.value) for row in rows],
        headers=["source", "metric", "time", "value"],
        floatfmt=".6g",
    )


def format_range(rows: Sequence[ReadingDTO]) -> str:
    return tabulate(
        [(row.time.isoformat(), row.source, row.metric, row.value) for row in rows],
        headers=["time", "source", "metric", "value"],
        floatfmt=".6g",
    )


def format_buckets(rows: Sequence[BucketDTO]) -> str:
    return tabulate(
        [
            (row.bucket.isoformat(), row.source, row.metric, row.avg, row.min, row.max, row.count)
            for row in rows
        ],
        headers=["bucket", "source", "metric", "avg", "min", "max", "count"],
        floatfmt=".6g",
    )


def format_summary(summary: RunSummary) -> str:
    line = (
        f"ticks={summary.ticks} rows={summary.rows_written} late={summary.late} "
        f"missed={summary.missed} failed={summary.failed}"
    )
    if summary.writes is not None:
        line += " " + summary.writes.describe()
    return line
