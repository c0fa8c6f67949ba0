"""Delivery of the messages that announce a change (the outbox), measured end to end.

1. Live-round punctuality: a 30 × 30 speed meeting in live mode, rounds of one minute. For
   every participant and round, how late "Round N — table T — meet X" arrives after the
   round's start (negative: early).
2. Introductions and agendas under faults: a 30 × 30 schedule is published (60 agendas, 60
   calendar files, the organiser's CSV and grid) while 200 introductions are queued; the
   stand-in fails 10% of sends (429 with retry_after 1 s, or 500) and the bot is SIGKILLed 5
   times at random moments. Every message is counted: lost, duplicated, and how long after
   being queued it arrived. The same run without faults or kills is the baseline.

The bot runs as its own process (`python -m bot`), exactly as in production.
"""

from __future__ import annotations

import asyncio
import random
import re
import signal
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.common import bot_process, percentile
from bot.app import build_services
from bot.clock import system_clock
from bot.settings import Settings
from core.models import OrgKind
from handlers.cards import introductions as introduction_messages
from sandbox.scenarios import publish_schedule, seed_event
from sandbox.standin import BotApiStandIn, FaultPlan
from storage import introductions as store
from storage import organisations
from storage.db import Database

ORGANISER = 199_999
FIRST = 200_000
ROUND = re.compile(r"Tour (\d+) — table")
INTRO = re.compile(r"Mise en relation : (.+)")


def _env(db_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_PATH": str(db_path),
        "ORGANISER_IDS": str(ORGANISER),
        "QUIET_HOURS": "00:00-00:00",
        "TELEGRAM_MAX_RATE": "30",
        **extra,
    }


async def _publish(standin: BotApiStandIn, *, live: bool) -> None:
    organiser = standin.users[ORGANISER]
    cards = await organiser.send("/events", timeout=60)
    await publish_schedule(organiser, cards[-1], timeout=60)
    await standin.wait_for(
        lambda: any("rencontres en" in m.text for m in organiser.bot_messages), 60
    )
    if live:
        cards = await organiser.send("/events", timeout=60)
        await organiser.press("Mode direct", message=cards[-1], timeout=60)


def _arrivals(standin: BotApiStandIn) -> dict[tuple[int, int], float]:
    """(chat, message id) → wall-clock time of the send that showed it."""
    offset = time.time() - time.perf_counter()
    return {
        (e.chat_id, e.message_id): e.at + offset
        for e in standin.events
        if e.method in ("sendMessage", "sendDocument", "sendPhoto")
        and e.chat_id is not None
        and e.message_id is not None
    }


# --- 1. live rounds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Punctuality:
    participants: int
    rounds: int
    messages: int
    expected: int
    p50: float
    p95: float
    latest: float
    earliest: float

    def row(self) -> str:
        return (
            f"| {self.participants} | {self.rounds} | {self.messages} / {self.expected} "
            f"| {self.earliest:+.2f} | {self.p50:+.2f} | {self.p95:+.2f} | {self.latest:+.2f} |"
        )


PUNCTUALITY_HEADER = (
    "| participants | rounds | round messages arrived | earliest s | p50 s | p95 s "
    "| latest s |\n|---:|---:|---:|---:|---:|---:|---:|"
)


async def live_rounds(size: int = 30, rounds: int = 3) -> Punctuality:
    standin = BotApiStandIn()
    await standin.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "live.sqlite3"
            now = system_clock()
            starts = (now + timedelta(seconds=45)).replace(microsecond=0)
            await seed_event(
                db_path, standin, companies=size, associations=size, organiser=ORGANISER,
                first_owner=FIRST, starts_at=starts, now=now, rounds=rounds, minutes=1,
            )  # fmt: skip
            async with bot_process(standin, "bot", **_env(db_path)):
                await _publish(standin, live=True)
                end = starts + timedelta(minutes=rounds, seconds=5)
                await asyncio.sleep(max(0.0, (end - system_clock()).total_seconds()))
        arrived = _arrivals(standin)
        lateness = []
        for n in range(2 * size):
            for message in standin.chat(FIRST + n):
                found = ROUND.search(message.text)
                if message.from_bot and found:
                    start = starts + timedelta(minutes=int(found.group(1)) - 1)
                    at = arrived[(FIRST + n, message.message_id)]
                    lateness.append(at - start.timestamp())
        return Punctuality(
            participants=2 * size,
            rounds=rounds,
            messages=len(lateness),
            expected=2 * size * rounds,
            p50=percentile(lateness, 50),
            p95=percentile(lateness, 95),
            latest=max(lateness, default=float("nan")),
            earliest=min(lateness, default=float("nan")),
        )
    finally:
        await standin.stop()


# --- 2. faults and kills --------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    label: str
    expected: int
    delivered_once: int
    duplicated: int
    lost: int
    injected_429: int
    injected_500: int
    kills: int
    p50: float
    p95: float
    latest: float

    def row(self) -> str:
        return (
            f"| {self.label} | {self.expected} | {self.delivered_once} | {self.duplicated} "
            f"| {self.lost} | {self.injected_429} | {self.injected_500} | {self.kills} "
            f"| {self.p50:.1f} | {self.p95:.1f} | {self.latest:.1f} |"
        )


DELIVERY_HEADER = (
    "| run | messages | delivered once | duplicated | lost | 429 injected | 500 injected "
    "| SIGKILLs | p50 s after start | p95 s | all delivered after s |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


async def _queue_introductions(db_path: Path, pairs: int, now: datetime) -> None:
    """`pairs` accepted requests between the event's companies and associations, each with
    its two introductions queued in the same transaction, as an acceptance does."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    db = await Database.open(db_path)
    try:
        svc = build_services(settings, db, clock=system_clock, wake=lambda: None)
        everyone = await organisations.list_all(db)
        companies = [o for o in everyone if o.kind is OrgKind.COMPANY]
        associations = [o for o in everyone if o.kind is OrgKind.ASSOCIATION]
        for n in range(pairs):
            company = companies[n % len(companies)]
            association = associations[(n // len(companies)) % len(associations)]
            interest = await store.request(
                db, association.id, company.id, now=now, expires_at=now + timedelta(days=14),
                cap=1000, delays=svc.policy.nudges,
            )  # fmt: skip
            assert interest is not None
            await store.answer(
                db, interest, accept=True, association_id=association.id,
                company_id=company.id, now=now, delays=svc.policy.nudges,
                announce=introduction_messages(svc, company, association),
            )  # fmt: skip
    finally:
        await db.close()


async def _all_delivered(standin: BotApiStandIn, size: int, expected: int) -> None:
    deadline = time.monotonic() + 600
    while len(_count(standin, size)) < expected and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)  # anything sent twice would arrive now


def _count(standin: BotApiStandIn, size: int) -> Counter[tuple[int, str]]:
    """Every copy of every outbox message, by (chat, what it is)."""
    counted: Counter[tuple[int, str]] = Counter()
    for chat in [ORGANISER, *(FIRST + n for n in range(2 * size))]:
        for message in standin.chat(chat):
            if not message.from_bot:
                continue
            intro = INTRO.search(message.text)
            if intro:
                counted[(chat, f"intro {intro.group(1)}")] += 1
            elif "Votre agenda" in message.text:
                counted[(chat, "agenda")] += 1
            elif message.document is not None or message.photo is not None:
                name = message.document[0] if message.document else "grid.png"
                counted[(chat, name.rsplit(".", 1)[-1])] += 1
    return counted


async def under_faults(
    *, size: int = 30, pairs: int = 100, fault_rate: float = 0.1, kills: int = 5, seed: int = 3
) -> Delivery:
    rng = random.Random(seed)
    standin = BotApiStandIn()
    await standin.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "faults.sqlite3"
            now = system_clock()
            await seed_event(
                db_path, standin, companies=size, associations=size, organiser=ORGANISER,
                first_owner=FIRST, starts_at=now + timedelta(days=7), now=now,
            )  # fmt: skip
            queued_at = time.time()
            await _queue_introductions(db_path, pairs, now)
            env = _env(db_path, DISPATCH_IDLE_CHECK="1s")
            expected = 4 * size + 2 + 2 * pairs  # agendas, calendars, CSV + grid, intros
            done = 0
            async with bot_process(standin, "bot", **env) as process:
                await _publish(standin, live=False)
                if fault_rate:
                    standin.faults = FaultPlan(rate=fault_rate, statuses=(429, 500))
                if kills:
                    await asyncio.sleep(rng.uniform(0.2, 1.5))
                    process.send_signal(signal.SIGKILL)
                    await process.wait()
                    done += 1
                else:
                    await _all_delivered(standin, size, expected)
            while done < kills:
                async with bot_process(standin, "bot", **env) as process:
                    await asyncio.sleep(rng.uniform(0.5, 2.5))
                    process.send_signal(signal.SIGKILL)
                    await process.wait()
                    done += 1
            if kills:
                async with bot_process(standin, "bot", **env):
                    await _all_delivered(standin, size, expected)
        counted = _count(standin, size)
        arrived = _arrivals(standin)
        delays = [
            at - queued_at
            for (chat, _), at in arrived.items()
            if chat in {ORGANISER, *(FIRST + n for n in range(2 * size))}
        ]
        faults = standin.faults
        label = (
            f"{fault_rate:.0%} of sends fail, {kills} SIGKILLs"
            if fault_rate or kills
            else "no faults (baseline)"
        )
        return Delivery(
            label=label,
            expected=expected,
            delivered_once=sum(1 for times in counted.values() if times == 1),
            duplicated=sum(times - 1 for times in counted.values() if times > 1),
            lost=expected - len(counted),
            injected_429=faults.injected.get(429, 0) if faults else 0,
            injected_500=faults.injected.get(500, 0) if faults else 0,
            kills=kills,
            p50=percentile(delays, 50),
            p95=percentile(delays, 95),
            latest=max(delays, default=float("nan")),
        )
    finally:
        await standin.stop()
