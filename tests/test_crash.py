"""Crash safety: the bot runs as its own process and is killed with SIGKILL mid-registration."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import system_clock
from sandbox.scenarios import nudge_deliveries, publish_schedule, seed_due_nudges, seed_event
from sandbox.standin import BotApiStandIn, SimUser
from storage import organisations
from storage.db import Database

pytestmark = pytest.mark.slow


@asynccontextmanager
async def bot_process(
    standin: BotApiStandIn, db_path: Path, **extra_env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot` as production runs it; SIGKILLed (not stopped) on exit."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "DATABASE_PATH": str(db_path),
        "POLL_TIMEOUT": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        **extra_env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=db_path.parent,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await process.wait()
        assert process.stderr is not None
        errors = (await process.stderr.read()).decode()
        assert "Traceback" not in errors, errors
        assert standin.token.split(":")[1] not in errors, "the token must never be logged"


async def test_sigkill_at_several_steps_loses_nothing(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """Killed after each of several answers, the bot picks up where the user was every time."""
    db_path = tmp_path / "crash.sqlite3"
    marie = standin.user(2001, "Marie")
    async with bot_process(standin, db_path):
        await marie.send("/start", timeout=30)
        # The first start trains the learned reader (seconds); what reads the index waits.
        await marie.press("Français", timeout=30)
        await marie.press("Association")
        await marie.send("Les Tournesols <&>")
    async with bot_process(standin, db_path):
        shown = await marie.send("Épicerie solidaire du quartier", timeout=30)
        assert "Où" in shown[-1].text
        await marie.send("Nancy")
        await marie.send("site internet", expect=2)
    async with bot_process(standin, db_path):
        shown = await marie.press("Terminé", timeout=30)
        assert "Que pouvez-vous offrir" in shown[-1].text
        assert "site internet" in shown[-1].text or "Site web" not in shown[-1].text
        await marie.send("bénévoles", expect=2)
        await marie.press("Terminé")
        await marie.send("Jeanne Dupont")
        await marie.send("jeanne@tournesols.example")
        await marie.press("Passer")
    async with bot_process(standin, db_path):
        shown = await marie.press("J'accepte", timeout=30)
        assert "Les Tournesols <&>" in shown[-1].text
        await marie.press("Valider", expect=2)

    db = await Database.open(db_path)
    try:
        org = await organisations.get_by_owner(db, 2001)
    finally:
        await db.close()
    assert org is not None
    assert org.name == "Les Tournesols <&>"
    assert org.description == "Épicerie solidaire du quartier"
    assert org.location.text == "Nancy"
    assert [i.category for i in org.needs] == ["web"]
    assert [i.category for i in org.offers] == ["volunteers"]
    assert org.contact.email == "jeanne@tournesols.example"


async def test_sigkill_at_random_moments_while_sending_loses_no_nudge(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """Killed again and again while 120 nudges go out: every nudge arrives; a duplicate can
    only come from a kill while its first copy was in flight (the at-least-once window)."""
    db_path = tmp_path / "nudges.sqlite3"
    total = 120
    await seed_due_nudges(db_path, standin, total, first_owner=60_000, now=system_clock())
    rng = random.Random(11)
    env = {
        "TELEGRAM_MAX_RATE": "40",
        "DISPATCH_IDLE_CHECK": "1s",
        "NUDGES_PER_DAY": "10",
        "QUIET_HOURS": "00:00-00:00",
        "SEND_CONCURRENCY": "4",
    }
    kills: list[float] = []
    for _ in range(5):
        async with bot_process(standin, db_path, **env):
            await standin.wait_for(lambda: len(nudge_deliveries(standin)) > 0, 30)
            await asyncio.sleep(rng.uniform(0.2, 1.2))
            kills.append(time.perf_counter())
    async with bot_process(standin, db_path, **env):
        await standin.wait_for(lambda: len(nudge_deliveries(standin)) == total, 60)
        await asyncio.sleep(1.5)
    counted = nudge_deliveries(standin)
    assert len(counted) == total, "no nudge lost"
    duplicated = [nudge for nudge, times in counted.items() if times > 1]
    first_sent = {}
    for event in standin.events:
        if event.method == "sendMessage" and event.chat_id is not None:
            first_sent.setdefault(event.chat_id, event.at)
    for nudge in duplicated:
        chat = 60_000 + int(nudge) - 1
        # The first copy was in flight when the process died: sent but not yet answered (the
        # server still delivers a request it fully received), or answered but not yet
        # recorded. That is the at-least-once window; outside it, nothing is sent twice.
        assert any(abs(kill - first_sent[chat]) < 0.5 for kill in kills), (
            f"nudge {nudge} was sent twice although no kill came near its first delivery: "
            f"sent at {[e.at for e in standin.chat_events(chat) if e.method == 'sendMessage']}, "
            f"kills at {kills}"
        )
    # Chats are served concurrently: at most SEND_CONCURRENCY messages are in flight at a kill.
    assert len(duplicated) <= len(kills) * 4


async def test_sigkill_during_a_publication_loses_no_agenda(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """The organiser publishes a 3 × 3 schedule; the bot is killed while the agendas go out
    (sending is throttled so that the kill lands mid-way). After a restart every participant
    has an agenda and a calendar file, and the organiser the grid; nothing is sent twice
    except what was in flight at the kill."""
    db_path = tmp_path / "event.sqlite3"
    organiser_id, first = 70_999, 71_000
    now = system_clock()
    await seed_event(
        db_path, standin, companies=3, associations=3, organiser=organiser_id,
        first_owner=first, starts_at=now + timedelta(days=7), now=now,
    )  # fmt: skip
    organiser = standin.users[organiser_id]
    participants = [standin.users[first + n] for n in range(6)]
    env = {"ORGANISER_IDS": str(organiser_id), "QUIET_HOURS": "00:00-00:00"}

    def agendas(user: SimUser) -> int:
        return sum("Votre agenda" in m.text for m in user.bot_messages)

    def calendars(user: SimUser) -> int:
        return sum(m.document is not None for m in user.bot_messages)

    async with bot_process(standin, db_path, TELEGRAM_MAX_RATE="2", **env):
        cards = await organiser.send("/events", timeout=30)
        await publish_schedule(organiser, cards[-1], timeout=30)
        await standin.wait_for(lambda: sum(agendas(u) for u in participants) >= 1, 30)
        delivered_at_kill = sum(agendas(u) + calendars(u) for u in participants)
    assert delivered_at_kill < 12, "the kill came before every agenda went out"

    async with bot_process(standin, db_path, **env):
        await standin.wait_for(
            lambda: all(agendas(u) >= 1 and calendars(u) >= 1 for u in participants), 30
        )
        await standin.wait_for(lambda: any(m.photo is not None for m in organiser.bot_messages), 30)
        await asyncio.sleep(1)
    duplicates = sum(agendas(u) - 1 + calendars(u) - 1 for u in participants)
    assert duplicates <= 1, "only a message in flight at the kill may arrive twice"
    assert sum("Programme de" in m.text for m in organiser.bot_messages) <= 2
