"""Drive the test VM tool and the playbook from tests."""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTVM = REPO_ROOT / "tests" / "vm" / "testvm"
RECAP = re.compile(r"ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")


@dataclass(frozen=True)
class TestVm:
    """A booted test VM, as `testvm env` describes it."""

    __test__ = False  # a dataclass, not a pytest test class

    name: str
    address: str
    host_address: str
    outside_address: str
    netns: str
    host_veth: str
    inventory: Path

    def ssh(self, command: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(TESTVM), "--name", self.name, "ssh", "--", command],
            text=True,
            capture_output=True,
            timeout=timeout,
            check=False,
        )


@dataclass(frozen=True)
class PlaybookRun:
    """Outcome of one `ansible-playbook site.yml` run."""

    returncode: int
    changed: int
    failed: int
    seconds: float
    output: str


@dataclass(frozen=True)
class DatabaseAccess:
    """Names and generated passwords of the roles that site.yml creates."""

    host: str
    port: int
    name: str
    owner: str
    owner_password: str
    runtime: str
    runtime_password: str

    def environment(self) -> dict[str, str]:
        """Return the TSLOOP_ variables that point tsloop at this database."""
        return {
            "TSLOOP_DB_HOST": self.host,
            "TSLOOP_DB_PORT": str(self.port),
            "TSLOOP_DB_NAME": self.name,
            "TSLOOP_DB_USER": self.runtime,
            "TSLOOP_DB_PASSWORD": self.runtime_password,
            "TSLOOP_DB_OWNER_USER": self.owner,
            "TSLOOP_DB_OWNER_PASSWORD": self.owner_password,
        }

    def url(self, role: str = "runtime") -> str:
        from sqlalchemy.engine import URL

        user, password = (
            (self.owner, self.owner_password)
            if role == "owner"
            else (self.runtime, self.runtime_password)
        )
        return URL.create(
            "postgresql+psycopg2", user, password, self.host, self.port, self.name
        ).render_as_string(hide_password=False)


def testvm(name: str, *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [str(TESTVM), "--name", name, *args],
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"testvm {' '.join(args)} failed ({result.returncode}):\n{result.stderr}"
        )
    return result.stdout


def boot(name: str, fresh: bool) -> TestVm:
    """Boot the VM `name`; with `fresh`, destroy any earlier one first."""
    if fresh:
        testvm(name, "down")
    testvm(name, "up")
    variables = dict(line.split("=", 1) for line in testvm(name, "env").splitlines() if "=" in line)
    return TestVm(
        name=variables["TESTVM_NAME"],
        address=variables["TESTVM_ADDRESS"],
        host_address=variables["TESTVM_HOST_ADDRESS"],
        outside_address=variables["TESTVM_OUTSIDE_ADDRESS"],
        netns=variables["TESTVM_NETNS"],
        host_veth=variables["TESTVM_HOST_VETH"],
        inventory=Path(variables["TESTVM_INVENTORY"]),
    )


def database_access(vm: TestVm) -> DatabaseAccess:
    return DatabaseAccess(
        host=vm.address,
        port=5432,
        name="tsloop",
        owner="tsloop_owner",
        owner_password=secrets.token_urlsafe(18),
        runtime="tsloop_app",
        runtime_password=secrets.token_urlsafe(18),
    )


def write_playbook_vars(vm: TestVm, access: DatabaseAccess, directory: Path) -> Path:
    path = directory / "site-vars.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "app_database_owner_password": access.owner_password,
                "app_database_runtime_password": access.runtime_password,
                "app_database_client_cidrs": [f"{vm.host_address}/32"],
            }
        )
    )
    path.chmod(0o600)
    return path


def run_site(vm: TestVm, variables: Path, ansible_playbook: Path, *extra: str) -> PlaybookRun:
    """Run site.yml from the repository root against the VM and parse its recap."""
    started = time.monotonic()
    result = subprocess.run(
        [
            str(ansible_playbook),
            "-i",
            "inventory/",
            "-i",
            str(vm.inventory),
            "-e",
            f"@{variables}",
            *extra,
            "site.yml",
        ],
        cwd=REPO_ROOT,
        text=True,
        capture_output=True,
        timeout=1200,
        check=False,
    )
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    # The recap has one line per host (the VM, and localhost for the inventory check).
    recap = RECAP.findall(output)
    changed = sum(int(line[1]) for line in recap) if recap else -1
    failed = sum(int(line[3]) for line in recap) if recap else -1
    return PlaybookRun(result.returncode, changed, failed, seconds, output)
