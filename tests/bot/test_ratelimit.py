"""The rate limiter: people's replies before bulk sends, a 429 pausing only what it is about."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter

from bot.ratelimit import PriorityRateLimiter

PAUSE = 0.4  # retry_after in these tests, in seconds


class FakeTelegram:
    """Stands for the HTTP call the limiter wraps: records what went through, in order, and
    answers 429 to the chats told to."""

    def __init__(self, flood: set[int] | None = None) -> None:
        self.sent: list[str] = []
        self.flood = set(flood or ())

    def call(self, label: str, chat: int) -> Any:
        async def request() -> bool:
            if chat in self.flood:
                self.flood.discard(chat)
                raise RetryAfter(timedelta(seconds=PAUSE))
            self.sent.append(label)
            return True

        return request


async def send(
    limiter: PriorityRateLimiter, telegram: FakeTelegram, label: str, chat: int, bulk: bool
) -> None:
    await limiter.process_request(
        telegram.call(label, chat),
        args=(),
        kwargs={},
        endpoint="sendMessage",
        data={"chat_id": chat, "text": label},
        rate_limit_args={"bulk": True} if bulk else None,
    )


async def mark_after(telegram: FakeTelegram, seconds: float) -> None:
    await asyncio.sleep(seconds)
    telegram.sent.append("half of the pause")


async def test_a_reply_overtakes_queued_bulk_sends() -> None:
    """With 25 nudges queued behind the overall limit, a reply goes out among the first."""
    limiter = PriorityRateLimiter(10, chat_max_rate=0)
    telegram = FakeTelegram()
    nudges = [
        asyncio.create_task(send(limiter, telegram, f"nudge {i}", i, True)) for i in range(25)
    ]
    await asyncio.sleep(0)
    await send(limiter, telegram, "reply", 1000, False)
    assert telegram.sent.index("reply") <= 10
    await asyncio.gather(*nudges)
    assert len(telegram.sent) == 26


async def test_a_429_in_one_chat_pauses_that_chat_only() -> None:
    """Telegram's flood control for one chat: that chat waits retry_after, the others not."""
    limiter = PriorityRateLimiter(30)
    telegram = FakeTelegram(flood={1})
    flooded = asyncio.create_task(send(limiter, telegram, "chat 1", 1, False))
    await asyncio.sleep(0.01)  # chat 1 has met its 429
    probe = asyncio.create_task(mark_after(telegram, PAUSE / 2))
    await send(limiter, telegram, "chat 2", 2, False)
    await asyncio.gather(flooded, probe)
    assert telegram.sent == ["chat 2", "half of the pause", "chat 1"]


async def test_429s_in_two_chats_at_once_pause_every_chat() -> None:
    """Two chats flooded at the same time means the bot as a whole is over its limit."""
    limiter = PriorityRateLimiter(30)
    telegram = FakeTelegram(flood={1, 2})
    flooded = [asyncio.create_task(send(limiter, telegram, f"chat {c}", c, False)) for c in (1, 2)]
    await asyncio.sleep(0.01)
    probe = asyncio.create_task(mark_after(telegram, PAUSE / 2))
    await send(limiter, telegram, "chat 3", 3, False)
    await asyncio.gather(*flooded, probe)
    assert telegram.sent[0] == "half of the pause"
    assert sorted(telegram.sent[1:]) == ["chat 1", "chat 2", "chat 3"]


async def test_without_a_throttle_a_429_is_still_waited_out() -> None:
    """TELEGRAM_MAX_RATE=0 turns throttling off, not Telegram's flood control."""
    limiter = PriorityRateLimiter(0)
    telegram = FakeTelegram(flood={1})
    flooded = asyncio.create_task(send(limiter, telegram, "chat 1", 1, False))
    await asyncio.sleep(0.01)
    probe = asyncio.create_task(mark_after(telegram, PAUSE / 2))
    await send(limiter, telegram, "chat 2", 2, False)
    await asyncio.gather(flooded, probe)
    assert telegram.sent == ["chat 2", "half of the pause", "chat 1"]
