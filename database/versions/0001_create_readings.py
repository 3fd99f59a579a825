"""Create the readings hypertable.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied rather than imported so this revision keeps its meaning when the
# application's settings change.
CHUNK_INTERVAL_PATTERN = r"^\d+ (seconds?|minutes?|hours?|days?|weeks?)$"


def upgrade() -> None:
    chunk_interval = context.config.attributes.get("chunk_interval", "1 day")
    if re.fullmatch(CHUNK_INTERVAL_PATTERN, chunk_interval) is None:
        raise ValueError(
            f"chunk interval {chunk_interval!r} is invalid: use a count and a unit "
            "such as '1 day' or '6 hours'"
        )
    op.create_table(
        "readings",
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.UniqueConstraint("source", "metric", "time", name="readings_source_metric_time_key"),
    )
    # create_hypertable also creates the index readings_time_idx on time DESC.
    op.execute(
        sa.text(
            "SELECT create_hypertable('readings', by_range('time', CAST(:chunk AS INTERVAL)), "
            "if_not_exists => TRUE)"
        ).bindparams(chunk=chunk_interval)
    )


def downgrade() -> None:
    op.drop_table("readings")
