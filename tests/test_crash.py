"""Crash safety: the bot runs as its own process and is killed with SIGKILL mid-registration."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from sandbox.standin import BotApiStandIn
from storage import organisations
from storage.db import Database

pytestmark = pytest.mark.slow


@asynccontextmanager
async def bot_process(
    standin: BotApiStandIn, db_path: Path
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
        await marie.press("Français")
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
