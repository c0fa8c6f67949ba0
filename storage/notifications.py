"""Match notifications: queued as rows, sent by a job, never twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.delivery import OutMessage
from storage import outbox
from storage.db import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    recipient_id: int
    about_id: int
    score: float
    due_at: datetime


async def enqueue(
    db: Database, recipient_id: int, about_id: int, score: float, now: datetime
) -> bool:
    """Queue a notification; False if this recipient was already told about this organisation."""
    changed = await db.execute_write(
        "INSERT OR IGNORE INTO notifications (recipient_id, about_id, score, due_at, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (recipient_id, about_id, score, to_db_time(now), to_db_time(now)),
    )
    return changed > 0


async def due(db: Database, now: datetime) -> dict[int, list[Notification]]:
    """Pending notifications that are due, grouped by recipient, best first."""
    rows = await db.fetchall(
        "SELECT id, recipient_id, about_id, score, due_at FROM notifications"
        " WHERE status = 'pending' AND due_at <= ? ORDER BY recipient_id, score DESC, id",
        (to_db_time(now),),
    )
    grouped: dict[int, list[Notification]] = {}
    for row in rows:
        grouped.setdefault(row["recipient_id"], []).append(
            Notification(
                id=row["id"],
                recipient_id=row["recipient_id"],
                about_id=row["about_id"],
                score=row["score"],
                due_at=from_db_time(row["due_at"]),
            )
        )
    return grouped


async def sent_since(db: Database, recipient_id: int, since: datetime) -> int:
    """Messages this recipient got since `since` (a digest counts as one)."""
    row = await db.fetchone(
        "SELECT COUNT(*) FROM notifications WHERE recipient_id = ? AND status = 'sent'"
        " AND sent_at >= ?",
        (recipient_id, to_db_time(since)),
    )
    digests = await db.fetchone(
        "SELECT COUNT(DISTINCT sent_at) FROM notifications WHERE recipient_id = ?"
        " AND status = 'digested' AND sent_at >= ?",
        (recipient_id, to_db_time(since)),
    )
    return (int(row[0]) if row else 0) + (int(digests[0]) if digests else 0)


async def claim(db: Database, ids: Iterable[int], status: str, now: datetime) -> int:
    """Mark pending rows as sent, digested or dropped (only those still pending)."""
    ids = list(ids)
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    return await db.execute_write(
        f"UPDATE notifications SET status = ?, sent_at = ? WHERE status = 'pending'"
        f" AND id IN ({marks})",
        (status, to_db_time(now), *ids),
    )


async def postpone(db: Database, ids: Iterable[int], until: datetime) -> None:
    ids = list(ids)
    if ids:
        marks = ",".join("?" * len(ids))
        await db.execute_write(
            f"UPDATE notifications SET due_at = ? WHERE status = 'pending' AND id IN ({marks})",
            (to_db_time(until), *ids),
        )


async def deliver(
    db: Database,
    *,
    sent: Sequence[int],
    digested: Sequence[int],
    messages: Sequence[OutMessage],
    now: datetime,
) -> None:
    """Mark notifications sent or digested and queue their messages, in one transaction."""
    async with db.transaction() as conn:
        for status, ids in (("sent", sent), ("digested", digested)):
            if ids:
                marks = ",".join("?" * len(ids))
                await conn.execute(
                    f"UPDATE notifications SET status = ?, sent_at = ? WHERE status = 'pending'"
                    f" AND id IN ({marks})",
                    (status, to_db_time(now), *ids),
                )
        await outbox.enqueue(conn, messages, now)


async def next_due(db: Database) -> datetime | None:
    row = await db.fetchone("SELECT MIN(due_at) FROM notifications WHERE status = 'pending'")
    return from_db_time(row[0]) if row and row[0] else None
