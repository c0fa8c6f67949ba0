"""Webhook mode: Telegram (the stand-in) POSTs updates to the bot, which behaves as it does
with long polling, and refuses any request without the secret."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import observe
from bot.app import BotApp
from sandbox.standin import BotApiStandIn
from storage import conversations
from tests.harness import bot_running

SECRET = "s3cret_Token-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def webhook_bot(
    standin: BotApiStandIn, db_path: Path, **overrides: object
) -> AsyncIterator[tuple[BotApp, str]]:
    """The bot in webhook mode, its server on a free port of this machine."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/updates"
    async with bot_running(
        standin, db_path, webhook_url=url, webhook_port=port, webhook_secret=SECRET, **overrides
    ) as (app, _):
        yield app, url


def update_from(user_id: int, text: str, update_id: int = 77_777) -> dict[str, Any]:
    """A message update as Telegram would POST it."""
    person = {"id": user_id, "is_bot": False, "first_name": "Eve", "language_code": "fr"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Eve"},
            "from": person,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_registration_works_the_same_over_a_webhook(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """The bot sets its webhook with the secret and never polls; /start, the language and
    kind buttons and the name work as with long polling. Back on polling, the bot deletes the
    webhook and the same conversation goes on."""
    marie = standin.user(3001, "Marie")
    async with webhook_bot(standin, db_path) as (_, url):
        assert standin.webhook is not None
        assert (standin.webhook["url"], standin.webhook["secret_token"]) == (url, SECRET)
        shown = await marie.send("/start")
        assert "Bienvenue" in shown[-1].text
        await marie.press("Français")
        await marie.press("Association")
        shown = await marie.send("Les Tournesols")
        assert "que fait" in shown[-1].text.lower()
        assert standin.webhook_deliveries == 4
    assert [m for m, _ in standin.requests if m == "getUpdates"] == []

    async with bot_running(standin, db_path) as _:
        shown = await marie.send("Épicerie solidaire du quartier")
        assert "Où" in shown[-1].text
    assert standin.webhook is None


async def test_requests_without_the_secret_are_refused_and_not_processed(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """A POST without the secret header, or with a wrong one, gets 403 and changes nothing;
    Telegram's own deliveries still go through."""
    eve = standin.user(3002, "Eve")
    async with webhook_bot(standin, db_path) as (app, url):
        async with httpx.AsyncClient(timeout=5) as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                response = await http.post(url, json=update_from(3002, "/start"), headers=headers)
                assert response.status_code == 403
        shown = await standin.user(3003, "Paul").send("/help")
        assert shown
        await asyncio.sleep(0.3)
        assert eve.messages == []
        metrics = app.bot_data["operations"].metrics
        assert metrics.registry.get_sample_value("passerelle_updates_total") == 1
        stored = await conversations.states(app.bot_data["services"].db, "registration")
        assert (3002, 3002) not in stored


async def test_health_in_webhook_mode_follows_telegrams_delivery(
    standin: BotApiStandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Healthy while Telegram delivers; unhealthy once it holds updates it cannot deliver
    (here: the secret on Telegram's side no longer matches, so the bot refuses them)."""
    monkeypatch.setattr(observe, "WEBHOOK_INFO_EVERY", 0.0)
    async with webhook_bot(standin, db_path, http_port=0) as (app, _):
        health_url = f"http://127.0.0.1:{app.bot_data['operations'].server.port}/healthz"
        await standin.user(3004, "Paul").send("/help")
        async with httpx.AsyncClient(timeout=5) as http:
            response = await http.get(health_url)
            assert response.status_code == 200, response.text
            assert standin.webhook is not None
            standin.webhook["secret_token"] = "rotated-elsewhere"
            standin.push_message(standin.users[3004], text="/help")
            await standin.wait_for(lambda: standin.webhook_error is not None)
            response = await http.get(health_url)
        assert response.status_code == 503
        assert "updates: Telegram holds 1 updates it could not deliver" in response.text
        assert "403" in response.text
