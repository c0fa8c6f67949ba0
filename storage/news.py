"""News from the network (/broadcast): the text, one delivery per recipient, and who opted out.

A broadcast and its deliveries are written in one transaction (with the audit entry); the
dispatcher's planner turns due deliveries into outbox messages, marking them queued in the
same transaction (`settle`). A delivery waits in this table, not in the outbox, until quiet
hours and the daily cap allow it: a message held in the outbox would hold back every later
message to that chat, which are sent in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.delivery import OutMessage
from storage import outbox
from storage.db import Database, from_db_time, to_db_time
from storage.moderation import write_audit


@dataclass(frozen=True, slots=True)
class Delivery:
    news_id: int
    organisation_id: int
    owner_user_id: int
    language: str
    active: bool
    opted_out: bool
    text: str


def _audience(audience: str, event_id: int | None) -> tuple[str, tuple[object, ...]]:
    return (
        "o.status = 'active' AND o.left_at IS NULL AND NOT EXISTS (SELECT 1 FROM news_optout n"
        " WHERE n.user_id = o.owner_user_id) AND (? = 'all' OR o.kind = ?)"
        " AND (? IS NULL OR o.id IN (SELECT organisation_id FROM event_participants"
        " WHERE event_id = ?))",
        (audience, audience, event_id, event_id),
    )


async def audience(db: Database, audience: str, event_id: int | None = None) -> list[int]:
    """The active organisations of the audience ('all', 'association', 'company'; and of the
    event) whose owner has not turned news off."""
    where, values = _audience(audience, event_id)
    rows = await db.fetchall(f"SELECT o.id FROM organisations o WHERE {where}", values)
    return [int(r[0]) for r in rows]


async def opted_out_in(db: Database, audience: str, event_id: int | None = None) -> int:
    """How many of the audience turned news off (shown in the preview)."""
    rows = await db.fetchall(
        "SELECT COUNT(*) FROM organisations o JOIN news_optout n ON n.user_id = o.owner_user_id"
        " WHERE o.status = 'active' AND o.left_at IS NULL AND (? = 'all' OR o.kind = ?)"
        " AND (? IS NULL OR o.id IN"
        " (SELECT organisation_id FROM event_participants WHERE event_id = ?))",
        (audience, audience, event_id, event_id),
    )
    return int(rows[0][0]) if rows else 0


async def create(
    db: Database,
    author: int,
    *,
    audience_: str,
    event_id: int | None,
    text: str,
    now: datetime,
) -> int:
    """The broadcast, a delivery for each recipient (due now: the planner applies quiet hours
    and the cap) and the audit entry, together. Returns how many recipients."""
    where, values = _audience(audience_, event_id)
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO news (author_user_id, audience, event_id, text, recipients, created_at)"
            " VALUES (?, ?, ?, ?, 0, ?)",
            (author, audience_, event_id, text, stamp),
        )
        news_id = cursor.lastrowid
        assert news_id is not None
        cursor = await conn.execute(
            "INSERT INTO news_deliveries (news_id, organisation_id, due_at)"
            f" SELECT ?, o.id, ? FROM organisations o WHERE {where}",
            (news_id, stamp, *values),
        )
        count = cursor.rowcount
        await conn.execute("UPDATE news SET recipients = ? WHERE id = ?", (count, news_id))
        target = audience_ if event_id is None else f"{audience_}:event:{event_id}"
        await write_audit(
            conn, author, "news.send", now, target=target, detail=f"news:{news_id} to {count}"
        )
    return count


async def due(db: Database, now: datetime, limit: int = 500) -> list[Delivery]:
    rows = await db.fetchall(
        "SELECT d.news_id, d.organisation_id, o.owner_user_id, o.language,"
        " o.status = 'active' AND o.left_at IS NULL, EXISTS (SELECT 1 FROM news_optout n"
        " WHERE n.user_id = o.owner_user_id), w.text FROM news_deliveries d"
        " JOIN organisations o ON o.id = d.organisation_id JOIN news w ON w.id = d.news_id"
        " WHERE d.state = 'pending' AND d.due_at <= ? ORDER BY d.due_at, d.news_id LIMIT ?",
        (to_db_time(now), limit),
    )
    return [Delivery(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), r[6]) for r in rows]


async def queued_since(db: Database, org_ids: Sequence[int], since: datetime) -> dict[int, int]:
    """News queued for each organisation since `since` (for the daily cap)."""
    if not org_ids:
        return {}
    marks = ",".join("?" * len(org_ids))
    rows = await db.fetchall(
        "SELECT organisation_id, COUNT(*) FROM news_deliveries WHERE state = 'queued'"
        f" AND queued_at >= ? AND organisation_id IN ({marks}) GROUP BY 1",
        (to_db_time(since), *org_ids),
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def settle(
    db: Database,
    *,
    send: Sequence[tuple[Delivery, OutMessage]],
    skip: Sequence[Delivery],
    later: Sequence[tuple[Delivery, datetime]],
    now: datetime,
) -> None:
    """Queue the messages and mark their deliveries, skip those that no longer apply
    (paused, removed, news turned off), and move the rest to when they may go: together."""
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        await outbox.enqueue(conn, [message for _, message in send], now)
        await conn.executemany(
            "UPDATE news_deliveries SET state = 'queued', queued_at = ?"
            " WHERE news_id = ? AND organisation_id = ? AND state = 'pending'",
            [(stamp, d.news_id, d.organisation_id) for d, _ in send],
        )
        await conn.executemany(
            "UPDATE news_deliveries SET state = 'skipped' WHERE news_id = ?"
            " AND organisation_id = ? AND state = 'pending'",
            [(d.news_id, d.organisation_id) for d in skip],
        )
        await conn.executemany(
            "UPDATE news_deliveries SET due_at = ? WHERE news_id = ? AND organisation_id = ?",
            [(to_db_time(when), d.news_id, d.organisation_id) for d, when in later],
        )


async def next_due(db: Database) -> datetime | None:
    row = await db.fetchone("SELECT MIN(due_at) FROM news_deliveries WHERE state = 'pending'")
    return from_db_time(row[0]) if row and row[0] else None


async def counts(db: Database, news_id: int) -> dict[str, int]:
    rows = await db.fetchall(
        "SELECT state, COUNT(*) FROM news_deliveries WHERE news_id = ? GROUP BY 1", (news_id,)
    )
    return {r[0]: int(r[1]) for r in rows}


async def set_opt_out(db: Database, user_id: int, off: bool, now: datetime) -> None:
    if off:
        await db.execute_write(
            "INSERT OR IGNORE INTO news_optout (user_id, created_at) VALUES (?, ?)",
            (user_id, to_db_time(now)),
        )
    else:
        await db.execute_write("DELETE FROM news_optout WHERE user_id = ?", (user_id,))


async def opted_out(db: Database, user_id: int) -> bool:
    row = await db.fetchone("SELECT 1 FROM news_optout WHERE user_id = ?", (user_id,))
    return row is not None
