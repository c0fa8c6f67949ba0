"""The outbox: messages written with the change they announce, sent later by the dispatcher.

A row is claimed (`sending`) before its send and marked `sent` after Telegram's answer, so a
process killed in between sends it again at the next start: at-least-once, with that one
window (the Bot API has no idempotency key). Rows of one chat go out in the order they were
written: a row waits while an earlier row of its chat is pending or in flight.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.delivery import Attachment, Button, OutMessage
from storage.db import Database, from_db_time, to_db_time

_COLUMNS = "id, chat_id, recipient_id, kind, method, payload, file, bulk, due_at, attempts"


@dataclass(frozen=True, slots=True)
class Queued:
    """An outbox row ready to be sent."""

    id: int
    message: OutMessage
    attempts: int


def _payload(message: OutMessage) -> str:
    buttons = [
        [{"label": b.label, "data": b.data, "url": b.url} for b in row] for row in message.buttons
    ]
    data: dict[str, object] = {"text": message.text, "buttons": buttons}
    if message.attachment is not None:
        data["filename"] = message.attachment.filename
    return json.dumps(data, ensure_ascii=False)


def _queued(row: aiosqlite.Row) -> Queued:
    data = json.loads(row["payload"])
    buttons = tuple(
        tuple(Button(b["label"], b.get("data"), b.get("url")) for b in line)
        for line in data.get("buttons", [])
    )
    attachment = None
    if row["method"] != "message":
        attachment = Attachment(
            data.get("filename", "file"), bytes(row["file"] or b""), row["method"] == "photo"
        )
    message = OutMessage(
        chat_id=row["chat_id"],
        kind=row["kind"],
        text=data.get("text", ""),
        recipient_id=row["recipient_id"],
        buttons=buttons,
        attachment=attachment,
        bulk=bool(row["bulk"]),
        due_at=from_db_time(row["due_at"]),
    )
    return Queued(row["id"], message, row["attempts"])


async def enqueue(conn: aiosqlite.Connection, messages: Iterable[OutMessage], now: datetime) -> int:
    """Queue messages inside the caller's transaction (with the change they announce)."""
    rows = [
        (
            m.chat_id,
            m.recipient_id,
            m.kind,
            m.method,
            _payload(m),
            m.attachment.content if m.attachment is not None else None,
            int(m.bulk),
            to_db_time(m.due_at or now),
            to_db_time(now),
        )
        for m in messages
    ]
    await conn.executemany(
        "INSERT INTO outbox (chat_id, recipient_id, kind, method, payload, file, bulk, due_at,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


async def put(db: Database, messages: Iterable[OutMessage], now: datetime) -> int:
    """Queue messages in a transaction of their own (when the change is already stored)."""
    async with db.transaction() as conn:
        return await enqueue(conn, messages, now)


async def ready(db: Database, now: datetime, limit: int = 200) -> list[Queued]:
    """Rows due now whose chat has nothing older waiting; time-critical ones first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM outbox o WHERE o.state = 'pending' AND o.due_at <= ?"
        " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id AND p.id < o.id"
        " AND p.state IN ('pending', 'sending')) ORDER BY o.bulk, o.due_at, o.id LIMIT ?",
        (to_db_time(now), limit),
    )
    return [_queued(r) for r in rows]


async def claim(db: Database, row_id: int, now: datetime) -> bool:
    changed = await db.execute_write(
        "UPDATE outbox SET state = 'sending', claimed_at = ? WHERE id = ? AND state = 'pending'",
        (to_db_time(now), row_id),
    )
    return changed == 1


async def mark_sent(db: Database, row_id: int, message_id: int | None, now: datetime) -> None:
    """Telegram has it: the row keeps its kind, chat and dates (for counts and support), never
    its text or file, which may quote people who could later ask for erasure."""
    await db.execute_write(
        "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1,"
        " payload = '{}', file = NULL WHERE id = ?",
        (to_db_time(now), message_id, row_id),
    )


async def retry(db: Database, row_id: int, due_at: datetime, error: str) -> None:
    """Not delivered: back to pending, to be tried again at `due_at`."""
    await db.execute_write(
        "UPDATE outbox SET state = 'pending', due_at = ?, attempts = attempts + 1,"
        " last_error = ? WHERE id = ?",
        (to_db_time(due_at), error[:200], row_id),
    )


async def cancel(db: Database, row_id: int) -> None:
    """A claimed row no longer to be sent (what it announced is superseded): never sent."""
    await db.execute_write(
        "UPDATE outbox SET state = 'cancelled' WHERE id = ? AND state = 'sending'", (row_id,)
    )


async def fail(db: Database, row_id: int, error: str) -> None:
    """Telegram refused it for good (or it failed too many times): never retried."""
    await db.execute_write(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
        (error[:200], row_id),
    )


async def hold_chat(db: Database, chat_id: int) -> int:
    """The person blocked the bot: keep their messages until they write again."""
    return await db.execute_write(
        "UPDATE outbox SET state = 'held' WHERE chat_id = ? AND state IN ('pending', 'sending')",
        (chat_id,),
    )


async def release_chat(db: Database, chat_id: int, now: datetime) -> int:
    """The person is back: what was held for them goes out now, in order."""
    return await db.execute_write(
        "UPDATE outbox SET state = 'pending', due_at = ? WHERE chat_id = ? AND state = 'held'",
        (to_db_time(now), chat_id),
    )


async def recover(db: Database) -> int:
    """At start-up: rows claimed by a process that died are sent again (at-least-once)."""
    return await db.execute_write("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")


async def next_due(db: Database) -> datetime | None:
    row = await db.fetchone("SELECT MIN(due_at) FROM outbox WHERE state = 'pending'")
    return from_db_time(row[0]) if row and row[0] else None


async def counts(db: Database) -> dict[str, int]:
    """Rows by state (for the organiser's view and the metrics)."""
    rows = await db.fetchall("SELECT state, COUNT(*) FROM outbox GROUP BY state")
    return {row[0]: int(row[1]) for row in rows}


async def kinds_sent(db: Database, chat_id: int) -> list[str]:
    """The kinds of the messages sent to a chat, in order (for tests and support)."""
    rows = await db.fetchall(
        "SELECT kind FROM outbox WHERE chat_id = ? AND state = 'sent' ORDER BY id", (chat_id,)
    )
    return [row[0] for row in rows]


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits to go out: `due` messages whose time came (in flight included), the oldest
    one's due time, and `retrying` messages that Telegram refused for now (5xx, 429)."""

    due: int
    oldest_due: datetime | None
    retrying: int


async def backlog(db: Database, now: datetime) -> Backlog:
    """The outbox's backlog (held messages aside: they wait for their recipient)."""
    row = await db.fetchone(
        "SELECT COUNT(*) FILTER (WHERE state = 'sending' OR due_at <= ?),"
        " MIN(due_at) FILTER (WHERE state = 'sending' OR due_at <= ?),"
        " COUNT(*) FILTER (WHERE state = 'pending' AND attempts > 0)"
        " FROM outbox WHERE state IN ('pending', 'sending')",
        (to_db_time(now), to_db_time(now)),
    )
    if row is None:
        return Backlog(0, None, 0)
    return Backlog(int(row[0]), from_db_time(row[1]) if row[1] else None, int(row[2]))
