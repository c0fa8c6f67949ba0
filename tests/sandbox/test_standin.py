"""The stand-in answers like Telegram, errors included, as seen by python-telegram-bot itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from sandbox.standin import BotApiStandIn, FaultPlan
from sandbox.telegram_html import HtmlError, parse


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(standin.token, base_url=standin.base_url) as client:
        yield client


async def test_messages_are_delivered_to_the_chat(standin: BotApiStandIn, bot: Bot) -> None:
    marie = standin.user(1, "Marie")
    sent = await bot.send_message(1, "<b>Bonjour</b> &amp; bienvenue", parse_mode="HTML")
    assert sent.text == "Bonjour & bienvenue"
    assert marie.last.text == "Bonjour & bienvenue"
    edited = await bot.edit_message_text("Salut", chat_id=1, message_id=sent.message_id)
    assert isinstance(edited, object)
    assert marie.last.text == "Salut"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<b>unclosed", "(?i)can't find end tag"),
        ("a < b", "(?i)unclosed start tag"),
        ("<script>x</script>", '(?i)unsupported start tag "script"'),
        ("Tom & Jerry", "(?i)unsupported HTML entity"),
        ("x" * 4097, "(?i)message is too long"),
        ("   ", "(?i)message text is empty"),
    ],
)
async def test_bad_text_is_refused_with_400(
    standin: BotApiStandIn, bot: Bot, text: str, fragment: str
) -> None:
    standin.user(1)
    with pytest.raises(BadRequest, match=fragment):
        await bot.send_message(1, text, parse_mode="HTML")


async def test_the_length_limit_counts_text_after_markup(standin: BotApiStandIn, bot: Bot) -> None:
    """4096 visible characters pass even with markup and entities around them."""
    standin.user(1)
    await bot.send_message(1, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(1, "é" * 4000 + "😀" * 49)  # emoji count twice in UTF-16


async def test_button_data_over_64_bytes_is_refused(standin: BotApiStandIn, bot: Bot) -> None:
    standin.user(1)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1, "hi", reply_markup=markup)


async def test_blocked_user_gives_403_and_unknown_chat_400(
    standin: BotApiStandIn, bot: Bot
) -> None:
    standin.user(1)
    standin.block(1)
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(1, "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hi")


async def test_faults_answer_429_with_retry_after(standin: BotApiStandIn, bot: Bot) -> None:
    standin.user(1)
    standin.faults = FaultPlan(rate=1.0, statuses=(429,), retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "hi")
    assert caught.value.retry_after == timedelta(seconds=3)


async def test_identical_edit_is_not_modified(standin: BotApiStandIn, bot: Bot) -> None:
    standin.user(1)
    sent = await bot.send_message(1, "same")
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("same", chat_id=1, message_id=sent.message_id)


async def test_unknown_methods_and_parameters_are_reported(standin: BotApiStandIn) -> None:
    """A method that does not exist is a 404; an unknown parameter is refused and recorded."""
    async with httpx.AsyncClient(base_url=f"{standin.base_url}{standin.token}/") as client:
        missing = await client.post("sendMesage", data={"chat_id": "1", "text": "x"})
        assert missing.status_code == 404
        standin.user(1)
        typo = await client.post("sendMessage", data={"chat_id": "1", "txet": "x", "text": "y"})
        assert typo.status_code == 400
        assert "unknown parameter txet" in typo.json()["description"]
        wrong_token = await client.post(f"http://127.0.0.1:{standin.port}/bot1:wrong/getMe")
        assert wrong_token.status_code == 401
    assert standin.violations == [
        "unknown method sendMesage",
        "sendMessage: unknown parameter txet",
    ]
    standin.violations.clear()


async def test_answering_a_callback_twice_is_refused(standin: BotApiStandIn, bot: Bot) -> None:
    marie = standin.user(1)
    sent = await bot.send_message(
        1, "q", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="x")]])
    )
    assert sent.message_id
    query_id = standin.push_callback(marie, marie.last, "x")
    assert await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


def test_html_parser_keeps_text_and_unescapes() -> None:
    assert parse('<a href="https://t.me/x">lien</a> &quot;ok&quot; &#233;').text == 'lien "ok" é'
    with pytest.raises(HtmlError):
        parse("<b><i>x</b></i>")
