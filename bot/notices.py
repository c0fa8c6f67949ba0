"""Short notices the wiring sends on its own (no handler ran): "slow down", "please wait"."""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.error import TelegramError

from core.i18n import Translator, pick_language
from storage import users
from storage.db import Database

log = logging.getLogger(__name__)


class Notices:
    """Tells the sender of an update something, by key, in their language."""

    def __init__(self, bot: Bot, db: Database, t: Translator, default_language: str) -> None:
        self._bot = bot
        self._db = db
        self._t = t
        self._default = default_language

    async def tell(self, update: Update, key: str) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None:
            return
        chosen = await users.get_language(self._db, user.id) if user is not None else None
        code = user.language_code if user is not None else None
        lang = chosen or pick_language(code, self._default)
        try:
            await self._bot.send_message(chat.id, self._t(lang, key))
        except TelegramError as exc:
            # Blocked, gone, or Telegram down: the notice is a courtesy, the update is skipped.
            log.warning("notice %s not delivered: %s", key, type(exc).__name__)

    async def slow_down(self, update: Update) -> None:
        """A chat's updates are being dropped: say so once, politely."""
        await self.tell(update, "busy.flood")

    async def warming_up(self, update: Update) -> None:
        """The match index is still loading after a restart: come back in a minute."""
        await self.tell(update, "busy.warming")
