"""Runs the real bot against the stand-in over HTTP, the way production runs it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import BotApp, build_application, running
from bot.settings import Settings
from core.models import Item, Organisation, ProfileData
from handlers.context import Services
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn, SimUser
from storage import organisations
from storage.db import Database

# The Telegram user id the tests' running bot treats as an organiser.
ORGANISER = 9999


def settings_for(standin: BotApiStandIn, database: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "telegram_bot_token": standin.token,
        "telegram_api_base_url": standin.base_url,
        "database_path": database,
        "poll_timeout": 1,
        # The test clock only moves when a test moves it: look often.
        "dispatch_idle_check": "0.1s",
        # Simulated users answer instantly, far above one message a second in their chat.
        "telegram_chat_rate": 0,
        "default_language": "fr",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class Clock:
    """A clock the test moves by hand (the bot reads the time only through it)."""

    def __init__(self, start: datetime | None = None) -> None:
        # Midday in Paris by default: outside quiet hours.
        self.moment = start or datetime(2026, 11, 23, 11, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class RunningClock:
    """Real time passing from a chosen moment: for tests of waking up on time, where the
    bot's own sleeps must agree with its clock."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.origin = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.origin)


@asynccontextmanager
async def bot_running(
    standin: BotApiStandIn,
    database: Path,
    *,
    clock: Callable[[], datetime] | None = None,
    **overrides: object,
) -> AsyncIterator[tuple[BotApp, Database]]:
    settings = settings_for(standin, database, **overrides)
    db = await Database.open(settings.database_path)
    try:
        app = build_application(settings, db, standin.token, clock=clock or Clock())
        async with running(app, poll_timeout=settings.poll_timeout, webhook=settings.webhook):
            yield app, db
    finally:
        await db.close()


def svc(app: BotApp) -> Services:
    """The running bot's services (database, match index, policy)."""
    found = app.bot_data["services"]
    assert isinstance(found, Services)
    return found


async def seed(app: BotApp, standin: BotApiStandIn, profile: ProfileData) -> Organisation:
    """An organisation registered earlier (straight into storage and the index)."""
    standin.user(profile.owner_user_id, "Someone")
    org = await organisations.create(svc(app).db, profile, svc(app).clock())
    svc(app).index.upsert(org)
    return org


async def ask_and_accept(
    standin: BotApiStandIn,
    app: BotApp,
    base: int,
    *,
    fault: tuple[int, int] | None = None,
) -> tuple[SimUser, SimUser]:
    """An association (owner base + 2) asks a company (base + 1), which accepts: the pair is
    introduced. With `fault`, (status, count), the association's chat fails that way just
    before the acceptance. Returns (association, company)."""
    pixel = await seed(
        app, standin, company_profile(base + 1, "Pixel & Co", (Item("web", "sites web"),))
    )
    await seed(app, standin, association_profile(base + 2, "Les Tournesols"))
    asso, company = standin.users[base + 2], standin.users[base + 1]
    # Other companies of the test may match too: ask this scenario's own, by its button.
    await asso.send("/matches")
    interested = f"m:i:{pixel.id}"
    await standin.wait_for(lambda: any(interested in str(m.buttons) for m in asso.bot_messages), 10)
    card = next(m for m in asso.bot_messages if interested in str(m.buttons))
    mark = standin.event_count
    await asso.press("Intéressé", message=card)
    [request] = await standin.wait_for_chat(company.id, mark, expect=1)
    if fault is not None:
        status, count = fault
        standin.fail_next(asso.id, status, count=count, retry_after=1)
    await company.press("Accepter", message=request, expect=2)
    return asso, company
