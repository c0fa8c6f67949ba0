"""One chat cannot hold up the others: a flood is cut off politely and others are answered."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.processing import PerChatUpdateProcessor
from sandbox.standin import BotApiStandIn
from tests.harness import bot_running

FLOOD = 300
SLOW_DOWN = "faster than I can read them"


async def test_a_flood_in_one_chat_does_not_hold_up_another(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """While one user pushes 300 messages at once, another user's /help is answered before the
    flooder's backlog is through; the flooder is told exactly once, in their language, to slow
    down, most of the flood is skipped, and the bot answers the flooder again afterwards."""
    flooder = standin.user(7001, "Flo", language_code="en")
    other = standin.user(7002, "Oli", language_code="en")
    # Replies in one chat at one a second (Telegram's pace) make the flooder's backlog last.
    async with bot_running(standin, db_path, telegram_chat_rate=1, max_pending_per_chat=15) as (
        app,
        _,
    ):
        processor = app.update_processor
        assert isinstance(processor, PerChatUpdateProcessor)
        for i in range(FLOOD):
            standin.push_message(flooder, text=f"spam {i}")
        [help_answer] = await other.send("/help")
        assert "/start" in help_answer.text

        async def burst_over() -> None:
            # Polled: the backlog empties just after the last answer is recorded.
            while standin.pending_updates or processor.backlog(flooder.id):  # noqa: ASYNC110
                await asyncio.sleep(0.05)

        await asyncio.wait_for(burst_over(), 60)
        flood_answers = [e for e in standin.chat_events(flooder.id) if e.method == "sendMessage"]
        help_event = next(e for e in standin.chat_events(other.id) if e.method == "sendMessage")
        # The other user did not wait behind the flooder's backlog.
        assert help_event.seq < flood_answers[-1].seq
        notices = [m for m in flooder.bot_messages if SLOW_DOWN in m.text]
        assert len(notices) == 1
        # Most of the flood was skipped, not queued for minutes.
        assert len(flood_answers) < FLOOD // 3

        # The burst is over: the flooder is answered normally again.
        [answer] = await flooder.send("/help")
        assert "/start" in answer.text
        assert sum(SLOW_DOWN in m.text for m in flooder.bot_messages) == 1
