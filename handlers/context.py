"""What handlers need from the wiring, and small helpers every handler uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackContext, ExtBot

from core.i18n import Html, Translator, pick_language
from core.matching import MatchIndex
from core.models import Organisation
from core.pipeline import NudgeDelays
from core.taxonomy import Taxonomy
from core.timing import QuietHours
from storage import organisations, users
from storage.db import Database

# Sends may pass rate_limit_args={"bulk": True}: see the rate limiter (bot/ratelimit.py).
Context = CallbackContext[ExtBot[dict[str, bool]], dict[Any, Any], dict[Any, Any], dict[Any, Any]]


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
    """Created once at start-up (bot.app) and reached from any handler via `services(ctx)`."""

    db: Database
    t: Translator
    taxonomy: Taxonomy
    organiser_ids: frozenset[int]
    default_language: str
    index: MatchIndex
    policy: MatchingPolicy
    clock: Callable[[], datetime]


def services(ctx: Context) -> Services:
    found = ctx.bot_data["services"]
    assert isinstance(found, Services)
    return found


async def language_of(update: Update, ctx: Context) -> str:
    """The user's chosen language, else their Telegram app's, else the default."""
    svc = services(ctx)
    user = update.effective_user
    if user is None:
        return svc.default_language
    chosen = await users.get_language(svc.db, user.id)
    return chosen or pick_language(user.language_code, svc.default_language)


async def whoami(update: Update, ctx: Context) -> tuple[Services, str, Organisation | None]:
    """The services, the user's language, and their organisation (None if not registered)."""
    svc = services(ctx)
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    return svc, lang, await organisations.get_by_owner(svc.db, update.effective_user.id)


def button_parts(update: Update) -> list[str]:
    """The pressed button's data in parts ("m:i:42" → ["m", "i", "42"]); [] without one."""
    data = update.callback_query.data if update.callback_query else None
    return data.split(":") if isinstance(data, str) else []


def button_value(update: Update) -> str:
    """The last part of the button's data ("r:kind:company" → "company")."""
    parts = button_parts(update)
    return parts[-1] if parts else ""


def button_number(update: Update, index: int = -1) -> int | None:
    """A numeric part of the button's data (an id); None if missing or not a number."""
    parts = button_parts(update)
    part = parts[index] if -len(parts) <= index < len(parts) else ""
    return int(part) if part.isdigit() else None


async def reply(
    update: Update, text: Html, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send a new HTML message in the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, parse_mode="HTML", reply_markup=markup)


async def edit_or_reply(
    update: Update, text: Html, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message a button belongs to; send a new one if it cannot be edited."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, parse_mode="HTML", reply_markup=markup)
        except BadRequest as exc:
            # Pressing the same button twice asks for an identical edit: nothing to do.
            if "not modified" not in exc.message:
                await reply(update, text, markup)
        return
    await reply(update, text, markup)


async def answer_query(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Stop the button's spinner (with an optional short notice)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=alert)
