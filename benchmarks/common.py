"""Shared helpers: the machine description, percentiles, bot processes against a stand-in."""

from __future__ import annotations

import asyncio
import os
import platform
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sandbox.standin import BotApiStandIn

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({model}){memory}, "
        f"Python {platform.python_version()}"
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@asynccontextmanager
async def bot_process(
    standin: BotApiStandIn, module: str, **env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run `python -m module` against the stand-in until it polls; SIGTERM it afterwards."""
    polls_before = sum(1 for method, _ in standin.requests if method == "getUpdates")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        cwd=ROOT,
        env={
            **os.environ,
            "TELEGRAM_BOT_TOKEN": standin.token,
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            **env,
        },
    )
    deadline = time.monotonic() + 60
    while sum(1 for method, _ in standin.requests if method == "getUpdates") <= polls_before:
        if time.monotonic() > deadline or process.returncode is not None:
            raise RuntimeError(f"{module} did not start polling")
        await asyncio.sleep(0.05)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await process.wait()
