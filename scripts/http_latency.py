"""Measure the latency of one HTTP GET request repeated a bounded number of times.

Usage: .venv/bin/python scripts/http_latency.py URL [--requests N] [--concurrency C]
[--max-seconds S]. Prints the count, errors, throughput and p50/p90/p99/max in
milliseconds. The run stops after N requests or S seconds, whichever comes first,
and only sends to loopback addresses.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

import httpx

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of an ascending list, with `fraction` in (0, 1]."""
    rank = max(math.ceil(fraction * len(sorted_values)), 1)
    return sorted_values[rank - 1]


def run(url: str, requests: int, concurrency: int, max_seconds: float) -> int:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    response = client.get(url)
                    elapsed = time.perf_counter() - started
                    failure = None if response.status_code == 200 else str(response.status_code)
                except httpx.HTTPError as exc:
                    elapsed = time.perf_counter() - started
                    failure = type(exc).__name__
                with lock:
                    if failure is None:
                        latencies.append(elapsed * 1000)
                    else:
                        errors.append(failure)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    if not latencies:
        print(f"no successful requests, errors: {errors[:5]}", file=sys.stderr)
        return 1
    latencies.sort()
    print(
        f"requests={len(latencies) + len(errors)} errors={len(errors)} concurrency={concurrency} "
        f"seconds={wall:.1f} rate={len(latencies) / wall:.1f}/s "
        f"p50={percentile(latencies, 0.50):.1f}ms p90={percentile(latencies, 0.90):.1f}ms "
        f"p99={percentile(latencies, 0.99):.1f}ms max={latencies[-1]:.1f}ms "
        f"mean={statistics.fmean(latencies):.1f}ms"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=200, help="Requests to send (max 10000).")
    parser.add_argument("--concurrency", type=int, default=1, help="Parallel clients (max 16).")
    parser.add_argument("--max-seconds", type=float, default=120, help="Time limit (max 600).")
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in LOOPBACK_HOSTS:
        parser.error(f"URL host {urlsplit(args.url).hostname!r} is not a loopback address")
    if not (1 <= args.requests <= 10_000 and 1 <= args.concurrency <= 16):
        parser.error("use 1 to 10000 requests and a concurrency of 1 to 16")
    if not 0 < args.max_seconds <= 600:
        parser.error("use a time limit of more than 0 and at most 600 seconds")
    return run(args.url, args.requests, args.concurrency, args.max_seconds)


if __name__ == "__main__":
    sys.exit(main())
