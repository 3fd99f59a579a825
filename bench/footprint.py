"""Peak memory and CPU time of a child `tsloop run` process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

# Linux reports ru_maxrss in kibibytes.
KIB = 1024
MIB = 1024 * 1024
# Seconds a child may take beyond three times its scheduled ticks before it is killed.
STARTUP_TIMEOUT = 60


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
    """Run `tsloop run` to completion and read its rusage from wait4.

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
            # The child stops itself after `ticks` ticks; the timer kills it if it hangs.
            watchdog = threading.Timer(ticks * interval * 3 + STARTUP_TIMEOUT, process.kill)
            watchdog.start()
            try:
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                watchdog.cancel()
            wall_seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output = log_path.read_text()[-2000:]
            raise RuntimeError(f"tsloop run exited with {process.returncode}:\n{output}")
    return ProcessUsage(
        ticks=ticks,
        peak_rss=usage.ru_maxrss * KIB,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        wall_seconds=wall_seconds,
    )


def measure_footprint(url: URL, series: int, interval: float, ticks: int) -> Footprint:
    if ticks < 2:
        raise ValueError(f"ticks {ticks} is invalid: use at least 2 to separate start-up")
    startup = run_tsloop(url, series, interval, 1)
    run = run_tsloop(url, series, interval, ticks)
    return Footprint(series=series, interval=interval, startup=startup, run=run)
