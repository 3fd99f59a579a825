"""Session fixtures: one test VM provisioned by site.yml, shared by every test that needs it."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.testvm import (
    DatabaseAccess,
    PlaybookRun,
    TestVm,
    boot,
    database_access,
    run_site,
    testvm,
    write_playbook_vars,
)

SHARED_VM = os.environ.get("TSLOOP_TEST_VM", "tsloop-test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        layer = Path(str(item.fspath)).parts[-2]
        if layer in ("unit", "integration", "e2e"):
            item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture(scope="session")
def ansible_playbook() -> Path:
    found = shutil.which("ansible-playbook", path=str(Path(sys.executable).parent)) or shutil.which(
        "ansible-playbook"
    )
    if found is None:
        pytest.fail("ansible-playbook is not installed; run: pip install -e '.[dev]'")
    return Path(found)


@pytest.fixture(scope="session")
def shared_vm() -> Iterator[TestVm]:
    """Boot a fresh VM for the session and destroy it at the end.

    Set TSLOOP_TEST_KEEP_VM=1 to keep it afterwards for debugging.
    """
    if os.geteuid() != 0:
        pytest.fail("integration and end-to-end tests boot a VM and must run as root")
    vm = boot(SHARED_VM, fresh=True)
    yield vm
    if os.environ.get("TSLOOP_TEST_KEEP_VM") != "1":
        testvm(SHARED_VM, "down")


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tsloop")


@pytest.fixture(scope="session")
def provisioned(
    shared_vm: TestVm, session_dir: Path, ansible_playbook: Path
) -> tuple[DatabaseAccess, PlaybookRun]:
    """Run site.yml once on the fresh shared VM; tests read the first run's outcome from here."""
    access = database_access(shared_vm)
    variables = write_playbook_vars(shared_vm, access, session_dir)
    first = run_site(shared_vm, variables, ansible_playbook)
    print(f"\nfresh site.yml run: {first.seconds:.1f} s, changed={first.changed}", file=sys.stderr)
    if first.returncode != 0:
        pytest.fail(f"site.yml failed on the fresh VM:\n{first.output[-4000:]}")
    return access, first


@pytest.fixture(scope="session")
def database(provisioned: tuple[DatabaseAccess, PlaybookRun]) -> DatabaseAccess:
    return provisioned[0]


@pytest.fixture(scope="session")
def playbook_vars(session_dir: Path) -> Path:
    return session_dir / "site-vars.yml"
