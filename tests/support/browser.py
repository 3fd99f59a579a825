"""Take screenshots of local pages with Debian's headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# Flags that keep Chromium from reaching any host but the page's own: no
# background updates, sync, QUIC or first-run requests.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(
    url: str,
    output: Path,
    size: tuple[int, int] = (1200, 700),
    wait_ms: int = 5000,
    timeout: float = 90,
) -> subprocess.CompletedProcess[str]:
    """Load `url` and save a PNG of the window to `output`.

    `wait_ms` is virtual time that Chromium lets pass before the screenshot, so
    the page's fetches and first chart drawing finish.
    """
    executable = chromium_executable()
    if executable is None:
        raise RuntimeError("chromium is not installed; run scripts/install")
    with tempfile.TemporaryDirectory(prefix="tsloop-chromium-") as profile:
        return subprocess.run(
            [
                executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={output}",
                f"--window-size={size[0]},{size[1]}",
                f"--virtual-time-budget={wait_ms}",
                url,
            ],
            text=True,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
