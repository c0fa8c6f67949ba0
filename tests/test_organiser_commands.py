"""The organisers' commands reach organisers only; anyone else who types one is told politely
that it is not for them, and nothing else happens."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from bot.routes import ORGANISER_ONLY
from sandbox.standin import BotApiStandIn
from storage import moderation
from tests.harness import ORGANISER, svc


@pytest.mark.parametrize("command", [*ORGANISER_ONLY, "newevent"])
async def test_a_non_organiser_typing_an_organiser_command_is_refused_politely(
    standin: BotApiStandIn, app: BotApp, command: str
) -> None:
    someone = standin.user(77_001, "Quelqu'un")
    shown = await someone.send(f"/{command}", expect=1)
    assert shown[0].text == "Cette commande est réservée aux organisateurs du réseau."
    assert shown[0].buttons == []
    assert await moderation.audit_page(svc(app).db) == []


async def test_a_typed_yes_outside_a_form_points_to_the_buttons(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """An organiser who types « oui » under « Envoyer le programme ? », or a member who types
    "undo", is shown where to tap; an organiser is never asked to register, and a newcomer is
    still pointed to /start."""
    organiser = standin.user(ORGANISER, "Olivia")
    [answer] = await organiser.send("oui", expect=1)
    assert "touchez l'un de ses boutons" in answer.text
    [answer] = await organiser.send("Je voudrais savoir ce que je peux faire ici", expect=1)
    assert "/help" in answer.text
    assert "/start" not in answer.text
    newcomer = standin.user(77_002, "Nouveau")
    [answer] = await newcomer.send("oui", expect=1)
    assert "/start" in answer.text
