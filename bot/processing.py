"""Concurrent update processing that keeps each chat's updates in order and each chat to its
share of the bot.

Each chat has a queue: only the update at its head holds one of the concurrency slots, the
others wait without holding any. So one user sending 2,000 messages occupies one slot, not all
of them, and everybody else's updates go on being processed. Beyond `max_pending_per_chat`
updates waiting in one chat, new ones are dropped before any handler sees them (nothing is
stored, so nothing can be half-done) and the chat is told once per burst.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# Whether an update may go on (it may wait first); False means it was answered otherwise.
Admission = Callable[[Update], Awaitable[bool]]
Notice = Callable[[Update], Awaitable[None]]


@dataclass(slots=True)
class _ChatQueue:
    # asyncio.Lock wakes its waiters first come, first served: that is the chat's queue.
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0
    told: bool = False  # told to slow down during this burst


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Many chats at once, one update at a time within a chat, a bounded backlog per chat.

    Users registering at the same time must not wait for each other, two quick answers from
    the same user must be applied in the order they were sent, and a flood in one chat must
    not make the others wait.

    `admit` (optional) is awaited for each update at the head of its chat's queue, before it
    takes a slot: waiting there (e.g. for the match index at start-up) holds no slot.
    `on_overflow` is called once per burst when a chat's updates start being dropped.
    """

    def __init__(
        self,
        max_concurrent_updates: int,
        *,
        max_pending_per_chat: int = sys.maxsize,
        admit: Admission | None = None,
        on_overflow: Notice | None = None,
    ) -> None:
        # The base class's semaphore would be taken before we know the chat: it gets no real
        # limit, and our own slots are taken only by the update at the head of a chat's queue.
        super().__init__(sys.maxsize)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._max_pending = max_pending_per_chat
        self._chats: dict[int, _ChatQueue] = {}
        self.admit = admit
        self.on_overflow = on_overflow

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None or not isinstance(update, Update):
            async with self._slots:
                await coroutine
            return
        queue = self._chats.setdefault(chat.id, _ChatQueue())
        if queue.pending >= self._max_pending:
            _discard(coroutine)
            if not queue.told:
                queue.told = True
                log.warning("a chat's backlog is full: dropping from update %s", update.update_id)
                await self._tell(update)
            return
        queue.pending += 1
        try:
            async with queue.turn:
                if self.admit is not None and not await self.admit(update):
                    _discard(coroutine)
                    return
                async with self._slots:
                    await coroutine
        finally:
            queue.pending -= 1
            if queue.pending == 0:
                # The burst is over: the next one is told again.
                del self._chats[chat.id]

    def backlog(self, chat_id: int) -> int:
        """Updates of that chat waiting or being processed (0: its burst, if any, is over)."""
        queue = self._chats.get(chat_id)
        return queue.pending if queue is not None else 0

    async def _tell(self, update: Update) -> None:
        if self.on_overflow is None:
            return
        try:
            await self.on_overflow(update)
        except Exception:
            log.exception("could not tell a flooding chat to slow down")

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _discard(coroutine: Awaitable[Any]) -> None:
    """Drop an update's processing before it starts (and without a never-awaited warning)."""
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
