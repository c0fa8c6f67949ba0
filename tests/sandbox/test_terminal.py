"""The sandbox's terminal chat, driving the real bot through the stand-in as a person would."""

from __future__ import annotations

import re

import pytest

from bot.app import BotApp
from core.delivery import OutMessage
from sandbox.__main__ import HELP, ORGANISER, TerminalChat
from sandbox.standin import BotApiStandIn
from storage import outbox
from tests.harness import svc


@pytest.fixture
def screen() -> list[str]:
    return []


@pytest.fixture
def chat(standin: BotApiStandIn, app: BotApp, screen: list[str]) -> TerminalChat:
    return TerminalChat(standin, out=screen.append)


def shown(screen: list[str]) -> str:
    return "\n".join(screen)


async def test_buttons_are_pressed_with_a_hash_and_digits_are_text(
    chat: TerminalChat, screen: list[str]
) -> None:
    """`#n` presses a numbered button; a digits-only line is typed, e.g. a phone number."""
    await chat.act("/start")
    assert "[#1] 🤲 Association" in shown(screen)
    screen.clear()
    await chat.act("0612345678")
    assert any(m.text == "0612345678" and not m.from_bot for m in chat.current.messages), (
        "sent as text, not a press"
    )
    assert "Touchez l'un des boutons" in shown(screen), "and the bot answered the text"
    screen.clear()
    await chat.act("#1")
    assert "de votre organisation ?" in shown(screen)


async def test_any_button_still_on_screen_can_be_pressed(
    chat: TerminalChat, screen: list[str]
) -> None:
    """A button of an earlier message works; a number that was never shown is refused."""
    await chat.act("/start")
    english = re.search(r"\[#(\d+)\] 🇬🇧 English", shown(screen))
    assert english is not None
    await chat.act("bonjour")  # the question is asked again, with new numbers
    await chat.act(f"#{english.group(1)}")  # the first question's button still works
    assert "You represent" in shown(screen)
    await chat.act("#999")
    assert "No button #999 on Marie's screen." in screen


async def test_switching_user_shows_what_they_received_meanwhile(
    chat: TerminalChat, screen: list[str], standin: BotApiStandIn, app: BotApp
) -> None:
    """A message for someone else is announced; `:user` then shows it."""
    await chat.act("/help")
    await chat.act(":new Paul en")
    marie = standin.users[1001]
    await outbox.put(
        svc(app).db, [OutMessage(marie.id, "test", "Un message pour Marie")], svc(app).clock()
    )
    svc(app).wake()
    await standin.wait_for(lambda: "Un message pour Marie" in marie.last.text, 5)
    screen.clear()
    await chat.act("/help")
    assert "📨 1 new for Marie (:user 1001)" in shown(screen)
    screen.clear()
    await chat.act(":user 1001")
    assert "Un message pour Marie" in shown(screen)
    assert "Passerelle" not in shown(screen), "only what arrived since Marie last looked"


async def test_new_users_never_reuse_an_id_and_help_names_the_organiser(
    chat: TerminalChat, screen: list[str], standin: BotApiStandIn
) -> None:
    standin.user(5000, "Ancien")
    await chat.act(":new Zoé")
    assert chat.current.id == 5001
    await chat.act(":help")
    assert f":user {ORGANISER}" in HELP
    assert "/newevent" in shown(screen)


async def test_the_keyboard_under_the_text_field_is_shown_and_its_keys_tapped(
    chat: TerminalChat, screen: list[str]
) -> None:
    """At the phone question, Telegram's keyboard (📱 share my number, back, skip) appears under
    the text field: the terminal prints it, and `k1` shares the user's number."""
    user = chat.current
    await user.send("/start")
    await user.press("Association")
    await user.send("Les Jardins")
    await user.send("Nous animons des jardins partagés.")
    await user.send("Esch-sur-Alzette")
    await user.send("conseil en communication", expect=2)
    await user.press("Terminé")
    await user.press("Terminé")
    await user.send("Aline Schmitt")
    await user.send("aline@jardins.example")
    await chat.show_new()
    keyboard = next(line for line in screen if line.startswith("⌨️"))
    assert "[k1] 📱" in keyboard
    screen.clear()
    await chat.act("k1")
    assert "Êtes-vous d'accord" in shown(screen), "the number was taken: the consent is asked"
    await chat.act("k9")
    assert any("No key k9" in line for line in screen)
