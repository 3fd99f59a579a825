"""Command line state shared by the commands: env file, global flags, settings loading."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import click

from tsloop import bootstrap
from tsloop.adapters.settings import Settings, SettingsError

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]
DEFAULT_ENV_FILE = Path(".env")


class SettingsProblem(click.ClickException):
    """Invalid or missing setting: printed without a traceback, exit status 2."""

    exit_code = 2


@dataclass
class CliState:
    env_file: Path
    overrides: dict[str, Any] = field(default_factory=dict)

    def load(self, **flags: Any) -> Settings:
        """Load settings with the global and command flags, then configure logging."""
        overrides = {**self.overrides, **flags}
        try:
            settings = bootstrap.load_settings(self.env_file, overrides)
        except SettingsError as exc:
            raise SettingsProblem(str(exc)) from None
        configure_logging(settings.log_level)
        return settings


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Stderr handler installed by tsloop, a subclass so it can be found and replaced."""


def configure_logging(level: str) -> None:
    """Log to stderr with time, level and logger name, replacing an earlier tsloop handler."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if isinstance(handler, _StderrHandler):
            root.removeHandler(handler)
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
