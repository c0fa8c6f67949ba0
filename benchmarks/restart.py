"""Restart time: from SIGKILL to the first answered update, with 10k and 100k organisations.

The organisations (synthetic, as in the matching speed benchmark) are written straight into a
SQLite file. The bot runs as its own process (`python -m bot`) against the stand-in; once it
has loaded its match index it is SIGKILLed and started again at once. A newcomer's /help and a
registered association's /matches are queued right after the kill; each is timed from the kill
to the bot's answer. /help needs no index, so it measures how soon the bot answers again;
/matches waits for the index, so it measures when matching is back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT
from benchmarks.matching_speed import synthetic
from core.models import Organisation
from sandbox.standin import BotApiStandIn, SimUser
from storage.db import Database, to_db_time

OWNER_BASE = 10_000_000
NEWCOMER = 9_000_001


@dataclass(frozen=True)
class Restart:
    organisations: int
    seed_seconds: float
    first_help: float
    first_matches: float

    def row(self) -> str:
        return (
            f"| {self.organisations:,} | {self.first_help:.2f} | {self.first_matches:.2f} "
            f"| {self.seed_seconds:.1f} |"
        )


HEADER = (
    "| organisations | SIGKILL → /help answered, s | SIGKILL → /matches answered, s "
    "| seeding s (not part of the restart) |\n|---:|---:|---:|---:|"
)


async def seed(path: Path, orgs: list[Organisation]) -> None:
    """Every organisation and its items, in two batched INSERTs (no bot logic involved)."""
    db = await Database.open(path)  # creates the schema
    await db.close()
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO organisations (id, kind, name, description, location_text,"
        " location_remote, contact_name, owner_user_id, language, status, consented_at,"
        " confirmed_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (o.id, o.kind.value, o.name, o.description, o.location.text, int(o.location.remote),
             o.contact.name, OWNER_BASE + o.id, o.language, o.status.value,
             to_db_time(o.consented_at), to_db_time(o.confirmed_at), to_db_time(o.created_at),
             to_db_time(o.updated_at))
            for o in orgs
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO organisation_items (organisation_id, direction, position, category, detail)"
        " VALUES (?,?,?,?,?)",
        [
            (o.id, direction, n, item.category, item.detail)
            for o in orgs
            for direction, items in (("need", o.needs), ("offer", o.offers))
            for n, item in enumerate(items)
        ],
    )
    conn.commit()
    conn.close()


async def _spawn(standin: BotApiStandIn, database: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env={
            **os.environ,
            "TELEGRAM_BOT_TOKEN": standin.token,
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "DATABASE_PATH": str(database),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        },
    )


async def _answered(standin: BotApiStandIn, user: SimUser, text: str, since: float) -> float:
    """Push `text` from `user`; seconds from `since` to the bot's first answer."""
    mark = standin.event_count
    standin.push_message(user, text=text)
    await standin.wait_for_chat(user.id, mark, expect=1, timeout=300)
    first = next(e for e in standin.chat_events(user.id) if e.seq >= mark)
    return first.at - since


async def run(size: int) -> Restart:
    orgs = synthetic(size)
    association = next(o for o in orgs if o.kind.value == "association")
    standin = BotApiStandIn()
    await standin.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "restart.sqlite3"
            started = time.perf_counter()
            await seed(database, orgs)
            seeded = time.perf_counter() - started
            del orgs
            member = standin.user(OWNER_BASE + association.id, "Member")
            newcomer = standin.user(NEWCOMER, "Newcomer", language_code="en")
            first = await _spawn(standin, database)
            # Steady state before the kill: the first process has its index loaded.
            await _answered(standin, member, "/matches", time.perf_counter())
            killed = time.perf_counter()
            first.send_signal(signal.SIGKILL)
            await first.wait()
            second = await _spawn(standin, database)
            try:
                help_seconds, matches_seconds = await asyncio.gather(
                    _answered(standin, newcomer, "/help", killed),
                    _answered(standin, member, "/matches", killed),
                )
            finally:
                second.send_signal(signal.SIGTERM)
                await second.wait()
        return Restart(size, seeded, help_seconds, matches_seconds)
    finally:
        await standin.stop()
