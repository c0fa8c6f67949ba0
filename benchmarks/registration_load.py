"""Many users registering at once through the stand-in, against a bare echo bot baseline.

Both bots run as their own processes (as in production), the stand-in and the simulated users
in this one; each user waits for the bot's answer before the next action, like a person.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import bot_process, percentile
from sandbox.scenarios import FR, register_association
from sandbox.standin import BotApiStandIn, SimUser


@dataclass(frozen=True)
class Run:
    name: str
    users: int
    updates: int
    seconds: float
    latencies: list[float]
    bot_cpu: float = 0.0
    harness_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def row(self) -> str:
        p50 = percentile(self.latencies, 50) * 1000
        p99 = percentile(self.latencies, 99) * 1000
        return (
            f"| {self.name} | {self.users} | {self.updates} | {self.rate:,.0f} | "
            f"{p50:.1f} | {p99:.1f} | {self.bot_cpu / self.updates * 1000:.2f} |"
        )


async def _load(name: str, users: list[SimUser], script: object) -> Run:
    started = time.perf_counter()
    await asyncio.gather(*(script(user) for user in users))  # type: ignore[operator]
    elapsed = time.perf_counter() - started
    latencies = [lat for user in users for lat in user.latencies]
    return Run(name, len(users), len(latencies), elapsed, latencies)


def _cpu(which: int) -> float:
    usage = resource.getrusage(which)
    return usage.ru_utime + usage.ru_stime


def _people(
    standin: BotApiStandIn, first_id: int, count: int, pace: tuple[float, float] | None
) -> list[SimUser]:
    people = [standin.user(first_id + i, f"User{i}") for i in range(count)]
    for person in people:
        person.pace = pace
        person.rng = random.Random(person.id)  # the same pauses for both bots
    return people


async def echo_run(users: int, messages: int, pace: tuple[float, float] | None = None) -> Run:
    standin = BotApiStandIn()
    await standin.start()
    try:
        async with bot_process(standin, "benchmarks.echo_bot"):
            people = _people(standin, 10_000, users, pace)

            async def chat(user: SimUser) -> None:
                for n in range(messages):
                    await user.send(f"bonjour {n}", timeout=120)

            label = "bare echo bot (baseline)" + (", people's pace" if pace else ", flat out")
            return await _load(label, people, chat)
    finally:
        await standin.stop()


async def registration_run(users: int, pace: tuple[float, float] | None = None) -> Run:
    standin = BotApiStandIn()
    await standin.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            database = str(Path(folder) / "bench.sqlite3")
            async with bot_process(
                standin, "bot", DATABASE_PATH=database, TELEGRAM_MAX_RATE="0", POLL_TIMEOUT="10"
            ):
                people = _people(standin, 20_000, users, pace)

                async def register(user: SimUser) -> None:
                    last = await register_association(user, FR)
                    assert "inscrite" in last.text, last.text

                label = "Passerelle registration" + (", people's pace" if pace else ", flat out")
                run = await _load(label, people, register)
        assert not standin.violations, standin.violations
        return run
    finally:
        await standin.stop()


async def _measured(run: Run | None, coro: object) -> Run:
    children, me = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    result: Run = await coro  # type: ignore[misc]
    return dataclasses.replace(
        result,
        bot_cpu=_cpu(resource.RUSAGE_CHILDREN) - children,
        harness_cpu=_cpu(resource.RUSAGE_SELF) - me,
    )


# A person reads the question and types or taps: one to three seconds between actions is fast.
PEOPLE_PACE = (1.0, 3.0)


async def main(users: int = 200) -> list[Run]:
    """Flat out (each user acts the moment the bot answers: the bot's capacity), then at
    people's pace (the latency people feel with `users` registering at the same time)."""
    return [
        await _measured(None, echo_run(users, messages=22)),
        await _measured(None, registration_run(users)),
        await _measured(None, echo_run(users, messages=22, pace=PEOPLE_PACE)),
        await _measured(None, registration_run(users, pace=PEOPLE_PACE)),
    ]
