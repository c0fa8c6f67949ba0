"""One clock: the product reads the time only through the clock it is given."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.models import Item
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn
from storage import organisations
from tests.harness import Clock, bot_running, seed, svc

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "core", "handlers", "storage", "sandbox")
# Calls that read the wall clock. bot/clock.py is the one place allowed to make them.
WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


def wall_clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in WALL_CLOCK
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    """Storage, core, handlers and the wiring take `now` from the injected clock."""
    allowed = {ROOT / "bot" / "clock.py", ROOT / "sandbox" / "standin.py"}
    reads = [
        hit
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in allowed
        for hit in wall_clock_reads(path)
    ]
    assert reads == []


@pytest.mark.parametrize(
    "start",
    [
        datetime(1999, 3, 1, 11, 0, tzinfo=UTC),  # decades before the real date
        datetime(2061, 6, 15, 11, 0, tzinfo=UTC),  # decades after it
    ],
    ids=["past", "future"],
)
async def test_the_product_works_the_same_years_away_from_today(
    standin: BotApiStandIn, db_path: Path, start: datetime
) -> None:
    """With the clock far from the real date: stored times follow the clock, the newer of
    two equal companies is suggested first, an introduction happens, and the contact
    question arrives exactly when the clock says a week has passed."""
    clock = Clock(start)
    async with bot_running(standin, db_path, clock=clock) as (app, _):
        older = await seed(app, standin, company_profile(91_001, "Ancienne SA", (Item("web"),)))
        clock.advance(days=60)
        newer = await seed(app, standin, company_profile(91_002, "Nouvelle SA", (Item("web"),)))
        await seed(app, standin, association_profile(91_100, "Les Tournesols"))
        asso = standin.users[91_100]
        assert older.confirmed_at == start
        stored = await organisations.get(svc(app).db, newer.id)
        assert stored is not None
        assert stored.confirmed_at == start + timedelta(days=60)

        shown = await asso.send("/matches", expect=3)
        cards = [m for m in shown if m.buttons]
        assert "Nouvelle SA" in cards[0].text, "recency follows the clock, not today's date"
        assert "Ancienne SA" in cards[1].text

        company = standin.users[91_002]
        mark = standin.event_count
        await asso.press("Intéressé", message=cards[0])
        [request] = await standin.wait_for_chat(company.id, mark, expect=1)
        mark = standin.event_count
        await company.press("Accepter", message=request, expect=2)
        await standin.wait_for_chat(asso.id, mark, expect=1)

        clock.advance(days=6, hours=23)
        before = len(asso.bot_messages)
        clock.advance(hours=1, seconds=1)
        await standin.wait_for(
            lambda: any("Avez-vous pris contact" in m.text for m in asso.bot_messages), 10
        )
        assert len(asso.bot_messages) == before + 1
