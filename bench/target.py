"""Database that the benchmark writes to: from tsloop settings, or a provisioned test VM."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from tsloop.adapters.migrations import upgrade_to_head
from tsloop.adapters.settings import Settings

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS_DIR = REPO_ROOT / "database"


@dataclass(frozen=True)
class DatabaseTarget:
    """Runtime URL (SELECT and INSERT, as `tsloop run` uses) and owner URL (TRUNCATE, migrate)."""

    runtime_url: URL
    owner_url: URL
    chunk_interval: str = "1 day"

    def describe(self) -> str:
        return self.runtime_url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Upgrade the schema to head, leaving a schema already at head unchanged."""
        upgrade_to_head(MIGRATIONS_DIR, self.owner_url, self.chunk_interval)


def target_from_settings(settings: Settings) -> DatabaseTarget:
    """Build the target from TSLOOP_* settings, which need both role passwords."""
    return DatabaseTarget(
        runtime_url=settings.runtime_url(),
        owner_url=settings.owner_url(),
        chunk_interval=settings.chunk_interval,
    )


def target_from_vm(name: str) -> DatabaseTarget:
    """Boot the test VM `name` if it is down, run site.yml on it and return its database.

    site.yml runs every time with new generated role passwords, because the
    passwords of an earlier run are not stored. On a provisioned VM that takes
    well under a minute and only changes the passwords.
    """
    # The test support helpers are imported here so that a run against TSLOOP_*
    # settings works without the tests folder and PyYAML.
    from tests.support.testvm import boot, database_access, run_site, write_playbook_vars

    ansible_playbook = shutil.which(
        "ansible-playbook", path=str(Path(sys.executable).parent)
    ) or shutil.which("ansible-playbook")
    if ansible_playbook is None:
        raise RuntimeError("ansible-playbook is not installed: run pip install -e '.[dev]'")
    logger.info("booting test VM %s", name)
    vm = boot(name, fresh=False)
    access = database_access(vm)
    with tempfile.TemporaryDirectory(prefix="tsloop-bench-") as directory:
        variables = write_playbook_vars(vm, access, Path(directory))
        logger.info("running site.yml on %s", vm.address)
        run = run_site(vm, variables, Path(ansible_playbook))
    if run.returncode != 0:
        raise RuntimeError(f"site.yml failed on test VM {name}:\n{run.output[-4000:]}")
    return DatabaseTarget(
        runtime_url=URL.create(
            "postgresql+psycopg2",
            access.runtime,
            access.runtime_password,
            access.host,
            access.port,
            access.name,
        ),
        owner_url=URL.create(
            "postgresql+psycopg2",
            access.owner,
            access.owner_password,
            access.host,
            access.port,
            access.name,
        ),
    )
