"""Run the installed `tsloop` console script as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.testvm import DatabaseAccess


def tsloop_executable() -> str:
    found = shutil.which("tsloop", path=str(Path(sys.executable).parent)) or shutil.which("tsloop")
    if found is None:
        raise RuntimeError(
            "the tsloop console script is not installed; run: pip install -e '.[dev]'"
        )
    return found


def run_tsloop(
    database: DatabaseAccess,
    *args: str,
    cwd: Path,
    timeout: float = 120,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `tsloop ARGS` in `cwd` with the database given through TSLOOP_ environment variables."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TSLOOP_")}
    environment.update(database.environment())
    environment.update(extra_env or {})
    return subprocess.run(
        [tsloop_executable(), *args],
        cwd=cwd,
        env=environment,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
