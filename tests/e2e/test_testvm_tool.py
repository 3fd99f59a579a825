"""tests/vm/testvm's checks that need no VM: root, a missing VM, a bad name."""

from __future__ import annotations

import subprocess

from tests.support.testvm import TESTVM


def run_testvm(*args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", "--reuid", user, "--regid", user, "--clear-groups"] if user else []
    return subprocess.run(
        [*prefix, str(TESTVM), *args], text=True, capture_output=True, timeout=60, check=False
    )


def test_testvm_rejects_non_root_user() -> None:
    result = run_testvm("--name", "never-booted", "status", user="65534")

    assert result.returncode == 1
    assert "testvm must run as root" in result.stderr


def test_testvm_rejects_invalid_name() -> None:
    result = run_testvm("--name", "bad name!", "status")

    assert result.returncode == 1
    assert "invalid VM name 'bad name!'" in result.stderr


def test_testvm_status_of_missing_vm() -> None:
    result = run_testvm("--name", "never-booted", "status")

    assert result.returncode == 3
    assert result.stdout.strip() == "never-booted: down"


def test_testvm_down_of_missing_vm_succeeds() -> None:
    result = run_testvm("--name", "never-booted", "down")

    assert result.returncode == 0, result.stderr
    assert "never-booted is down" in result.stderr
