"""SQLAlchemy Core schema of the `readings` hypertable."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Double, MetaData, Table, Text, UniqueConstraint

metadata = MetaData()

# TimescaleDB creates the time index (readings_time_idx) when the table becomes a
# hypertable, so none is declared here. The unique constraint includes `time`,
# which TimescaleDB requires of every unique index on a hypertable.
readings = Table(
    "readings",
    metadata,
    Column("time", DateTime(timezone=True), nullable=False),
    Column("source", Text, nullable=False),
    Column("metric", Text, nullable=False),
    Column("value", Double, nullable=False),
    UniqueConstraint("source", "metric", "time", name="readings_source_metric_time_key"),
)
