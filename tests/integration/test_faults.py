"""Write path under faults: PostgreSQL stopped or restarted, network cut, kill and stop signals.

Each test runs `tsloop run` as a subprocess against the TimescaleDB in the test
VM. The buffer has room for two ticks, so every outage overflows into the spool. The
rows in the database must match the figures that the runs report exactly.
Every wait is bounded, and PostgreSQL and the network link are restored in a
`finally` block even when a check fails.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.support.cli import tsloop_executable
from tests.support.testvm import DatabaseAccess, TestVm

SERIES = 3
INTERVAL = 0.2
RUN_ENV = {
    "TSLOOP_INTERVAL": str(INTERVAL),
    "TSLOOP_SERIES": str(SERIES),
    "TSLOOP_BATCH_SIZE": str(SERIES),
    "TSLOOP_FLUSH_INTERVAL": "0.2",
    # Two ticks fit in memory, so every outage overflows into the spool.
    "TSLOOP_BUFFER_SIZE": str(2 * SERIES),
    "TSLOOP_RETRY_INITIAL_DELAY": "0.1",
    "TSLOOP_RETRY_MAX_DELAY": "1.0",
    "TSLOOP_SHUTDOWN_TIMEOUT": "8",
    "TSLOOP_LOG_LEVEL": "INFO",
}
TICK_LINE = re.compile(r"tsloop\.usecases\.sampling: tick (\d+): sampled=")
SUMMARY_FIGURE = re.compile(r"(\w+)=(\d+)")


@dataclass
class TsloopRun:
    """A running `tsloop run` whose output lines are collected by reader threads."""

    process: subprocess.Popen[str]
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def ticks_logged(self) -> int:
        return sum(1 for line in list(self.stderr) if TICK_LINE.search(line))

    def log_text(self) -> str:
        return "".join(self.stderr)

    def wait_for_log(self, pattern: str, timeout: float, start: int = 0) -> int:
        """Return the index of the first stderr line from `start` on that matches `pattern`."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = list(self.stderr)
            for index in range(start, len(lines)):
                if compiled.search(lines[index]):
                    return index
            if self.process.poll() is not None and len(lines) == len(self.stderr):
                break
            time.sleep(0.02)
        raise AssertionError(f"no log line matched {pattern!r} in {timeout} s:\n{self.log_text()}")

    def wait_for_ticks(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.ticks_logged() < count:
            assert time.monotonic() < deadline, f"fewer than {count} ticks:\n{self.log_text()}"
            assert self.process.poll() is None, f"tsloop exited early:\n{self.log_text()}"
            time.sleep(0.02)

    def finish(self, timeout: float) -> dict[str, int]:
        """Wait for the exit, check status 0 and return the figures of the summary line."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            message = f"tsloop did not exit in {timeout} s:\n{self.log_text()}"
            raise AssertionError(message) from None
        for reader in self.readers:
            reader.join(10)
        assert self.process.returncode == 0, self.log_text()
        summary = self.stdout[-1]
        return {name: int(value) for name, value in SUMMARY_FIGURE.findall(summary)}


def start_tsloop(
    database: DatabaseAccess, workdir: Path, *args: str, extra_env: dict[str, str] | None = None
) -> TsloopRun:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TSLOOP_")}
    environment.update(database.environment())
    environment.update(RUN_ENV)
    environment.update(extra_env or {})
    process = subprocess.Popen(
        [tsloop_executable(), "run", *args],
        cwd=workdir,
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    run = TsloopRun(process)
    for stream, lines in ((process.stdout, run.stdout), (process.stderr, run.stderr)):
        reader = threading.Thread(target=_collect, args=(stream, lines), daemon=True)
        reader.start()
        run.readers.append(reader)
    return run


def _collect(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)


def row_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM readings")).scalar_one())


def run_on_vm(vm: TestVm, command: str) -> None:
    result = vm.ssh(command, timeout=60)
    assert result.returncode == 0, f"{command} failed:\n{result.stderr}"


@contextmanager
def postgresql_stopped(vm: TestVm) -> Iterator[None]:
    """Stop PostgreSQL in the VM and start it again on exit, also after a failure."""
    run_on_vm(vm, "sudo systemctl stop postgresql")
    try:
        yield
    finally:
        run_on_vm(vm, "sudo systemctl start postgresql")


@contextmanager
def link_down(vm: TestVm) -> Iterator[None]:
    """Cut the VM's network at the host end of its veth pair and restore it on exit."""
    subprocess.run(["ip", "link", "set", vm.host_veth, "down"], check=True, timeout=10)
    try:
        yield
    finally:
        subprocess.run(["ip", "link", "set", vm.host_veth, "up"], check=True, timeout=10)


def print_figures(scenario: str, figures: dict[str, int], rows: int) -> None:
    names = ("ticks", "sampled", "written", "replayed", "duplicate", "spooled", "dropped")
    shown = " ".join(f"{name}={figures.get(name, 0)}" for name in names)
    print(f"\n{scenario}: {shown} rows={rows}")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def spool_env(tmp_path: Path) -> dict[str, str]:
    return {"TSLOOP_SPOOL_DIR": str(tmp_path / "spool")}


@pytest.fixture
def vm(shared_vm: TestVm) -> Iterator[TestVm]:
    yield shared_vm
    # Leave PostgreSQL and the link up for the next test whatever happened here.
    subprocess.run(["ip", "link", "set", shared_vm.host_veth, "up"], check=False, timeout=10)
    shared_vm.ssh("sudo systemctl start postgresql", timeout=60)


def test_postgresql_stopped_longer_than_buffer(
    vm: TestVm,
    migrated: DatabaseAccess,
    owner_engine: Engine,
    empty_readings: None,
    workdir: Path,
    spool_env: dict[str, str],
) -> None:
    run = start_tsloop(migrated, workdir, "--duration", "14", extra_env=spool_env)
    run.wait_for_ticks(5, timeout=20)

    with postgresql_stopped(vm):
        run.wait_for_log("database unavailable, saved", timeout=10)
        # 20 ticks of 3 readings, ten times the buffer.
        time.sleep(4.0)
    figures = run.finish(timeout=40)

    rows = row_count(owner_engine)
    print_figures("postgresql stopped", figures, rows)
    assert figures["spooled"] > 2 * SERIES
    assert figures["replayed"] > 0
    assert figures["dropped"] == 0
    assert figures["sampled"] == figures["ticks"] * SERIES
    assert rows == figures["sampled"]
    assert figures["written"] == rows


def test_postgresql_restarted(
    vm: TestVm,
    migrated: DatabaseAccess,
    owner_engine: Engine,
    empty_readings: None,
    workdir: Path,
    spool_env: dict[str, str],
) -> None:
    run = start_tsloop(migrated, workdir, "--duration", "10", extra_env=spool_env)
    run.wait_for_ticks(5, timeout=20)

    run_on_vm(vm, "sudo systemctl restart postgresql")
    figures = run.finish(timeout=40)

    rows = row_count(owner_engine)
    print_figures("postgresql restarted", figures, rows)
    assert figures["dropped"] == 0
    assert figures["sampled"] == figures["ticks"] * SERIES
    assert rows == figures["sampled"]
    assert figures["written"] == rows


def test_network_cut_and_restored(
    vm: TestVm,
    migrated: DatabaseAccess,
    owner_engine: Engine,
    empty_readings: None,
    workdir: Path,
    spool_env: dict[str, str],
) -> None:
    run = start_tsloop(migrated, workdir, "--duration", "30", extra_env=spool_env)
    run.wait_for_ticks(5, timeout=20)

    with link_down(vm):
        time.sleep(6.0)
    figures = run.finish(timeout=60)

    rows = row_count(owner_engine)
    print_figures("network cut", figures, rows)
    assert figures["spooled"] > 0
    assert figures["dropped"] == 0
    assert figures["sampled"] == figures["ticks"] * SERIES
    assert rows == figures["sampled"]


def test_sigkill_during_outage_then_replay(
    vm: TestVm,
    migrated: DatabaseAccess,
    owner_engine: Engine,
    empty_readings: None,
    workdir: Path,
    spool_env: dict[str, str],
) -> None:
    # Invariant: once the writer has seen the outage, every accepted reading
    # is fsync'ed to the spool before its tick is logged. The kill lands right
    # after a tick line, while the loop sleeps, so the rows after the replay
    # are exactly SERIES times the ticks that both runs logged.
    first = start_tsloop(migrated, workdir, "--duration", "60", extra_env=spool_env)
    first.wait_for_ticks(5, timeout=20)

    with postgresql_stopped(vm):
        unavailable = first.wait_for_log("database unavailable, saved", timeout=10)
        first.wait_for_log(TICK_LINE.pattern, timeout=10, start=unavailable)
        ticks_before = first.ticks_logged()
        first.wait_for_ticks(ticks_before + 10, timeout=10)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        killed_ticks = first.ticks_logged()
    second = start_tsloop(migrated, workdir, "--ticks", "10", extra_env=spool_env)
    figures = second.finish(timeout=40)

    rows = row_count(owner_engine)
    print(f"\nsigkill: first run logged {killed_ticks} ticks before SIGKILL")
    print_figures("sigkill, second run", figures, rows)
    assert first.process.returncode == -signal.SIGKILL
    assert figures["replayed"] > 0
    assert figures["dropped"] == 0
    assert rows == (killed_ticks + figures["ticks"]) * SERIES


def test_sigterm_during_outage_then_replay(
    vm: TestVm,
    migrated: DatabaseAccess,
    owner_engine: Engine,
    empty_readings: None,
    workdir: Path,
    spool_env: dict[str, str],
) -> None:
    first = start_tsloop(migrated, workdir, "--duration", "60", extra_env=spool_env)
    first.wait_for_ticks(5, timeout=20)

    with postgresql_stopped(vm):
        unavailable = first.wait_for_log("database unavailable, saved", timeout=10)
        first.wait_for_log(TICK_LINE.pattern, timeout=10, start=unavailable)
        first.wait_for_ticks(first.ticks_logged() + 5, timeout=10)
        stopped_at = time.monotonic()
        first.process.send_signal(signal.SIGTERM)
        first_figures = first.finish(timeout=15)
        stop_seconds = time.monotonic() - stopped_at
    second = start_tsloop(migrated, workdir, "--ticks", "10", extra_env=spool_env)
    second_figures = second.finish(timeout=40)

    rows = row_count(owner_engine)
    print(f"\nsigterm: first run exited {stop_seconds:.2f} s after SIGTERM")
    print_figures("sigterm, first run", first_figures, rows)
    print_figures("sigterm, second run", second_figures, rows)
    assert stop_seconds < 10
    assert first_figures["spooled"] > 0
    assert second_figures["replayed"] > 0
    assert first_figures["dropped"] == second_figures["dropped"] == 0
    assert rows == first_figures["sampled"] + second_figures["sampled"]
    assert rows == first_figures["written"] + second_figures["written"]


def test_full_spool_counts_drops(
    vm: TestVm,
    migrated: DatabaseAccess,
    owner_engine: Engine,
    empty_readings: None,
    workdir: Path,
    spool_env: dict[str, str],
) -> None:
    # A spool of 2 KiB takes about a dozen ticks of 3 readings, so a run of 40
    # ticks with the database down must drop readings.
    small_spool = {**spool_env, "TSLOOP_SPOOL_MAX_BYTES": "2048"}

    with postgresql_stopped(vm):
        first = start_tsloop(migrated, workdir, "--ticks", "40", extra_env=small_spool)
        first_figures = first.finish(timeout=40)
    second = start_tsloop(migrated, workdir, "--ticks", "5", extra_env=small_spool)
    second_figures = second.finish(timeout=40)

    rows = row_count(owner_engine)
    print_figures("full spool, first run", first_figures, rows)
    print_figures("full spool, second run", second_figures, rows)
    assert first_figures["dropped"] > 0
    assert first_figures["written"] == 0
    assert second_figures["dropped"] == 0
    assert "spool full or unwritable: dropped" in first.log_text()
    sampled = first_figures["sampled"] + second_figures["sampled"]
    assert rows + first_figures["dropped"] == sampled
