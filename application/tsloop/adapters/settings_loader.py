"""Load settings with readable errors and report where each value came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError
from pydantic_settings import DotEnvSettingsSource, EnvSettingsSource

from tsloop.adapters.settings import (
    SECRET_FIELDS,
    Settings,
    SettingsError,
    env_name,
    parse_postgresql_url,
)

ORIGIN_FLAG = "flag"
ORIGIN_DOTENV = ".env"
ORIGIN_ENVIRONMENT = "environment"
ORIGIN_DEFAULT = "default"


@dataclass(frozen=True)
class SettingOrigin:
    """One effective setting for display: variable name, masked value and origin."""

    name: str
    value: str
    origin: str


def load_settings(env_file: Path, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Build Settings from `overrides` (flags), `env_file`, the environment and defaults.

    A missing `env_file` is skipped. A key in `overrides` wins even when its value
    is None, which lets a flag clear a lower source. Raises SettingsError with one
    line per invalid setting.
    """
    flags = dict(overrides or {})
    try:
        return Settings(_env_file=env_file, **flags)
    except ValidationError as exc:
        raise SettingsError(format_validation_error(exc)) from None


def setting_origins(env_file: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Return, per field, the highest-precedence source that sets it.

    Each source is read on its own, in the same order as Settings uses.
    """
    flags = dict(overrides or {})
    dotenv_values = DotEnvSettingsSource(Settings, env_file=env_file)()
    environment_values = EnvSettingsSource(Settings)()
    origins = {}
    for field in Settings.model_fields:
        if field in flags:
            origins[field] = ORIGIN_FLAG
        elif field in dotenv_values:
            origins[field] = ORIGIN_DOTENV
        elif field in environment_values:
            origins[field] = ORIGIN_ENVIRONMENT
        else:
            origins[field] = ORIGIN_DEFAULT
    return origins


def describe_settings(settings: Settings, origins: Mapping[str, str]) -> list[SettingOrigin]:
    """Return every setting with its value masked where secret and its origin."""
    return [
        SettingOrigin(
            name=env_name(field),
            value=mask_secret(field, getattr(settings, field)),
            origin=origins.get(field, ORIGIN_DEFAULT),
        )
        for field in Settings.model_fields
    ]


def mask_secret(field: str, value: Any) -> str:
    """Return a printable form of a setting value with passwords replaced by ***."""
    if value is None:
        return "(unset)"
    if field not in SECRET_FIELDS:
        return str(value)
    text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
    if field.endswith("_url"):
        try:
            return parse_postgresql_url(text).render_as_string(hide_password=True)
        except ValueError:
            return "***"
    return "***" if text else "(empty)"


def format_validation_error(error: ValidationError) -> str:
    """Return one line per invalid setting naming its variable, value and allowed values."""
    lines = []
    for item in error.errors():
        location = item["loc"]
        if not location:
            lines.append(f"invalid settings: {item['msg'].removeprefix('Value error, ')}")
            continue
        field = str(location[0])
        info = Settings.model_fields.get(field)
        allowed = info.description if info is not None else None
        value = mask_secret(field, item.get("input"))
        message = item["msg"].removeprefix("Value error, ")
        line = f"invalid setting {env_name(field)}={value!r}: {message}"
        lines.append(f"{line} (allowed: {allowed})" if allowed else line)
    return "\n".join(lines)
