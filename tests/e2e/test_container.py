"""The webapp image deployed with the README's docker commands against a provisioned VM.

The docker CLI talks to podman's Docker API service, which tests/containers/setup starts,
because these test machines have no Docker engine and no image registry.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest

from tests.support.testvm import REPO_ROOT, DatabaseAccess, TestVm

# The deployment commands exactly as README.md gives them; the test runs these strings.
BUILD_COMMAND = "docker build . -t webapp -f docker-files/webapp-Dockerfile"
RUN_COMMAND = "docker container run -d --name dumpapp --env-file ./.env webapp"
MIGRATE_COMMAND = "docker container run --name dumpapp-migrate --env-file ./.env webapp migrate"

CONTAINER = "dumpapp"
MIGRATE_CONTAINER = "dumpapp-migrate"
IMAGE = "webapp"
SETUP = REPO_ROOT / "tests" / "containers" / "setup"
TEARDOWN = REPO_ROOT / "tests" / "containers" / "teardown"

INTERVAL_S = 0.5
SERIES = 5
RUN_BEFORE_STOP_S = 4.0
ROWS_WAIT_S = 60.0
HEALTH_WAIT_S = 60.0
DOCKER_STOP_GRACE_S = 10.0
TICK_LINE = re.compile(r"INFO tsloop\.usecases\.sampling: tick (\d+): sampled=(\d+) ")


@dataclass(frozen=True)
class Deployment:
    """What the module fixture built and started, for the tests to inspect."""

    docker_env: dict[str, str]
    database: DatabaseAccess
    workdir: Path
    build_output: str


def docker(
    environment: dict[str, str], *args: str, cwd: Path = REPO_ROOT, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args],
        env=environment,
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def run_shell(
    environment: dict[str, str], command: str, cwd: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run `command` through the shell, as a user would type it."""
    return subprocess.run(
        command,
        shell=True,
        env=environment,
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def inspect(environment: dict[str, str], template: str, name: str = CONTAINER) -> str:
    result = docker(environment, "inspect", "-f", template, name)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def scalar(database: DatabaseAccess, query: str) -> object:
    """Run `query` as the owner role and return the first column of its first row, if any."""
    connection = psycopg2.connect(
        host=database.host,
        port=database.port,
        dbname=database.name,
        user=database.owner,
        password=database.owner_password,
        connect_timeout=10,
    )
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(query)
            row = cursor.fetchone() if cursor.description else None
    finally:
        connection.close()
    return row[0] if row else None


def write_env_file(path: Path, values: dict[str, str]) -> None:
    """Write .env.example to `path` with the lines of `values` replaced."""
    lines = (REPO_ROOT / ".env.example").read_text().splitlines()
    missing = set(values)
    output = []
    for line in lines:
        key = line.split("=", 1)[0]
        if not line.startswith("#") and key in values:
            line = f"{key}={values[key]}"
            missing.discard(key)
        output.append(line)
    assert not missing, f".env.example has no line for {sorted(missing)}"
    path.write_text("\n".join(output) + "\n")
    path.chmod(0o600)


def start_container_service() -> tuple[dict[str, str], bool]:
    """Run tests/containers/setup and return the docker CLI environment.

    The flag is True when the setup started podman's service, so the caller stops it again.
    """
    pid_file = Path(os.environ.get("TSLOOP_PODMAN_DIR", "/run/tsloop-podman")) / "podman.pid"
    was_running = pid_file.is_file() and Path(f"/proc/{pid_file.read_text().strip()}").exists()
    result = subprocess.run([str(SETUP)], text=True, capture_output=True, timeout=900, check=False)
    if result.returncode != 0:
        pytest.fail(f"tests/containers/setup failed:\n{result.stderr[-3000:]}")
    environment = dict(os.environ)
    environment.update(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return environment, not was_running


def dangling_images(environment: dict[str, str]) -> set[str]:
    result = docker(environment, "images", "--quiet", "--no-trunc", "--filter", "dangling=true")
    return set(result.stdout.split())


def remove_deployment(environment: dict[str, str], images_before: set[str]) -> None:
    docker(environment, "rm", "--force", CONTAINER, MIGRATE_CONTAINER)
    docker(environment, "image", "rm", "--force", IMAGE)
    # The build stage stays behind as an untagged image.
    left_over = dangling_images(environment) - images_before
    if left_over:
        docker(environment, "image", "rm", "--force", *sorted(left_over))


@pytest.fixture(scope="module")
def container_route(shared_vm: TestVm) -> Iterator[dict[str, str]]:
    """Start podman's service; the test VM forwards its containers' PostgreSQL connections."""
    environment, started_service = start_container_service()
    try:
        yield environment
    finally:
        if started_service:
            subprocess.run([str(TEARDOWN)], timeout=60, check=False)


@pytest.fixture(scope="module")
def deployment(
    database: DatabaseAccess,
    container_route: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Deployment]:
    """Build the image, migrate, and start dumpapp with the README's commands."""
    environment = container_route
    images_before = dangling_images(environment)
    remove_deployment(environment, images_before)
    workdir = tmp_path_factory.mktemp("container")
    write_env_file(
        workdir / ".env",
        {
            "TSLOOP_DB_HOST": database.host,
            "TSLOOP_DB_PORT": str(database.port),
            "TSLOOP_DB_NAME": database.name,
            "TSLOOP_DB_USER": database.runtime,
            "TSLOOP_DB_PASSWORD": database.runtime_password,
            "TSLOOP_DB_OWNER_USER": database.owner,
            "TSLOOP_DB_OWNER_PASSWORD": database.owner_password,
            "TSLOOP_INTERVAL": str(INTERVAL_S),
            "TSLOOP_SERIES": str(SERIES),
        },
    )
    try:
        started = time.monotonic()
        build = run_shell(environment, BUILD_COMMAND, cwd=REPO_ROOT, timeout=900)
        print(f"\ndocker build: {time.monotonic() - started:.1f} s", file=sys.stderr)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

        # NOTE: podman 4.3's Docker API returns exit status 0 for `docker run --rm` whatever
        # the container's status, so the migration runs without --rm and its status is read.
        migrate = run_shell(environment, MIGRATE_COMMAND, cwd=workdir, timeout=300)
        migrate_status = inspect(environment, "{{.State.ExitCode}}", MIGRATE_CONTAINER)
        assert migrate_status == "0", migrate.stdout + migrate.stderr
        docker(environment, "rm", MIGRATE_CONTAINER)
        scalar(database, "TRUNCATE readings")

        run = run_shell(environment, RUN_COMMAND, cwd=workdir, timeout=120)
        assert run.returncode == 0, run.stderr
        yield Deployment(environment, database, workdir, build.stdout + build.stderr)
    finally:
        remove_deployment(environment, images_before)


@pytest.fixture(scope="module")
def running(deployment: Deployment) -> Deployment:
    """Wait until the container's first readings are in the table."""
    deadline = time.monotonic() + ROWS_WAIT_S
    rows = 0
    while time.monotonic() < deadline:
        rows = int(scalar(deployment.database, "SELECT count(*) FROM readings") or 0)
        if rows:
            return deployment
        if inspect(deployment.docker_env, "{{.State.Status}}") != "running":
            break
        time.sleep(0.5)
    logs = docker(deployment.docker_env, "logs", CONTAINER)
    pytest.fail(
        f"no readings arrived within {ROWS_WAIT_S:.0f} s:\n{logs.stdout}{logs.stderr}"[-4000:]
    )


@pytest.fixture(scope="module")
def stopped(running: Deployment) -> tuple[Deployment, float]:
    """Let the loop run a few more ticks, then `docker stop` it and measure the time to exit."""
    time.sleep(RUN_BEFORE_STOP_S)
    # NOTE: podman 4.3's Docker API creates containers with a stop timeout of 0 s where Docker
    # uses 10 s, so a plain `docker stop` sends SIGKILL right after SIGTERM. Passing Docker's
    # default explicitly gives the same grace period that Docker gives.
    started = time.monotonic()
    result = docker(
        running.docker_env, "stop", "--time", str(int(DOCKER_STOP_GRACE_S)), CONTAINER, timeout=60
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    print(f"\ndocker stop -> exit: {seconds:.2f} s", file=sys.stderr)
    return running, seconds


def test_build_uses_local_base_image(deployment: Deployment) -> None:
    size = inspect(deployment.docker_env, "{{.Size}}", IMAGE)
    print(f"\nwebapp image size: {int(size) / 1e6:.1f} MB ({size} bytes)", file=sys.stderr)

    assert "Trying to pull" not in deployment.build_output
    assert "Successfully tagged" in deployment.build_output


def test_readme_gives_deployment_commands() -> None:
    readme = (REPO_ROOT / "README.md").read_text()

    assert BUILD_COMMAND in readme
    assert RUN_COMMAND in readme


def test_image_layers_hold_no_secret(deployment: Deployment) -> None:
    history = docker(deployment.docker_env, "history", "--no-trunc", IMAGE)
    image = docker(deployment.docker_env, "image", "inspect", IMAGE)
    database = deployment.database

    assert history.returncode == 0, history.stderr
    assert image.returncode == 0, image.stderr
    for text in (history.stdout, image.stdout):
        assert "PASSWORD" not in text
        assert database.runtime_password not in text
        assert database.owner_password not in text


def test_container_runs_as_non_root(running: Deployment) -> None:
    uid = docker(running.docker_env, "exec", CONTAINER, "id", "-u")

    assert uid.returncode == 0, uid.stderr
    assert uid.stdout.strip() != "0"
    assert inspect(running.docker_env, "{{.Config.User}}") == "10001:10001"


def test_container_becomes_healthy(running: Deployment) -> None:
    # NOTE: podman 4 schedules health checks with systemd timers, which a host without systemd
    # lacks. So the test runs the image's check itself, and docker inspect reports the outcome.
    environment = running.docker_env
    deadline = time.monotonic() + HEALTH_WAIT_S
    status = ""
    check = None
    while time.monotonic() < deadline:
        check = subprocess.run(
            ["podman", "healthcheck", "run", CONTAINER],
            env=environment,
            text=True,
            capture_output=True,
            timeout=30,
            check=False,
        )
        status = inspect(environment, "{{.State.Health.Status}}")
        if status == "healthy":
            break
        time.sleep(1)
    log = inspect(environment, "{{range .State.Health.Log}}{{.Output}}{{end}}")

    assert status == "healthy", (
        f"{check.stdout if check else ''}{check.stderr if check else ''}{log}"
    )
    assert "healthy: http://127.0.0.1:8000/healthz answered 200" in log


def fetch_inside(running: Deployment, path: str) -> str:
    """GET a path of the container's own HTTP server from inside the container."""
    script = (
        "import sys, urllib.request; "
        f"sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:8000{path}', timeout=10)"
        ".read().decode())"
    )
    result = docker(running.docker_env, "exec", CONTAINER, "python", "-c", script)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_container_serves_metrics(running: Deployment) -> None:
    metrics = fetch_inside(running, "/metrics")

    assert "tsloop_readings_sampled_total" in metrics
    assert "tsloop_tick_lateness_seconds_bucket" in metrics


def test_container_serves_latest_readings(running: Deployment) -> None:
    latest = json.loads(fetch_inside(running, "/api/latest"))

    assert isinstance(latest, dict | list)
    assert json.dumps(latest).count('"synthetic"') >= SERIES


def test_health_fails_on_stale_heartbeat(running: Deployment) -> None:
    result = docker(running.docker_env, "exec", CONTAINER, "tsloop", "health", "--max-age", "0.001")

    assert result.returncode == 1
    assert result.stdout.startswith("unhealthy: no tick stored for ")


def test_stop_exits_zero_within_grace(stopped: tuple[Deployment, float]) -> None:
    deployment, seconds = stopped

    assert inspect(deployment.docker_env, "{{.State.Status}}") == "exited"
    assert inspect(deployment.docker_env, "{{.State.ExitCode}}") == "0"
    assert seconds < DOCKER_STOP_GRACE_S


def test_every_logged_tick_is_stored(stopped: tuple[Deployment, float]) -> None:
    deployment, _ = stopped
    logs = docker(deployment.docker_env, "logs", CONTAINER)
    output = logs.stderr + logs.stdout
    ticks = [(int(tick), int(sampled)) for tick, sampled in TICK_LINE.findall(output)]

    assert logs.returncode == 0, logs.stderr
    assert len(ticks) >= 2, logs.stderr
    assert all(sampled == SERIES for _, sampled in ticks), ticks
    assert f"sampled={len(ticks) * SERIES} written={len(ticks) * SERIES} " in output
    assert scalar(deployment.database, "SELECT count(*) FROM readings") == len(ticks) * SERIES
    assert scalar(deployment.database, "SELECT count(DISTINCT time) FROM readings") == len(ticks)
    assert "stopped on SIGTERM after the current tick" in logs.stderr


def test_logs_show_settings_without_password(stopped: tuple[Deployment, float]) -> None:
    deployment, _ = stopped
    database = deployment.database
    logs = docker(deployment.docker_env, "logs", CONTAINER)
    text = logs.stdout + logs.stderr
    expected_start = (
        f"starting: source=synthetic series={SERIES} seed=0 interval={INTERVAL_S}s "
        f"database=postgresql+psycopg2://{database.runtime}:***@{database.host}:{database.port}/{database.name}"
    )

    assert expected_start in text
    assert database.runtime_password not in text
    assert database.owner_password not in text
