"""The organisers' commands reach organisers only; anyone else who types one is told politely
that it is not for them, and nothing else happens."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from bot.routes import ORGANISER_ONLY
from sandbox.standin import BotApiStandIn
from storage import moderation
from tests.harness import svc


@pytest.mark.parametrize("command", [*ORGANISER_ONLY, "newevent"])
async def test_a_non_organiser_typing_an_organiser_command_is_refused_politely(
    standin: BotApiStandIn, app: BotApp, command: str
) -> None:
    someone = standin.user(77_001, "Quelqu'un")
    shown = await someone.send(f"/{command}", expect=1)
    assert shown[0].text == "Cette commande est réservée aux organisateurs du réseau."
    assert shown[0].buttons == []
    assert await moderation.audit_page(svc(app).db) == []
