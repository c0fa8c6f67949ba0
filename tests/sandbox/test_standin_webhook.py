"""The stand-in in webhook mode, and the bot's descriptions, as Telegram does them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from sandbox.standin import BotApiStandIn


class Receiver:
    """A bare webhook endpoint: records what Telegram POSTs, answers with `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.status = 200
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _post(self, request: web.Request) -> web.Response:
        if self.status != 200:
            return web.Response(status=self.status)
        header = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((await request.json(), header))
        return web.Response(text="")


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(standin.token, base_url=standin.base_url) as client:
        yield client


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


async def test_updates_are_posted_to_the_webhook_with_the_secret(
    standin: BotApiStandIn, bot: Bot, receiver: Receiver
) -> None:
    """After setWebhook, what a user sends arrives as a POST with the secret header, in order,
    and getUpdates is refused with 409 until deleteWebhook."""
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-Token_1")
    marie = standin.user(1, "Marie")
    standin.push_message(marie, text="/start")
    standin.push_message(marie, text="bonjour")
    await standin.wait_for(lambda: len(receiver.received) == 2)
    assert [u["message"]["text"] for u, _ in receiver.received] == ["/start", "bonjour"]
    assert {header for _, header in receiver.received} == {"s3cret-Token_1"}
    assert receiver.received[0][0]["update_id"] < receiver.received[1][0]["update_id"]
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (receiver.url, 0)

    assert await bot.delete_webhook()
    standin.push_message(marie, text="encore")
    updates = await bot.get_updates(timeout=1)
    assert [u.message.text for u in updates if u.message] == ["encore"]
    assert len(receiver.received) == 2


async def test_a_failing_webhook_is_retried_and_reported(
    standin: BotApiStandIn, bot: Bot, receiver: Receiver
) -> None:
    """While the bot answers 500, the update stays pending and getWebhookInfo says why; it
    is delivered once the bot answers 200."""
    receiver.status = 500
    await bot.set_webhook(receiver.url, secret_token="abc")
    standin.push_message(standin.user(1), text="/help")
    await standin.wait_for(lambda: standin.webhook_error is not None)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message is not None
    assert "500" in info.last_error_message
    receiver.status = 200
    await standin.wait_for(lambda: len(receiver.received) == 1)
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_webhooks_must_be_https_except_on_this_machine(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("http://bot.example.org/hook")
    with pytest.raises(BadRequest, match=r"(?i)secret token"):
        await bot.set_webhook("https://bot.example.org/hook", secret_token="not allowed!")


async def test_descriptions_by_language_within_telegrams_limits(
    standin: BotApiStandIn, bot: Bot
) -> None:
    await bot.set_my_description("Une passerelle", language_code="fr")
    await bot.set_my_short_description("Court", language_code="fr")
    await bot.set_my_description("A bridge")
    assert (await bot.get_my_description("fr")).description == "Une passerelle"
    assert (await bot.get_my_description()).description == "A bridge"
    assert (await bot.get_my_short_description("fr")).short_description == "Court"
    assert (await bot.get_my_short_description("en")).short_description == ""
    with pytest.raises(BadRequest):
        await bot.set_my_short_description("x" * 121, language_code="en")
    assert standin.violations == [
        "over a limit: short_description of 121 characters (max 120) (BOT_ABOUT_INVALID)"
    ]
    standin.violations.clear()
