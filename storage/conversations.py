"""Conversation steps in progress, written with every answer (crash safety)."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from storage.db import Database, to_db_time


async def save_data(
    db: Database,
    name: str,
    *,
    chat_id: int,
    user_id: int,
    state: str,
    data: dict[str, object],
    now: datetime,
) -> None:
    """A conversation's step and answers (a JSON object), written before its next question."""
    await db.execute_write(
        "INSERT INTO conversations (name, chat_id, user_id, state, data, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (name, chat_id, user_id) DO UPDATE SET state = excluded.state,"
        " data = excluded.data, updated_at = excluded.updated_at",
        (name, chat_id, user_id, state, json.dumps(data, ensure_ascii=False), to_db_time(now)),
    )


async def load_data(
    db: Database, name: str, chat_id: int, user_id: int
) -> tuple[str, dict[str, object]] | None:
    row = await db.fetchone(
        "SELECT state, data FROM conversations WHERE name = ? AND chat_id = ? AND user_id = ?",
        (name, chat_id, user_id),
    )
    if row is None:
        return None
    data = json.loads(row["data"])
    return row["state"], data if isinstance(data, dict) else {}


async def delete_in(conn: aiosqlite.Connection, name: str, chat_id: int, user_id: int) -> None:
    """Forget a finished conversation inside the caller's transaction."""
    await conn.execute(
        "DELETE FROM conversations WHERE name = ? AND chat_id = ? AND user_id = ?",
        (name, chat_id, user_id),
    )


async def delete(db: Database, name: str, chat_id: int, user_id: int) -> None:
    await db.execute_write(
        "DELETE FROM conversations WHERE name = ? AND chat_id = ? AND user_id = ?",
        (name, chat_id, user_id),
    )


async def states(db: Database, name: str) -> dict[tuple[int, int], str]:
    """Every open conversation's step, to restore the conversation handler at start-up."""
    rows = await db.fetchall(
        "SELECT chat_id, user_id, state FROM conversations WHERE name = ?", (name,)
    )
    return {(row["chat_id"], row["user_id"]): row["state"] for row in rows}
