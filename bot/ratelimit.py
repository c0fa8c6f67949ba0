"""Telegram's flood limits, with people's replies ahead of bulk sending.

Telegram asks bots to stay under about 30 messages per second overall, about one per second
in a chat (short bursts are tolerated) and 20 per minute in a group, and answers 429 with a
`retry_after` when a bot goes faster. python-telegram-bot's `AIORateLimiter` keeps those limits
but serves every request in arrival order and stops *all* sending on any 429, so 1,000 queued
nudges make a user's answer wait behind them.

`PriorityRateLimiter` keeps the same limits with two differences:

- **Interactive before bulk.** A request waiting for the overall or a chat's budget is served
  before any waiting bulk request, and bulk sending never spends the last `reserve` share of
  the overall budget, so a reply rarely waits at all while nudges are being sent.
- **A 429 pauses what it is about.** A 429 on a send to one chat pauses that chat only
  (Telegram's per-chat flood control); a 429 without a chat, or 429s in two different chats
  at the same time (the bot as a whole is over its limit), pause every chat.

**The interface.** A send is interactive unless it says otherwise. Bulk sends (nudges,
agendas, match notifications: anything nobody is waiting for right now) pass
`rate_limit_args={"bulk": True}` to the Bot method, for example::

    await bot.send_message(chat_id, text, rate_limit_args={"bulk": True})

Throttling applies to requests that name a `chat_id` (sends, edits, deletions); others
(answering a button, setting the menu) only wait out a bot-wide 429. `getUpdates` is never
held back. A request that meets a 429 is retried after the pause, up to `max_retries` times.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

RateLimitArgs = dict[str, bool]
INTERACTIVE, BULK = 0, 1
# Telegram's own advice is to wait retry_after, plus a little for the clocks to agree.
_MARGIN = 0.1
# Chat budgets are forgotten once full again, but only looked at beyond this many.
_CHATS_KEPT = 512

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class _Bucket:
    """A token bucket whose waiters are served interactive first, then in arrival order.

    Refilled continuously at `rate` tokens per second up to `capacity`. A bulk request only
    takes a token when at least `reserve` tokens stay behind for interactive ones.
    """

    def __init__(self, rate: float, capacity: float, reserve: float = 0.0) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.reserve = min(reserve, self.capacity - 1)
        self.level = self.capacity
        self.paused_until = 0.0
        self._stamp: float | None = None
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._changed: asyncio.Event | None = None
        self._server: asyncio.Task[None] | None = None

    def _refill(self, now: float) -> None:
        if self._stamp is not None:
            self.level = min(self.capacity, self.level + (now - self._stamp) * self.rate)
        self._stamp = now

    def _floor(self, priority: int) -> float:
        return 1.0 + (self.reserve if priority == BULK else 0.0)

    def _take(self, priority: int, now: float) -> bool:
        if now < self.paused_until:
            return False
        self._refill(now)
        if self.level + 1e-9 < self._floor(priority):
            return False
        self.level -= 1
        return True

    def _delay(self, priority: int, now: float) -> float:
        """How long until the request at the head could take a token."""
        self._refill(now)
        missing = max(0.0, self._floor(priority) - self.level)
        return max(self.paused_until - now, missing / self.rate, 0.001)

    @property
    def idle(self) -> bool:
        """Nobody waits and the budget is full: the bucket can be forgotten."""
        loop = asyncio.get_running_loop()
        self._refill(loop.time())
        return (
            not self._waiters and self.level >= self.capacity and loop.time() >= self.paused_until
        )

    def pause(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self.paused_until = max(self.paused_until, loop.time() + seconds)
        self._poke()

    async def acquire(self, priority: int) -> None:
        loop = asyncio.get_running_loop()
        # Straight through when nobody of the same or higher priority is already waiting.
        ahead = bool(self._waiters) and self._waiters[0][0] <= priority
        if not ahead and self._take(priority, loop.time()):
            return
        waiter: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), waiter))
        self._poke()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.level += 1  # granted, then cancelled: give the token back
            raise

    def _poke(self) -> None:
        """Wake the server (a new head may be served sooner), or start it."""
        if self._changed is None:
            self._changed = asyncio.Event()
        self._changed.set()
        if self._server is None and self._waiters:
            self._server = asyncio.get_running_loop().create_task(self._serve())

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._changed is not None
        try:
            while self._waiters:
                priority, _, waiter = self._waiters[0]
                if waiter.done():
                    heapq.heappop(self._waiters)
                    continue
                if self._take(priority, loop.time()):
                    heapq.heappop(self._waiters)
                    waiter.set_result(None)
                    continue
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), self._delay(priority, loop.time()))
        finally:
            self._server = None


class PriorityRateLimiter(BaseRateLimiter[RateLimitArgs]):
    """Telegram's limits, interactive requests first, a 429 pausing only what it is about.

    `overall_max_rate` messages per second for the whole bot (0: no throttle, 429s are still
    waited out); `chat_max_rate` per private chat (0: none), with bursts of `chat_burst`;
    `group_max_rate` per `group_time_period` seconds in groups and channels.
    """

    def __init__(
        self,
        overall_max_rate: float = 30.0,
        *,
        chat_max_rate: float = 1.0,
        chat_burst: int = 10,
        group_max_rate: float = 20.0,
        group_time_period: float = 60.0,
        reserve: float = 0.2,
        max_retries: int = 3,
    ) -> None:
        self._throttled = overall_max_rate > 0
        self._overall = _Bucket(
            overall_max_rate or 1.0, overall_max_rate, reserve * overall_max_rate
        )
        self._chat_rate = chat_max_rate
        self._chat_burst = chat_burst
        self._group_rate = group_max_rate / group_time_period
        self._group_burst = group_max_rate
        self._chats: dict[int | str, _Bucket] = {}
        self._max_retries = max_retries
        # The chat of the latest per-chat 429 and until when it holds (to spot a global one).
        self._last_flood: tuple[int | str, float] | None = None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _chat(self, chat: int | str) -> _Bucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) > _CHATS_KEPT:
                for key in [k for k, b in self._chats.items() if b.idle]:
                    del self._chats[key]
            group = isinstance(chat, str) or chat < 0
            bucket = (
                _Bucket(self._group_rate, self._group_burst)
                if group
                else _Bucket(self._chat_rate or 1.0, self._chat_burst)
            )
            self._chats[chat] = bucket
        return bucket

    async def _admit(self, chat: int | str | None, priority: int) -> None:
        if chat is None:
            await _wait_until(self._overall.paused_until)
            return
        bucket = self._chat(chat)
        group = isinstance(chat, str) or chat < 0
        if self._throttled and (group or self._chat_rate > 0):
            await bucket.acquire(priority)
        else:
            # Not throttled, but a 429 about this chat is still waited out.
            await _wait_until(bucket.paused_until)
        if self._throttled:
            await self._overall.acquire(priority)
        else:
            await _wait_until(self._overall.paused_until)

    def _flood(self, chat: int | str | None, seconds: float) -> None:
        """A 429: pause the chat it is about, or everyone when it is the bot as a whole."""
        now = asyncio.get_running_loop().time()
        last = self._last_flood
        if chat is None or (last is not None and last[0] != chat and now < last[1]):
            log.warning("Telegram flood control for the whole bot: pausing %.1f s", seconds)
            # Every chat's request goes through the overall budget (or waits on its pause).
            self._overall.pause(seconds)
        else:
            log.info("Telegram flood control for one chat: pausing it %.1f s", seconds)
            self._chat(chat).pause(seconds)
        if chat is not None:
            self._last_flood = (chat, now + seconds)

    async def process_request(  # noqa: PLR0917 - the signature is python-telegram-bot's
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> JSON:
        if endpoint == "getUpdates":
            return await callback(*args, **kwargs)
        priority = BULK if rate_limit_args and rate_limit_args.get("bulk") else INTERACTIVE
        chat = _chat_key(data.get("chat_id"))
        for attempt in range(self._max_retries + 1):
            await self._admit(chat, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._max_retries:
                    raise
                self._flood(chat, _seconds(exc.retry_after) + _MARGIN)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _chat_key(value: object) -> int | str | None:
    """An integer chat id, or a channel's @username; None for requests about no chat."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return text


def _seconds(value: timedelta | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _wait_until(moment: float) -> None:
    delay = moment - asyncio.get_running_loop().time()
    if delay > 0:
        await asyncio.sleep(delay)
