"""Application settings from flags, a .env file, the environment and defaults."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from tsloop.adapters.engine import MAX_BATCH_ROWS

ENV_PREFIX = "TSLOOP_"
DRIVER = "postgresql+psycopg2"
DEFAULT_HEARTBEAT_FILE = Path(tempfile.gettempdir()) / "tsloop-heartbeat"
CHUNK_INTERVAL_PATTERN = r"^\d+ (seconds?|minutes?|hours?|days?|weeks?)$"
SECRET_FIELDS = frozenset(
    {"database_url", "db_password", "owner_database_url", "db_owner_password"}
)


class SettingsError(Exception):
    """Invalid or missing setting. The message names the setting and how to fix it."""


def env_name(field: str) -> str:
    """Return the environment variable that sets `field`, e.g. TSLOOP_DB_PORT."""
    return f"{ENV_PREFIX}{field.upper()}"


class Settings(BaseSettings):
    """Effective settings. Precedence, highest first: flags, .env file, environment, defaults."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
    )

    database_url: SecretStr | None = Field(
        None, description="a postgresql://USER:PASSWORD@HOST:PORT/NAME URL, or unset"
    )
    db_host: str = Field("127.0.0.1", min_length=1, description="a host name or address")
    db_port: int = Field(5432, ge=1, le=65535, description="an integer from 1 to 65535")
    db_name: str = Field("tsloop", min_length=1, description="a database name")
    db_user: str = Field("tsloop_app", min_length=1, description="a role name")
    db_password: SecretStr | None = Field(None, description="any text, or unset")
    owner_database_url: SecretStr | None = Field(
        None, description="a postgresql://USER:PASSWORD@HOST:PORT/NAME URL, or unset"
    )
    db_owner_user: str = Field("tsloop_owner", min_length=1, description="a role name")
    db_owner_password: SecretStr | None = Field(None, description="any text, or unset")
    interval: float = Field(
        1.0, gt=0, le=86400, allow_inf_nan=False, description="seconds, > 0 and <= 86400"
    )
    source: Literal["synthetic", "system"] = Field("synthetic", description="synthetic or system")
    series: int = Field(
        10, ge=1, le=MAX_BATCH_ROWS, description=f"an integer from 1 to {MAX_BATCH_ROWS}"
    )
    seed: int = Field(0, description="an integer")
    ticks: int | None = Field(None, ge=1, description="an integer >= 1, or unset")
    duration: float | None = Field(
        None, gt=0, allow_inf_nan=False, description="seconds > 0, or unset"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="DEBUG, INFO, WARNING or ERROR"
    )
    chunk_interval: str = Field(
        "1 day",
        pattern=CHUNK_INTERVAL_PATTERN,
        description="a count and a unit such as '1 day', '6 hours' or '2 weeks'",
    )
    migrations_dir: Path | None = Field(
        None, description="folder that contains alembic.ini, or unset to search for it"
    )
    batch_size: int = Field(
        1000, ge=1, le=MAX_BATCH_ROWS, description=f"an integer from 1 to {MAX_BATCH_ROWS}"
    )
    flush_interval: float = Field(
        1.0, gt=0, le=3600, allow_inf_nan=False, description="seconds, > 0 and <= 3600"
    )
    buffer_size: int = Field(10_000, ge=0, description="an integer >= 0, in readings")
    spool_dir: Path = Field(Path("spool"), description="a folder path")
    spool_max_bytes: int = Field(
        256 * 1024 * 1024, ge=1024, description="an integer >= 1024, in bytes"
    )
    shutdown_timeout: float = Field(
        8.0, ge=0, le=3600, allow_inf_nan=False, description="seconds, >= 0 and <= 3600"
    )
    retry_initial_delay: float = Field(
        0.5, gt=0, le=3600, allow_inf_nan=False, description="seconds, > 0 and <= 3600"
    )
    retry_max_delay: float = Field(
        30.0, gt=0, le=86400, allow_inf_nan=False, description="seconds, > 0 and <= 86400"
    )
    heartbeat_file: Path = Field(
        DEFAULT_HEARTBEAT_FILE,
        description="file that tsloop run rewrites after each stored tick and tsloop health reads",
    )
    http_host: str = Field(
        "127.0.0.1", min_length=1, description="an address to listen on, e.g. 0.0.0.0 for all"
    )
    http_port: int = Field(8000, ge=1, le=65535, description="an integer from 1 to 65535")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The .env file wins over the environment, the reverse of the library default,
        # so a deployment's .env file is not overridden by a stray exported variable.
        return init_settings, dotenv_settings, env_settings, file_secret_settings

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url", "owner_database_url")
    @classmethod
    def _check_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_postgresql_url(value.get_secret_value())
        return value

    @model_validator(mode="after")
    def _check_retry_delays(self) -> Settings:
        if self.retry_max_delay < self.retry_initial_delay:
            raise ValueError(
                f"{env_name('retry_max_delay')}={self.retry_max_delay} is below "
                f"{env_name('retry_initial_delay')}={self.retry_initial_delay}: "
                "set the maximum to at least the initial delay"
            )
        return self

    @model_validator(mode="after")
    def _check_stop_condition(self) -> Settings:
        if self.ticks is not None and self.duration is not None:
            raise ValueError(
                f"{env_name('ticks')} and {env_name('duration')} are mutually exclusive: "
                "set at most one"
            )
        return self

    def runtime_url(self) -> URL:
        """Return the URL of the runtime role, or raise SettingsError if no password is set."""
        if self.database_url is not None:
            return parse_postgresql_url(self.database_url.get_secret_value())
        password = _required_secret(self.db_password, "db_password", "database_url")
        return self._build_url(self.db_user, password)

    def owner_url(self) -> URL:
        """Return the URL of the schema owner role used for migrations."""
        if self.owner_database_url is not None:
            return parse_postgresql_url(self.owner_database_url.get_secret_value())
        password = _required_secret(
            self.db_owner_password, "db_owner_password", "owner_database_url"
        )
        return self._build_url(self.db_owner_user, password)

    def _build_url(self, user: str, password: str) -> URL:
        return URL.create(
            DRIVER,
            username=user,
            password=password,
            host=self.db_host,
            port=self.db_port,
            database=self.db_name,
        )


def parse_postgresql_url(text: str) -> URL:
    """Parse a PostgreSQL URL and select the psycopg2 driver.

    Error messages never contain the URL because it may carry a password.
    """
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError(
            "is not a valid database URL: use postgresql://USER:PASSWORD@HOST:PORT/NAME"
        ) from None
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"uses backend {url.get_backend_name()!r}: only postgresql is supported")
    return url.set(drivername=DRIVER)


def _required_secret(secret: SecretStr | None, field: str, url_field: str) -> str:
    if secret is None or not secret.get_secret_value():
        raise SettingsError(
            f"{env_name(field)} is not set: set it in the .env file or the environment, "
            f"or set {env_name(url_field)} to a full URL"
        )
    return secret.get_secret_value()
