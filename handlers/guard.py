"""What happens first on every update: the bot works in private chats, with a known sender.

In a group, a registration would be keyed to the group and its summary (e-mail, phone) posted
for everyone to read; so nothing of the bot runs there. A command gets one answer with a link
to the private chat; anything else in a group, and any update without a sender, is dropped.
"""

from __future__ import annotations

import logging

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from core.i18n import pick_language
from handlers.context import Context

log = logging.getLogger(__name__)


async def private_only(update: Update, ctx: Context) -> None:
    """Lets private updates from a known person through; stops everything else here."""
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and chat.type == Chat.PRIVATE and user is not None:
        return
    svc = ctx.services
    lang = pick_language(user.language_code if user else None, svc.default_language)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(
                svc.t.plain(lang, "guard.private_only"), show_alert=True
            )
        elif chat is not None and chat.type == Chat.PRIVATE:
            # A private message with no sender (Telegram sends none for some service
            # messages): nobody to answer for, nothing to store.
            await chat.send_message(svc.t(lang, "guard.no_sender"))
        elif chat is not None and _is_command(update):
            link = f"https://t.me/{ctx.bot.username}"
            button = InlineKeyboardButton(svc.t.plain(lang, "guard.open_private"), url=link)
            await chat.send_message(
                svc.t(lang, "guard.private_only"),
                reply_markup=InlineKeyboardMarkup([[button]]),
            )
    except TelegramError as error:
        log.info("could not answer outside a private chat: %s", type(error).__name__)
    raise ApplicationHandlerStop


def _is_command(update: Update) -> bool:
    message = update.effective_message
    return bool(message and message.text and message.text.startswith("/"))
