"""What handlers need from the wiring, and small helpers every handler uses."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import CallbackContext, ExtBot

from core.delivery import Button, DeliveryPolicy
from core.i18n import Html, Translator, pick_language
from core.matching import Candidate, MatchIndex, explain_pair
from core.models import Organisation
from core.pipeline import NudgeDelays
from core.taxonomy import Taxonomy
from core.text import split_html
from core.timing import QuietHours
from storage import organisations, users
from storage.db import Database

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MatchingPolicy:
    """How matching reaches people: thresholds, caps, quiet hours, expiry."""

    strong_score: float
    per_day: int
    quiet: QuietHours
    zone: tzinfo
    request_expiry: timedelta
    max_pending: int
    nudges: NudgeDelays
    nudges_per_day: int
    event_reminders: tuple[timedelta, ...]


@dataclass(frozen=True, slots=True)
class Services:
    """Created once at start-up (bot.app) and reached from any handler via `ctx.services`."""

    db: Database
    t: Translator
    taxonomy: Taxonomy
    organiser_ids: frozenset[int]
    default_language: str
    index: MatchIndex
    policy: MatchingPolicy
    clock: Callable[[], datetime]
    # Rung after queueing outbox messages: the dispatcher sends them at once.
    wake: Callable[[], None]

    def explain(
        self, reader: Organisation, other: Organisation, now: datetime | None = None
    ) -> Candidate:
        """`explain_pair` as the match list ranks: with the index's weights, and how telling
        each concept and word is among the organisations it holds (a card, a digest line and
        the list agree)."""
        return explain_pair(reader, other, now or self.clock(), self.index.weights, self.index)

    @property
    def delivery(self) -> DeliveryPolicy:
        """Quiet hours and daily caps, for everything the bot sends on its own."""
        return DeliveryPolicy(self.policy.quiet, self.policy.zone)


# Sends may pass rate_limit_args={"bulk": True}: see the rate limiter (bot/ratelimit.py).
class Context(
    CallbackContext[ExtBot[dict[str, bool]], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    """The context every handler gets (`ContextTypes(context=Context)` in bot.app)."""

    @property
    def services(self) -> Services:
        found = self.bot_data["services"]
        assert isinstance(found, Services)
        return found


async def language_of(update: Update, ctx: Context) -> str:
    """The user's chosen language, else their Telegram app's, else the default."""
    svc = ctx.services
    user = update.effective_user
    if user is None:
        return svc.default_language
    chosen = await users.get_language(svc.db, user.id)
    return chosen or pick_language(user.language_code, svc.default_language)


async def whoami(update: Update, ctx: Context) -> tuple[Services, str, Organisation | None]:
    """The services, the user's language, and their organisation (None if not registered)."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    return svc, lang, await organisations.get_by_owner(svc.db, update.effective_user.id)


async def form_gone(update: Update, ctx: Context) -> None:
    """A message for a form whose stored answers are gone (erased by /delete while it was
    open): says what the bot can do, rather than nothing."""
    svc, lang, org = await whoami(update, ctx)
    await reply(update, svc.t(lang, "fallback.registered" if org else "fallback.newcomer"))


# A direct answer is tried again after these pauses when Telegram fails (5xx, timeout,
# network): the person is waiting for it, so the pauses are short.
REPLY_RETRIES = (0.3, 1.0)


async def _patiently(call: Callable[[], Awaitable[T]]) -> T:
    """`call`, again after a short pause when the failure was transient."""
    for pause in (*REPLY_RETRIES, None):
        try:
            return await call()
        except BadRequest:
            raise  # a BadRequest is a NetworkError in python-telegram-bot, but never transient
        except NetworkError:
            if pause is None:
                raise
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")


async def reply(
    update: Update,
    text: Html,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
) -> Message | None:
    """Send a new HTML message in the update's chat (tried again on a transient failure); a
    text over Telegram's limit goes as several messages, the buttons under the last. Returns
    the message with the buttons."""
    chat = update.effective_chat
    if chat is None:
        return None
    *first, last = split_html(text)
    for part in first:
        await _patiently(lambda part=part: chat.send_message(part))  # type: ignore[misc]
    return await _patiently(lambda: chat.send_message(last, reply_markup=markup))


@asynccontextmanager
async def asking(step: object) -> AsyncIterator[None]:
    """Around the sending of a conversation's next question, once its step is stored.

    If Telegram cannot take the question even after retries, the stored step still stands and
    the handler still returns it, so python-telegram-bot's state in memory never differs from
    the stored one (otherwise the next answer would land in the previous step's field).
    """
    try:
        yield
    except TelegramError as error:
        log.warning("the question of step %s could not be shown: %s", step, type(error).__name__)


async def edit_or_reply(
    update: Update, text: Html, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Edit the message a button belongs to; send a new one if it cannot be edited. A text over
    Telegram's limit replaces the message with its first part and the rest follows as new
    messages. Returns the message with the buttons when it is known."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        first, *rest = split_html(text)
        try:
            edited = await query.message.edit_text(first, reply_markup=None if rest else markup)
        except BadRequest as exc:
            # Pressing the same button twice asks for an identical edit: nothing to do.
            if "not modified" not in exc.message:
                return await reply(update, text, markup)
            return query.message
        if rest:
            return await reply(update, Html("\n".join(rest)), markup)
        return edited if isinstance(edited, Message) else query.message
    return await reply(update, text, markup)


async def answer_query(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Stop the button's spinner (with an optional short notice)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=alert)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Buttons declared for the outbox, as Telegram's inline keyboard (for a direct reply)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
            for row in rows
        ]
    )
