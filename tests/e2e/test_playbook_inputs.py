"""site.yml rejects missing or unsafe inputs before it changes anything."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.testvm import REPO_ROOT, DatabaseAccess, PlaybookRun, TestVm, run_site

VALID = {
    "app_database_owner_password": "owner-password-1",
    "app_database_runtime_password": "runtime-password-1",
    "app_database_client_cidrs": ["192.0.2.0/24"],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"app_database_runtime_password": None},
            "missing required arguments: app_database_runtime_password",
        ),
        ({"app_database_owner_password": ""}, "app_database_owner_password is missing or empty"),
        ({"app_database_client_cidrs": []}, "must be a non-empty list of IPv4 networks"),
        ({"app_database_client_cidrs": ["192.0.2.7/24"]}, 'contains "192.0.2.7/24"'),
        ({"app_database_client_cidrs": ["2001:db8::/32"]}, 'contains "2001:db8::/32"'),
        ({"app_database_client_cidrs": ["0.0.0.0/0"]}, "admits every IPv4 address"),
    ],
    ids=["runtime-password", "owner-password", "no-cidrs", "host-bits", "ipv6", "any-address"],
)
def test_site_rejects_bad_input_before_changes(
    provisioned: tuple[DatabaseAccess, PlaybookRun],
    shared_vm: TestVm,
    ansible_playbook: Path,
    tmp_path: Path,
    change: dict[str, object],
    message: str,
) -> None:
    variables = {**VALID, **change}
    variables = {key: value for key, value in variables.items() if value is not None}
    path = tmp_path / "vars.yml"
    path.write_text(yaml.safe_dump(variables))

    run = run_site(shared_vm, path, ansible_playbook)

    assert run.returncode != 0
    assert message in run.output
    assert run.changed == 0


def test_site_fails_without_database_hosts(ansible_playbook: Path) -> None:
    run = subprocess.run(
        [str(ansible_playbook), "site.yml"],
        cwd=REPO_ROOT,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert run.returncode != 0
    assert "no host in the `database` group" in run.stdout
