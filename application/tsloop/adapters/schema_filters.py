"""Autogenerate filters that hide TimescaleDB's own schemas, indexes and chunks."""

from __future__ import annotations

from typing import Any

# Schemas that the TimescaleDB extension owns.
TIMESCALEDB_SCHEMAS = frozenset(
    {
        "_timescaledb_cache",
        "_timescaledb_catalog",
        "_timescaledb_config",
        "_timescaledb_debug",
        "_timescaledb_functions",
        "_timescaledb_internal",
        "timescaledb_experimental",
        "timescaledb_information",
        "toolkit_experimental",
    }
)
# Indexes that create_hypertable adds, left out of the metadata on purpose.
TIMESCALEDB_INDEXES = frozenset({"readings_time_idx"})


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Skip reflecting TimescaleDB's schemas."""
    if type_ == "schema":
        return name not in TIMESCALEDB_SCHEMAS
    return True


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Skip TimescaleDB objects so autogenerate proposes no drop for them."""
    if getattr(obj, "schema", None) in TIMESCALEDB_SCHEMAS:
        return False
    if type_ == "index" and reflected and compare_to is None and name in TIMESCALEDB_INDEXES:
        return False
    # Chunk tables are named _hyper_<hypertable id>_<chunk id>_chunk.
    return not (type_ == "table" and name is not None and name.startswith("_hyper_"))
