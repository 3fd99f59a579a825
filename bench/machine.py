"""Description of the machine and database server that a run measured."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text


@dataclass(frozen=True)
class Machine:
    cpus: int
    cpu_model: str
    memory_mib: int
    kernel: str
    python: str
    server: str
    load_average: tuple[float, float, float]


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_mib() -> int:
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return 0


def describe_machine(engine: Engine) -> Machine:
    """Read CPU, memory and load from /proc and the server versions from the database."""
    with engine.connect() as connection:
        postgresql: str = connection.execute(text("SHOW server_version")).scalar_one()
        timescaledb = connection.execute(
            text("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")
        ).scalar_one_or_none()
    return Machine(
        cpus=os.cpu_count() or 0,
        cpu_model=_cpu_model(),
        memory_mib=_memory_mib(),
        kernel=platform.release(),
        python=platform.python_version(),
        server=f"PostgreSQL {postgresql}, TimescaleDB {timescaledb or 'absent'}",
        load_average=os.getloadavg(),
    )
