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
        ("   ", "(?i)message text is empty"),
    ],
)
async def test_bad_text_is_refused_with_400(
    standin: BotApiStandIn, bot: Bot, text: str, fragment: str
) -> None:
    standin.user(1)
    with pytest.raises(BadRequest, match=fragment):
        await bot.send_message(1, text, parse_mode="HTML")


def _over_limit(standin: BotApiStandIn) -> list[str]:
    """The violations recorded for requests over a limit (cleared: these tests send them on
    purpose)."""
    found = [v for v in standin.violations if v.startswith("over a limit")]
    standin.violations.clear()
    return found


async def test_the_length_limit_counts_text_after_markup(standin: BotApiStandIn, bot: Bot) -> None:
    """4096 visible characters pass even with markup and entities around them."""
    standin.user(1)
    await bot.send_message(1, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(1, "é" * 4000 + "😀" * 48)
    assert standin.violations == []
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(1, "é" * 4000 + "😀" * 49)  # emoji count twice in UTF-16
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(1, "<b>" + "&amp;" * 4097 + "</b>", parse_mode="HTML")
    assert _over_limit(standin) == [
        "over a limit: text of 4098 UTF-16 units (max 4096) (message is too long)",
        "over a limit: text of 4097 UTF-16 units (max 4096) (message is too long)",
    ]


async def test_telegram_wording_reaches_the_bot(standin: BotApiStandIn) -> None:
    """The HTTP answer is Telegram's own: 400 and "Bad Request: message is too long"."""
    standin.user(1)
    async with httpx.AsyncClient(base_url=f"{standin.base_url}{standin.token}/") as client:
        answer = await client.post("sendMessage", data={"chat_id": "1", "text": "😀" * 2049})
    assert answer.status_code == 400
    assert answer.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message is too long",
    }
    assert len(_over_limit(standin)) == 1


async def test_an_edit_is_held_to_the_same_limit(standin: BotApiStandIn, bot: Bot) -> None:
    """editMessageText counts like sendMessage; a refused edit leaves the message as it was."""
    marie = standin.user(1)
    sent = await bot.send_message(1, "court")
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.edit_message_text("😀" * 2049, chat_id=1, message_id=sent.message_id)
    assert marie.last.text == "court"
    await bot.edit_message_text("😀" * 2048, chat_id=1, message_id=sent.message_id)
    assert len(_over_limit(standin)) == 1


async def test_captions_are_limited_to_1024_units(standin: BotApiStandIn, bot: Bot) -> None:
    """A photo or document caption: 1024 UTF-16 units of visible text."""
    standin.user(1)
    png = b"\x89PNG fake"
    await bot.send_photo(1, png, caption="<b>" + "😀" * 512 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(1, png, caption="😀" * 512 + "&lt;", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_document(1, b"a,b", filename="x.csv", caption="é" * 1025)
    assert _over_limit(standin) == [
        "over a limit: caption of 1025 UTF-16 units (max 1024) (message caption is too long)",
        "over a limit: caption of 1025 UTF-16 units (max 1024) (message caption is too long)",
    ]


async def test_button_data_over_64_bytes_is_refused(standin: BotApiStandIn, bot: Bot) -> None:
    """64 bytes of UTF-8, not 64 characters: 32 "é" pass, 33 do not."""
    standin.user(1)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 32)]])
    await bot.send_message(1, "hi", reply_markup=fits)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(1, "hi", reply_markup=markup)
    assert _over_limit(standin) == ["over a limit: button data of 66 bytes (BUTTON_DATA_INVALID)"]


async def test_more_than_100_buttons_are_refused(standin: BotApiStandIn, bot: Bot) -> None:
    standin.user(1)
    rows = [[InlineKeyboardButton(str(n), callback_data=str(n))] for n in range(100)]
    await bot.send_message(1, "hi", reply_markup=InlineKeyboardMarkup(rows))
    rows.append([InlineKeyboardButton("101", callback_data="101")])
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.send_message(1, "hi", reply_markup=InlineKeyboardMarkup(rows))
    assert len(_over_limit(standin)) == 1


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
