"""Peak memory and CPU time of a child `tsloop run` process."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

# /proc/PID/status reports sizes in kibibytes.
KIB = 1024
MIB = 1024 * 1024
# Seconds a child may take beyond three times its scheduled ticks before it is killed.
STARTUP_TIMEOUT = 60
# Seconds between two reads of the child's VmHWM.
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class ProcessUsage:
    """Resource usage of one finished child: peak RSS in bytes, CPU and wall time in seconds."""

    ticks: int
    peak_rss: int
    cpu_seconds: float
    wall_seconds: float


@dataclass(frozen=True)
class Footprint:
    """`tsloop run` over `ticks` ticks next to a one-tick run that measures start-up alone."""

    series: int
    interval: float
    startup: ProcessUsage
    run: ProcessUsage

    @property
    def cpu_seconds_per_tick(self) -> float:
        """CPU seconds per tick beyond start-up: the difference of the two runs per extra tick."""
        extra_ticks = self.run.ticks - self.startup.ticks
        return (self.run.cpu_seconds - self.startup.cpu_seconds) / extra_ticks


def find_tsloop() -> str:
    beside_python = Path(sys.executable).parent / "tsloop"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("tsloop")
    if found is None:
        raise RuntimeError("the tsloop command is not installed: run pip install -e .")
    return found


def run_tsloop(url: URL, series: int, interval: float, ticks: int) -> ProcessUsage:
    """Run `tsloop run` to completion, polling its VmHWM and reading its CPU time from wait4.

    The child runs in an empty folder with only TSLOOP_DATABASE_URL set among
    the TSLOOP_ variables, so no .env file or exported setting changes what it does.
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TSLOOP_")}
    environment["TSLOOP_DATABASE_URL"] = url.render_as_string(hide_password=False)
    command = [
        find_tsloop(),
        "run",
        "--interval",
        str(interval),
        "--ticks",
        str(ticks),
        "--series",
        str(series),
    ]
    with tempfile.TemporaryDirectory(prefix="tsloop-bench-") as directory:
        log_path = Path(directory) / "output.log"
        with log_path.open("w") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=directory, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
            deadline = started + ticks * interval * 3 + STARTUP_TIMEOUT
            status, usage, peak_rss = _wait_polling_peak_rss(process, deadline)
            wall_seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output = log_path.read_text()[-2000:]
            raise RuntimeError(f"tsloop run exited with {process.returncode}:\n{output}")
    return ProcessUsage(
        ticks=ticks,
        peak_rss=peak_rss,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        wall_seconds=wall_seconds,
    )


def _wait_polling_peak_rss(
    process: subprocess.Popen[bytes], deadline: float
) -> tuple[int, resource.struct_rusage, int]:
    """Reap the child and return its wait status, rusage and last VmHWM in bytes.

    ru_maxrss cannot be used, because on exec Linux keeps the peak RSS of the
    process image it replaces, which after vfork is this benchmark's own, far
    larger one. VmHWM in /proc/PID/status belongs to the new image alone. Growth in
    the last POLL_SECONDS before the child exits is missed.
    """
    peak_rss = 0
    while True:
        peak_rss = max(peak_rss, _read_vm_hwm(process.pid))
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            return status, usage, peak_rss
        if time.perf_counter() > deadline:
            # The child stops itself after its ticks; this only ends a hung one.
            process.kill()
        time.sleep(POLL_SECONDS)


def _read_vm_hwm(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * KIB
    # A zombie has no memory lines any more.
    return 0


def measure_footprint(url: URL, series: int, interval: float, ticks: int) -> Footprint:
    if ticks < 2:
        raise ValueError(f"ticks {ticks} is invalid: use at least 2 to separate start-up")
    startup = run_tsloop(url, series, interval, 1)
    run = run_tsloop(url, series, interval, ticks)
    return Footprint(series=series, interval=interval, startup=startup, run=run)
