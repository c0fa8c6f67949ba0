"""Unexpected errors reach a human (ADMIN_CHAT_ID) in one line, without personal data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import load_catalogues
from handlers.errors import ErrorAlerts, kind_of
from sandbox.scenarios import association_profile
from sandbox.standin import BotApiStandIn
from storage import organisations
from tests.harness import bot_running, seed

ADMIN = 8_000


async def test_an_unexpected_error_sends_the_admin_one_line_without_personal_data(
    standin: BotApiStandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user is told something went wrong; the admin chat gets the kind of error, the
    handler and the update id, never the error's message, names or the token; the same
    error again within 10 minutes sends nothing more."""
    admin = standin.user(ADMIN, "Admin")
    marie = standin.user(5101, "Marie")
    async with bot_running(standin, db_path, admin_chat_id=ADMIN) as (app, _):
        await seed(app, standin, association_profile(5101, "Les Tournesols"))

        async def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("Marie Dupont, 06 12 34 56 78, Les Tournesols")

        monkeypatch.setattr(organisations, "get_by_owner", broken)
        shown = await marie.send("/profile", expect=1)
        assert "Un souci de mon côté" in shown[-1].text
        await standin.wait_for(lambda: len(admin.bot_messages) == 1)
        line = admin.bot_messages[0].text
        assert "RuntimeError" in line
        assert "handlers.commands.profile_command" in line
        assert "Marie" not in line
        assert "06 12" not in line
        assert "Tournesols" not in line
        assert standin.token.split(":")[1] not in line
        assert "\n" not in line
        found = re.search(r"\(mise à jour (\d+)\)", line)
        assert found is not None, line
        assert int(found.group(1)) >= 100_000, "the stand-in's update ids"

        shown = await marie.send("/profile", expect=1)
        assert "Un souci de mon côté" in shown[-1].text
    assert len(admin.bot_messages) == 1, "one line per kind and handler every 10 minutes"


def test_alerts_are_rate_limited_per_kind_and_handler() -> None:
    alerts = ErrorAlerts(ADMIN, every=600)
    assert alerts.due("KeyError", "handlers.matches.interested")
    assert not alerts.due("KeyError", "handlers.matches.interested")
    assert alerts.due("KeyError", "handlers.event_people.toggle_wish")
    assert alerts.due("ValueError", "handlers.matches.interested")
    assert ErrorAlerts(ADMIN, every=0).due("KeyError", "x")


def test_the_kind_names_the_class_only() -> None:
    import sqlite3  # noqa: PLC0415

    assert kind_of(ValueError("Marie")) == "ValueError"
    assert kind_of(sqlite3.OperationalError("database is locked")) == "sqlite3.OperationalError"


def test_the_alert_text_exists_in_both_languages() -> None:
    catalogues = load_catalogues()
    for lang in ("fr", "en"):
        assert "{kind}" in catalogues[lang]["error.alert"]
