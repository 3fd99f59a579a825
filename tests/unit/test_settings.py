"""Settings: precedence of flags, .env file, environment and defaults, and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsloop.adapters.settings import Settings, SettingsError
from tsloop.adapters.settings_loader import (
    describe_settings,
    load_settings,
    mask_secret,
    setting_origins,
)

pytestmark = pytest.mark.unit


@pytest.fixture
def env_file(tmp_path):
    return tmp_path / ".env"


def write_env(path, **values):
    path.write_text("".join(f"TSLOOP_{key}={value}\n" for key, value in values.items()))


def test_flag_beats_dotenv(env_file):
    write_env(env_file, INTERVAL=2)

    settings = load_settings(env_file, {"interval": 3.0})

    assert settings.interval == 3.0
    assert setting_origins(env_file, {"interval": 3.0})["interval"] == "flag"


def test_flag_beats_environment(env_file, monkeypatch):
    monkeypatch.setenv("TSLOOP_SERIES", "20")

    settings = load_settings(env_file, {"series": 30})

    assert settings.series == 30
    assert setting_origins(env_file, {"series": 30})["series"] == "flag"


def test_flag_beats_default(env_file):
    settings = load_settings(env_file, {"db_host": "db.example"})

    assert settings.db_host == "db.example"


def test_dotenv_beats_environment(env_file, monkeypatch):
    write_env(env_file, DB_NAME="from_dotenv")
    monkeypatch.setenv("TSLOOP_DB_NAME", "from_environment")

    settings = load_settings(env_file)

    assert settings.db_name == "from_dotenv"
    assert setting_origins(env_file)["db_name"] == ".env"


def test_dotenv_beats_default(env_file):
    write_env(env_file, SOURCE="system")

    settings = load_settings(env_file)

    assert settings.source == "system"
    assert setting_origins(env_file)["source"] == ".env"


def test_environment_beats_default(env_file, monkeypatch):
    monkeypatch.setenv("TSLOOP_SEED", "42")

    settings = load_settings(env_file)

    assert settings.seed == 42
    assert setting_origins(env_file)["seed"] == "environment"


def test_defaults(env_file):
    settings = load_settings(env_file)

    assert settings.db_host == "127.0.0.1"
    assert settings.db_port == 5432
    assert settings.db_name == "tsloop"
    assert settings.db_user == "tsloop_app"
    assert settings.db_owner_user == "tsloop_owner"
    assert settings.interval == 1.0
    assert settings.source == "synthetic"
    assert settings.series == 10
    assert settings.seed == 0
    assert settings.ticks is None
    assert settings.duration is None
    assert settings.log_level == "INFO"
    assert settings.chunk_interval == "1 day"
    assert settings.migrations_dir is None
    assert set(setting_origins(env_file).values()) == {"default"}


def test_missing_env_file_is_skipped(tmp_path):
    settings = load_settings(tmp_path / "absent.env")

    assert settings.interval == 1.0


def test_default_env_file_in_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_env(tmp_path / ".env", INTERVAL=7)

    assert Settings().interval == 7.0


def test_empty_value_is_ignored(env_file, monkeypatch):
    write_env(env_file, TICKS="")
    monkeypatch.setenv("TSLOOP_TICKS", "4")

    assert load_settings(env_file).ticks == 4


def test_flag_none_clears_lower_source(env_file):
    write_env(env_file, DURATION=60)

    settings = load_settings(env_file, {"ticks": 5, "duration": None})

    assert settings.ticks == 5
    assert settings.duration is None


def test_log_level_is_case_insensitive(env_file, monkeypatch):
    monkeypatch.setenv("TSLOOP_LOG_LEVEL", "debug")

    assert load_settings(env_file).log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DB_PORT", "0", "TSLOOP_DB_PORT='0'"),
        ("DB_PORT", "65536", "TSLOOP_DB_PORT='65536'"),
        ("DB_PORT", "abc", "an integer from 1 to 65535"),
        ("INTERVAL", "0", "TSLOOP_INTERVAL='0'"),
        ("INTERVAL", "-1", "seconds, > 0 and <= 86400"),
        ("INTERVAL", "86401", "TSLOOP_INTERVAL='86401'"),
        ("INTERVAL", "nan", "TSLOOP_INTERVAL='nan'"),
        ("SOURCE", "random", "synthetic or system"),
        ("SERIES", "0", "TSLOOP_SERIES='0'"),
        ("TICKS", "0", "TSLOOP_TICKS='0'"),
        ("DURATION", "-5", "TSLOOP_DURATION='-5'"),
        ("LOG_LEVEL", "TRACE", "DEBUG, INFO, WARNING or ERROR"),
        ("CHUNK_INTERVAL", "1 day; DROP TABLE readings", "TSLOOP_CHUNK_INTERVAL="),
        ("CHUNK_INTERVAL", "1 fortnight", "'1 day', '6 hours' or '2 weeks'"),
        ("CHUNK_INTERVAL", "day", "TSLOOP_CHUNK_INTERVAL='day'"),
    ],
)
def test_invalid_value_names_setting(env_file, monkeypatch, name, value, expected):
    monkeypatch.setenv(f"TSLOOP_{name}", value)

    with pytest.raises(SettingsError) as raised:
        load_settings(env_file)

    assert expected in str(raised.value)
    assert f"TSLOOP_{name}" in str(raised.value)


@pytest.mark.parametrize("chunk", ["1 day", "6 hours", "30 minutes", "2 weeks", "90 seconds"])
def test_valid_chunk_intervals(env_file, chunk):
    assert load_settings(env_file, {"chunk_interval": chunk}).chunk_interval == chunk


def test_ticks_and_duration_are_exclusive(env_file, monkeypatch):
    write_env(env_file, TICKS=5)
    monkeypatch.setenv("TSLOOP_DURATION", "10")

    with pytest.raises(SettingsError, match="TSLOOP_TICKS and TSLOOP_DURATION"):
        load_settings(env_file)


def test_invalid_values_are_all_reported(env_file, monkeypatch):
    monkeypatch.setenv("TSLOOP_DB_PORT", "0")
    monkeypatch.setenv("TSLOOP_SERIES", "0")

    with pytest.raises(SettingsError) as raised:
        load_settings(env_file)

    assert len(str(raised.value).splitlines()) == 2


def test_runtime_url_from_parts_escapes_password(env_file):
    settings = load_settings(env_file, {"db_password": "p@ss:w/rd%1", "db_host": "db"})

    url = settings.runtime_url()

    assert url.drivername == "postgresql+psycopg2"
    assert url.username == "tsloop_app"
    assert url.password == "p@ss:w/rd%1"
    assert url.host == "db"
    assert url.port == 5432
    assert url.database == "tsloop"
    assert "p%40ss%3Aw%2Frd%251" in url.render_as_string(hide_password=False)


def test_database_url_overrides_parts(env_file):
    write_env(env_file, DATABASE_URL="postgresql://u:secret@h:6432/d", DB_PASSWORD="other")

    url = load_settings(env_file).runtime_url()

    assert url.drivername == "postgresql+psycopg2"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "u",
        "secret",
        "h",
        6432,
        "d",
    )


def test_owner_url_uses_owner_role(env_file):
    settings = load_settings(env_file, {"db_owner_password": "owner-secret"})

    url = settings.owner_url()

    assert url.username == "tsloop_owner"
    assert url.password == "owner-secret"


def test_missing_password_names_variable(env_file):
    settings = load_settings(env_file)

    with pytest.raises(SettingsError, match="TSLOOP_DB_PASSWORD is not set") as raised:
        settings.runtime_url()
    assert "TSLOOP_DATABASE_URL" in str(raised.value)
    with pytest.raises(SettingsError, match="TSLOOP_DB_OWNER_PASSWORD is not set"):
        settings.owner_url()


def test_non_postgresql_url_rejected(env_file, monkeypatch):
    monkeypatch.setenv("TSLOOP_DATABASE_URL", "mysql://u:topsecret@h/d")

    with pytest.raises(SettingsError) as raised:
        load_settings(env_file)

    assert "TSLOOP_DATABASE_URL" in str(raised.value)
    assert "topsecret" not in str(raised.value)


def test_malformed_url_is_rejected_without_password(env_file, monkeypatch):
    monkeypatch.setenv("TSLOOP_OWNER_DATABASE_URL", "not a url topsecret")

    with pytest.raises(SettingsError) as raised:
        load_settings(env_file)

    assert "TSLOOP_OWNER_DATABASE_URL='***'" in str(raised.value)
    assert "topsecret" not in str(raised.value)


def test_secrets_hidden_in_repr(env_file):
    settings = load_settings(
        env_file,
        {
            "db_password": "topsecret1",
            "db_owner_password": "topsecret2",
            "database_url": "postgresql://u:topsecret3@h/d",
        },
    )

    assert "topsecret" not in repr(settings)
    assert "topsecret" not in str(settings)


def test_describe_settings_masks_secrets(env_file, monkeypatch):
    write_env(env_file, DB_PASSWORD="topsecret1", DATABASE_URL="postgresql://u:topsecret2@h/d")
    monkeypatch.setenv("TSLOOP_DB_OWNER_PASSWORD", "topsecret3")
    settings = load_settings(env_file, {"interval": 5.0})

    rows = {
        row.name: row
        for row in describe_settings(settings, setting_origins(env_file, {"interval": 5.0}))
    }

    assert "topsecret" not in " ".join(f"{row.value} {row.origin}" for row in rows.values())
    assert rows["TSLOOP_DB_PASSWORD"].value == "***"
    assert rows["TSLOOP_DB_PASSWORD"].origin == ".env"
    assert rows["TSLOOP_DATABASE_URL"].value == "postgresql+psycopg2://u:***@h/d"
    assert rows["TSLOOP_DB_OWNER_PASSWORD"].origin == "environment"
    assert rows["TSLOOP_INTERVAL"].value == "5.0"
    assert rows["TSLOOP_INTERVAL"].origin == "flag"
    assert rows["TSLOOP_OWNER_DATABASE_URL"].value == "(unset)"
    assert len(rows) == len(Settings.model_fields)


def test_mask_secret_leaves_plain_values():
    assert mask_secret("db_host", "h") == "h"
    assert mask_secret("db_password", "") == "(empty)"
    assert mask_secret("database_url", "garbage topsecret") == "***"


def test_env_example_lists_every_setting():
    example = Path(__file__).resolve().parents[2] / ".env.example"
    lines = [line for line in example.read_text().splitlines() if line and not line.startswith("#")]

    keys = [line.split("=", 1)[0] for line in lines]
    assert keys == [f"TSLOOP_{field.upper()}" for field in Settings.model_fields]
    assert all(not line.startswith("export ") for line in lines)
    assert all('"' not in line and "'" not in line for line in lines)


def test_env_example_loads_as_defaults():
    example = Path(__file__).resolve().parents[2] / ".env.example"

    assert load_settings(example) == Settings(_env_file=None)
