"""The bot presents itself: description and short description in French and English."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import load_catalogues
from sandbox.standin import MAX_DESCRIPTION, MAX_SHORT_DESCRIPTION, BotApiStandIn
from tests.harness import bot_running

CATALOGUES = load_catalogues()


async def test_descriptions_are_published_in_both_languages_once(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """At start-up the bot sets both texts per language (French for everyone else, the
    default language); a restart with the same texts sets nothing again."""
    async with bot_running(standin, db_path):
        pass
    for code, lang in (("fr", "fr"), ("en", "en"), ("", "fr")):
        assert standin.descriptions[code] == CATALOGUES[lang]["about.description"]
        assert standin.short_descriptions[code] == CATALOGUES[lang]["about.short_description"]
    sets = [m for m, _ in standin.requests if m.startswith("setMy") and "Description" in m]
    assert len(sets) == 6

    async with bot_running(standin, db_path, default_language="en"):
        pass
    sets_after = [m for m, _ in standin.requests if m.startswith("setMy") and "Description" in m]
    assert len(sets_after) == 6 + 2, "only the default language's texts changed"
    assert standin.descriptions[""] == CATALOGUES["en"]["about.description"]


def test_descriptions_fit_telegrams_limits() -> None:
    for lang in ("fr", "en"):
        assert len(CATALOGUES[lang]["about.description"]) <= MAX_DESCRIPTION
        assert len(CATALOGUES[lang]["about.short_description"]) <= MAX_SHORT_DESCRIPTION
