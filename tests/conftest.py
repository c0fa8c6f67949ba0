from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import bot as _passerelle  # noqa: F401 - sets python-telegram-bot options before it loads
from bot.app import BotApp
from core import learned
from core.taxonomy import TAXONOMY
from sandbox.standin import BotApiStandIn
from storage.db import Database
from tests.harness import ORGANISER, Clock, bot_running


@pytest.fixture(scope="session", autouse=True)
def trained_reader() -> None:
    """The learned reader, trained once for the whole run before the first test (some seconds
    on 27k phrases): every bot started in this process shares the app's taxonomy, and the
    first one would otherwise train it while a test waits ten seconds for an answer."""
    if not TAXONOMY.trained:
        TAXONOMY.use(learned.train(TAXONOMY.documents()))


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    server = BotApiStandIn()
    await server.start()
    yield server
    await server.stop()
    assert server.violations == [], f"the bot broke the Bot API: {server.violations}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "passerelle.sqlite3"


@pytest.fixture
async def bot(standin: BotApiStandIn, db_path: Path) -> AsyncIterator[Database]:
    """The real bot, polling the stand-in; yields its database for checks on what is stored."""
    async with bot_running(standin, db_path) as (_, db):
        yield db


@pytest.fixture
def clock() -> Clock:
    """Midday in Paris, moved by hand by the test."""
    return Clock()


@pytest.fixture
async def app(standin: BotApiStandIn, db_path: Path, clock: Clock) -> AsyncIterator[BotApp]:
    """The real bot on the test's clock, with ORGANISER as the network's organiser."""
    async with bot_running(standin, db_path, clock=clock, organiser_ids=str(ORGANISER)) as (
        application,
        _,
    ):
        yield application
