"""Fairness between chats: another user's /help while one chat floods 2,000 messages.

The bot runs as its own process (`python -m bot`, SQLite on disk) with production's throttle
(TELEGRAM_MAX_RATE=30, about one message a second per chat). Probe users each send /help once,
one after the other (20 a second), and wait for the answer: first with nobody flooding (the
baseline), then while one user pushes 2,000 messages into the stand-in as fast as it takes
them. Latency is
from the moment the probe's update is queued in the stand-in to the bot's answer.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import bot_process, percentile
from sandbox.standin import BotApiStandIn

FLOOD = 2000
PROBES = 300
# Seconds between two probes: 20 a second, under the bot's 30 messages/s, so that the overall
# throttle is not what is measured.
GAP = 0.05
FLOODER = 500_000
SLOW_DOWN = ("faster than I can read", "plus vite que je ne peux lire")


@dataclass(frozen=True)
class Probe:
    label: str
    latencies: list[float]
    flood_answered: int = 0
    slow_down_notices: int = 0
    flood_seconds: float = 0.0
    # Latencies of the probes sent while the bot was still taking the flood in.
    during_intake: tuple[float, ...] = ()

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    def row(self) -> str:
        return (
            f"| {self.label} | {len(self.latencies)} | {self.p(50):.1f} | {self.p(99):.1f} "
            f"| {max(self.latencies) * 1000:.1f} |"
        )


HEADER = "| second user's /help | probes | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|"


async def _probe(
    standin: BotApiStandIn, first_id: int, count: int, starts: list[float] | None = None
) -> list[float]:
    latencies: list[float] = []
    for n in range(count):
        if starts is not None:
            starts.append(time.perf_counter())
        # A new user each time: one chat's own 1 message/s budget must not be what is measured.
        user = standin.user(first_id + n, f"Probe {n}", language_code="en")
        await user.send("/help", timeout=120)
        latencies.extend(user.latencies)
        await asyncio.sleep(GAP)
    return latencies


async def _flood(standin: BotApiStandIn) -> tuple[float, float]:
    """Push the flood; returns when it started and how long the bot took to fetch it all."""
    flooder = standin.user(FLOODER, "Flood", language_code="en")
    started = time.perf_counter()
    for i in range(FLOOD):
        standin.push_message(flooder, text=f"message {i}")
        if i % 50 == 49:
            await asyncio.sleep(0)  # let the stand-in hand them over as they come
    while standin.pending_updates:  # noqa: ASYNC110 - polled, off the measured path
        await asyncio.sleep(0.01)
    return started, time.perf_counter() - started


async def run() -> tuple[Probe, Probe]:
    standin = BotApiStandIn()
    await standin.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with bot_process(
                standin, "bot", DATABASE_PATH=str(Path(folder) / "fairness.sqlite3")
            ):
                await _probe(standin, 600_000, 10)  # warm-up, not counted
                quiet = await _probe(standin, 610_000, PROBES)
                flood = asyncio.create_task(_flood(standin))
                starts: list[float] = []
                loud = await _probe(standin, 620_000, PROBES, starts)
                flood_started, flood_seconds = await flood
                intake = tuple(
                    latency
                    for started, latency in zip(starts, loud, strict=True)
                    if started < flood_started + flood_seconds
                )
                # What the flooder got back, once its backlog has been answered.
                await asyncio.sleep(25)
        flooder = standin.users[FLOODER]
        answers = flooder.bot_messages
        notices = sum(any(s in m.text for s in SLOW_DOWN) for m in answers)
        return (
            Probe("without a flood (baseline)", quiet),
            Probe(
                f"while one chat floods {FLOOD:,} messages",
                loud,
                flood_answered=len(answers) - notices,
                slow_down_notices=notices,
                flood_seconds=flood_seconds,
                during_intake=intake,
            ),
        )
    finally:
        await standin.stop()
