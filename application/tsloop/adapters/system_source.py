"""System source: CPU, memory, load, disk and network counters of this host via psutil."""

from __future__ import annotations

import logging
import socket
from datetime import datetime

import psutil

from tsloop.domain import Reading
from tsloop.usecases.errors import SourceError

logger = logging.getLogger(__name__)


class SystemSource:
    """Host metrics sampler. The source name is the host name unless one is given.

    Disk and network values are cumulative byte counters since boot, so rates
    come from differences between readings.
    """

    def __init__(self, hostname: str | None = None) -> None:
        self._hostname = hostname or socket.gethostname()
        # The first cpu_percent(interval=None) call only starts the measurement
        # window and returns 0.0, so it is made here rather than in the first tick.
        psutil.cpu_percent(interval=None)

    @property
    def hostname(self) -> str:
        return self._hostname

    def sample(self, at: datetime) -> list[Reading]:
        try:
            values = self._read_metrics()
        except (psutil.Error, OSError) as exc:
            raise SourceError(f"reading system metrics failed: {exc}") from exc
        return [Reading(at, self._hostname, metric, value) for metric, value in values.items()]

    def _read_metrics(self) -> dict[str, float]:
        memory = psutil.virtual_memory()
        load_1, load_5, load_15 = psutil.getloadavg()
        values: dict[str, float] = {
            "cpu_percent": psutil.cpu_percent(interval=None),
            "memory_used_bytes": float(memory.used),
            "memory_available_bytes": float(memory.available),
            "load_1": load_1,
            "load_5": load_5,
            "load_15": load_15,
        }
        disk = psutil.disk_io_counters()
        if disk is not None:
            values["disk_read_bytes"] = float(disk.read_bytes)
            values["disk_write_bytes"] = float(disk.write_bytes)
        else:
            logger.debug("no disk counters on this host")
        network = psutil.net_io_counters()
        values["net_sent_bytes"] = float(network.bytes_sent)
        values["net_recv_bytes"] = float(network.bytes_recv)
        return values
