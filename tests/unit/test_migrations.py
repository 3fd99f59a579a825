"""Migration folder lookup, Alembic configuration and the offline SQL of revision 0001."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Column, Index, Integer, MetaData, Table
from sqlalchemy.engine import URL

from tsloop.adapters import migrations
from tsloop.adapters.migrations import build_alembic_config, locate_migrations_dir
from tsloop.adapters.schema_filters import include_name, include_object
from tsloop.adapters.settings import SettingsError

pytestmark = pytest.mark.unit

REPO_DATABASE_DIR = Path(__file__).resolve().parents[2] / "database"
URL_WITH_PERCENT = URL.create(
    "postgresql+psycopg2", username="owner", password="p%40ss%", host="db", database="tsloop"
)


def make_project(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "alembic.ini").write_text("[alembic]\n")
    return path


def test_configured_dir_wins(tmp_path):
    configured = make_project(tmp_path / "custom")
    make_project(tmp_path / "cwd" / "database")

    assert locate_migrations_dir(configured, tmp_path / "cwd") == configured


def test_configured_dir_without_ini_fails(tmp_path):
    with pytest.raises(SettingsError, match=r"TSLOOP_MIGRATIONS_DIR=.*has no alembic\.ini"):
        locate_migrations_dir(tmp_path, tmp_path)


def test_database_dir_under_cwd(tmp_path):
    expected = make_project(tmp_path / "database")

    assert locate_migrations_dir(None, tmp_path) == expected


def test_falls_back_to_checkout(tmp_path):
    assert locate_migrations_dir(None, tmp_path) == REPO_DATABASE_DIR


def test_not_found_names_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "CHECKOUT_ROOT", tmp_path / "checkout")
    monkeypatch.setattr(migrations, "IMAGE_MIGRATIONS_DIR", tmp_path / "image")

    with pytest.raises(SettingsError, match="set TSLOOP_MIGRATIONS_DIR"):
        locate_migrations_dir(None, tmp_path)


def test_config_escapes_percent_and_sets_attributes():
    config = build_alembic_config(REPO_DATABASE_DIR, URL_WITH_PERCENT, "6 hours")

    url = config.get_main_option("sqlalchemy.url")
    assert url == URL_WITH_PERCENT.render_as_string(hide_password=False)
    assert config.attributes["chunk_interval"] == "6 hours"


def test_config_rejects_bad_chunk_interval():
    with pytest.raises(SettingsError, match="TSLOOP_CHUNK_INTERVAL"):
        build_alembic_config(REPO_DATABASE_DIR, URL_WITH_PERCENT, "1 day'; DROP TABLE x; --")


def test_offline_sql_creates_hypertable():
    config = build_alembic_config(REPO_DATABASE_DIR, URL_WITH_PERCENT, "6 hours")
    buffer = io.StringIO()
    config.output_buffer = buffer

    command.upgrade(config, "head", sql=True)

    sql = buffer.getvalue()
    assert "CREATE TABLE readings" in sql
    assert "time TIMESTAMP WITH TIME ZONE NOT NULL" in sql
    assert "value DOUBLE PRECISION NOT NULL" in sql
    assert "CONSTRAINT readings_source_metric_time_key UNIQUE (source, metric, time)" in sql
    assert "by_range('time', CAST('6 hours' AS INTERVAL))" in sql
    assert "CREATE INDEX" not in sql
    assert "GRANT" not in sql.upper()
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql


def test_offline_sql_downgrade_drops_table():
    config = build_alembic_config(REPO_DATABASE_DIR, URL_WITH_PERCENT, "1 day")
    buffer = io.StringIO()
    config.output_buffer = buffer

    command.downgrade(config, "0001:base", sql=True)

    assert "DROP TABLE readings" in buffer.getvalue()


def test_filters_hide_timescaledb_objects():
    metadata = MetaData()
    table = Table("readings", metadata, Column("id", Integer))
    index = Index("readings_time_idx", table.c.id)
    internal = Table("_hyper_1_1_chunk", MetaData(), Column("id", Integer))
    catalog = Table("hypertable", MetaData(), Column("id", Integer), schema="_timescaledb_catalog")

    assert include_object(index, "readings_time_idx", "index", True, None) is False
    assert include_object(internal, "_hyper_1_1_chunk", "table", True, None) is False
    assert include_object(catalog, "hypertable", "table", True, None) is False
    assert include_object(table, "readings", "table", False, table) is True
    assert include_name("_timescaledb_catalog", "schema", {}) is False
    assert include_name("public", "schema", {}) is True
