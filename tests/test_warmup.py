"""After a restart the bot answers at once, while the match index is still loading."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.warmup import IndexWarmup
from core.models import Item, Organisation, OrgStatus
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn
from storage import organisations
from storage.db import Database
from tests.harness import Clock, bot_running


async def test_help_is_answered_while_the_index_loads_and_matches_wait_for_it(
    standin: BotApiStandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the match index still loading, /help is answered; /matches waits for the index
    instead of saying there is no match, and lists the stored company once it is loaded."""
    clock = Clock()
    db = await Database.open(db_path)
    await organisations.create(
        db, company_profile(8101, "Pixel & Co", (Item("web", "sites web"),)), clock()
    )
    await organisations.create(db, association_profile(8102, "Les Tournesols"), clock())
    await db.close()

    # The load's storage reads are held until the test lets them through.
    loading = asyncio.Event()
    real_page = organisations.list_page

    async def held_page(
        db: Database, *, status: OrgStatus, after_id: int, limit: int
    ) -> list[Organisation]:
        await loading.wait()
        return await real_page(db, status=status, after_id=after_id, limit=limit)

    monkeypatch.setattr(organisations, "list_page", held_page)
    asso = standin.user(8102, "Anne")
    async with bot_running(standin, db_path, clock=clock) as (app, _):
        warmup = app.bot_data["warmup"]
        assert isinstance(warmup, IndexWarmup)
        [help_answer] = await asso.send("/help")
        assert "/matches" in help_answer.text
        assert not warmup.ready

        mark = standin.event_count
        standin.push_message(asso, text="/matches")
        # Everyone else is still answered meanwhile.
        [other_help] = await standin.user(8103, "Bob").send("/help")
        assert "/start" in other_help.text
        assert not warmup.ready
        loading.set()
        shown = await standin.wait_for_chat(asso.id, mark, expect=2)
        assert warmup.ready
        assert any("Pixel &amp; Co" in m.text or "Pixel & Co" in m.text for m in shown)
