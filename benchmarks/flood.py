"""Flood control: 1,000 nudges through the stand-in while it fails 10% of sends with 429
(retry_after 1 s) or 500. Every nudge must arrive exactly once, at close to the configured rate.

The bot runs as its own process with TELEGRAM_MAX_RATE (30 messages/s, Telegram's bulk limit).
On a 429, python-telegram-bot's rate limiter pauses *all* sending for retry_after, as Telegram
asks. The same 1,000 nudges without faults, in the same run, are the baseline.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import bot_process
from bot.clock import system_clock
from sandbox.scenarios import nudge_deliveries, seed_due_nudges
from sandbox.standin import BotApiStandIn, FaultPlan

RATE = 30.0
RETRY_AFTER = 1


@dataclass(frozen=True)
class FloodResult:
    label: str
    nudges: int
    delivered_once: int
    duplicates: int
    missing: int
    seconds: float
    injected_429: int
    injected_500: int

    @property
    def rate(self) -> float:
        return self.nudges / self.seconds

    @property
    def paused(self) -> float:
        """Seconds during which the rate limiter held everything back, as each 429 asked."""
        return self.injected_429 * (RETRY_AFTER + 0.1)

    def row(self) -> str:
        return (
            f"| {self.label} | {self.nudges} | {self.delivered_once} | {self.duplicates} "
            f"| {self.missing} | {self.injected_429} | {self.injected_500} | {self.seconds:.1f} "
            f"| {self.paused:.0f} | {self.rate:.1f} | {self.rate / RATE:.2f} |"
        )


HEADER = (
    "| run | nudges | delivered once | duplicates | missing | 429 injected | 500 injected "
    "| seconds | of which 429 pauses s | achieved /s | ratio to 30/s |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


async def run(count: int = 1000, fault_rate: float = 0.1) -> FloodResult:
    standin = BotApiStandIn()
    await standin.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "flood.sqlite3"
            await seed_due_nudges(db_path, standin, count, first_owner=100_000, now=system_clock())
            standin.faults = FaultPlan(
                rate=fault_rate, statuses=(429, 500), retry_after=RETRY_AFTER
            )
            async with bot_process(
                standin,
                "bot",
                DATABASE_PATH=str(db_path),
                TELEGRAM_MAX_RATE=str(RATE),
                DISPATCH_IDLE_CHECK="1s",
                NUDGES_PER_DAY="10",
                QUIET_HOURS="00:00-00:00",
            ):
                deadline = time.monotonic() + 600
                # Polling (not an event per message) keeps the check off the measured path.
                while len(nudge_deliveries(standin)) < count and time.monotonic() < deadline:  # noqa: ASYNC110
                    await asyncio.sleep(0.5)
                await asyncio.sleep(3)  # anything sent twice would arrive now
        sends = [e.at for e in standin.events if e.method == "sendMessage"]
        counted = nudge_deliveries(standin)
        label = f"{fault_rate:.0%} of sends fail (429 or 500)" if fault_rate else "no faults"
        return FloodResult(
            label=label,
            nudges=count,
            delivered_once=sum(1 for times in counted.values() if times == 1),
            duplicates=sum(times - 1 for times in counted.values() if times > 1),
            missing=count - len(counted),
            seconds=sends[-1] - sends[0] if len(sends) > 1 else float("nan"),
            injected_429=standin.faults.injected.get(429, 0),
            injected_500=standin.faults.injected.get(500, 0),
        )
    finally:
        await standin.stop()
