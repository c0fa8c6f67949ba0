"""The dispatcher: one loop that sends everything the bot says on its own.

Each turn it (1) turns due nudges and match notifications into outbox rows (handlers decide
what they say and whether they still apply), then (2) sends the outbox rows that are due, and
(3) sleeps until the next due time, or until a handler rings the doorbell because it queued
something. `idle_check` only bounds the sleep, as a safety net (and lets a test clock that
jumps be noticed); a row due at 14:00:00 is looked at at 14:00:00.

How Telegram's answers are handled (core.delivery.Outcome):
- sent: marked sent with its message id;
- 5xx, timeout, network error: tried again after 2 s, 4 s, 8 s ... at most 15 min apart;
- 429: tried again after the retry_after Telegram asked for;
- 403: the person blocked the bot: their organisation is marked unreachable, their messages
  are held, and sent when they write to the bot again;
- 400: the message is wrong (a bug): logged without its content, never retried.
Rows of one chat are sent in order; different chats are served concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InputFile, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from core.delivery import MAX_ATTEMPTS, Outcome, OutMessage, retry_delay
from handlers import notifications
from handlers.context import Services, keyboard
from storage import organisations, outbox
from storage.outbox import Queued

log = logging.getLogger(__name__)

# A planner turns what fell due into outbox rows; it returns when it next needs to run.
Planner = Callable[[Services, datetime], Awaitable[datetime | None]]


async def send(bot: ExtBot[dict[str, bool]], message: OutMessage) -> Message:
    """One outbox message as one Bot API call."""
    markup = keyboard(message.buttons)
    # Bulk messages give way to replies people are waiting for (bot/ratelimit.py).
    priority = {"bulk": message.bulk}
    attachment = message.attachment
    if attachment is None:
        return await bot.send_message(
            message.chat_id,
            message.text,
            reply_markup=markup,
            rate_limit_args=priority,
        )
    file = InputFile(io.BytesIO(attachment.content), filename=attachment.filename)
    caption = message.text or None
    if attachment.as_photo:
        return await bot.send_photo(
            message.chat_id, file, caption=caption, reply_markup=markup,
            rate_limit_args=priority,
        )  # fmt: skip
    return await bot.send_document(
        message.chat_id, file, caption=caption, reply_markup=markup,
        rate_limit_args=priority,
    )  # fmt: skip


def classify(error: TelegramError) -> tuple[Outcome, timedelta | None]:
    """What a failed send means for delivery, and how long Telegram asked us to wait."""
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return Outcome.THROTTLED, timedelta(seconds=seconds)
    if isinstance(error, Forbidden):
        return Outcome.BLOCKED, None
    # BadRequest is a NetworkError subclass in python-telegram-bot: test it first.
    if isinstance(error, BadRequest):
        return Outcome.REFUSED, None
    if isinstance(error, NetworkError):  # 5xx, timeouts, connection errors
        return Outcome.RETRY, None
    return Outcome.RETRY, None


@dataclass
class Stats:
    """What the dispatcher did since start-up (for logs, benchmarks and metrics)."""

    sent: int = 0
    retried: int = 0
    throttled: int = 0
    blocked: int = 0
    refused: int = 0


class Dispatcher:
    def __init__(
        self,
        bot: ExtBot[dict[str, bool]],
        svc: Services,
        doorbell: asyncio.Event,
        planners: Sequence[Planner],
        *,
        idle_check: float,
        concurrency: int = 8,
    ) -> None:
        self._bot = bot
        self._svc = svc
        self._doorbell = doorbell
        self._planners = planners
        self._idle_check = idle_check
        self._slots = asyncio.Semaphore(concurrency)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.stats = Stats()

    async def start(self) -> None:
        """Resend what a dead process left in flight, then start the loop."""
        recovered = await outbox.recover(self._svc.db)
        if recovered:
            log.info("%s outbox messages were in flight at the last stop: sending again", recovered)
        self._task = asyncio.create_task(self._run(), name="dispatcher")

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the sends in flight (so a clean stop sends nothing twice), then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._doorbell.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            self._doorbell.clear()
            try:
                wake_at = await self.turn()
            except Exception:
                # A bug in one turn must not stop delivery for good.
                log.exception("dispatcher turn failed")
                wake_at = None
            now = self._svc.clock()
            delay = self._idle_check
            if wake_at is not None:
                delay = min(delay, max(0.0, (wake_at - now).total_seconds()))
            # A floor, so that a planner that keeps finding work cannot starve the bot.
            delay = max(delay, 0.01)
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._doorbell.wait(), delay)

    async def turn(self) -> datetime | None:
        """Plan what fell due, send what is ready; returns when something is next due."""
        now = self._svc.clock()
        wakes: list[datetime] = []
        for planner in self._planners:
            when = await planner(self._svc, now)
            if when is not None:
                wakes.append(when)
        while not self._stopping:
            batch = await outbox.ready(self._svc.db, self._svc.clock())
            if not batch:
                break
            by_chat: dict[int, list[Queued]] = {}
            for row in batch:
                by_chat.setdefault(row.message.chat_id, []).append(row)
            results = await asyncio.gather(*(self._send_chat(rows) for rows in by_chat.values()))
            if not any(results):
                break
        upcoming = await outbox.next_due(self._svc.db)
        if upcoming is not None:
            wakes.append(upcoming)
        return min(wakes) if wakes else None

    async def _send_chat(self, rows: list[Queued]) -> bool:
        """A chat's rows in order; stops at the first that is not delivered."""
        progressed = False
        async with self._slots:
            for row in rows:
                if self._stopping or not await self._send_one(row):
                    break
                progressed = True
        return progressed

    async def _send_one(self, row: Queued) -> bool:
        svc = self._svc
        if not await outbox.claim(svc.db, row.id, svc.clock()):
            return False
        if not await notifications.still_wanted(svc, row.message):
            # Queued before the two organisations met otherwise (a request since): superseded.
            await outbox.cancel(svc.db, row.id)
            return True
        try:
            sent = await send(self._bot, row.message)
        except TelegramError as error:
            await self._failed(row, error)
            return False
        await outbox.mark_sent(svc.db, row.id, sent.message_id, svc.clock())
        self.stats.sent += 1
        return True

    async def _failed(self, row: Queued, error: TelegramError) -> None:
        svc = self._svc
        now = svc.clock()
        outcome, wait = classify(error)
        kind = row.message.kind
        if outcome is Outcome.BLOCKED:
            self.stats.blocked += 1
            await outbox.hold_chat(svc.db, row.message.chat_id)
            if row.message.recipient_id is not None:
                await organisations.mark_unreachable(svc.db, row.message.recipient_id, now)
            log.info("outbox %s (%s): recipient blocked the bot; held", row.id, kind)
            return
        if outcome is Outcome.REFUSED or row.attempts + 1 >= MAX_ATTEMPTS:
            self.stats.refused += 1
            # Telegram's description names the problem, never the message's content.
            log.error("outbox %s (%s) refused by Telegram, not retried: %s", row.id, kind, error)
            await outbox.fail(svc.db, row.id, str(error))
            return
        if outcome is Outcome.THROTTLED:
            self.stats.throttled += 1
            delay = wait or retry_delay(row.attempts + 1)
        else:
            self.stats.retried += 1
            delay = retry_delay(row.attempts + 1)
        log.warning("outbox %s (%s) not delivered (%s); again in %s", row.id, kind, error, delay)
        await outbox.retry(svc.db, row.id, now + delay, type(error).__name__)
