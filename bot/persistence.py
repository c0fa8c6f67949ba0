"""Hands the stored conversation steps back to python-telegram-bot at start-up.

The steps themselves are written by the handlers, in the same transaction as the answer that
moved them on (see handlers/registration.py), not by this class on python-telegram-bot's flush
timer: a timer would leave a window in which a crash loses an answer. So the update_* methods
have nothing to do, and only `get_conversations` matters.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, TypeAlias

from telegram.ext import BasePersistence, PersistenceInput

from storage import conversations
from storage.db import Database

# python-telegram-bot's own shapes for these (telegram.ext._utils.types), which it keeps private.
ConversationKey: TypeAlias = tuple[int | str, ...]
ConversationDict: TypeAlias = MutableMapping[ConversationKey, object]
# The callback-data cache, never used here (buttons carry their own data: core/buttons.py).
CDCData: TypeAlias = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


class SqliteConversationPersistence(
    BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    def __init__(self, db: Database) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=3600,
        )
        self._db = db

    async def get_conversations(self, name: str) -> ConversationDict:
        stored = await conversations.states(self._db, name)
        found: ConversationDict = {}
        for key, state in stored.items():
            found[key] = state
        return found

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Written by the handlers themselves, transactionally (see module docstring)."""

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Not stored."""

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def flush(self) -> None:
        """Nothing is buffered."""
