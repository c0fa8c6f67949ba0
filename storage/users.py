"""What we keep about a Telegram user before and beside their organisation."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db_time


async def get_language(db: Database, user_id: int) -> str | None:
    row = await db.fetchone("SELECT language FROM users WHERE user_id = ?", (user_id,))
    return row["language"] if row else None


async def set_language(db: Database, user_id: int, language: str, now: datetime) -> None:
    """Remember the user's choice, and apply it to their organisation's messages too."""
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (user_id, language, created_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET language = excluded.language,"
            " updated_at = excluded.updated_at",
            (user_id, language, stamp, stamp),
        )
        await conn.execute(
            "UPDATE organisations SET language = ?, updated_at = ? WHERE owner_user_id = ?",
            (language, stamp, user_id),
        )


async def remember_payload(db: Database, user_id: int, payload: str, now: datetime) -> None:
    """Keep the deep-link payload a user arrived with (e.g. a speed-meeting invitation)."""
    stamp = to_db_time(now)
    await db.execute_write(
        "INSERT INTO users (user_id, start_payload, created_at, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET start_payload = excluded.start_payload,"
        " updated_at = excluded.updated_at",
        (user_id, payload, stamp, stamp),
    )


async def get_payload(db: Database, user_id: int) -> str | None:
    row = await db.fetchone("SELECT start_payload FROM users WHERE user_id = ?", (user_id,))
    return row["start_payload"] if row else None
