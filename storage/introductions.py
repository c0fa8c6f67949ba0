"""Interest requests, dismissals and introduced pairs (the start of the partnership pipeline)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.delivery import OutMessage
from core.pipeline import NudgeDelays, after_introduction, after_request
from storage import outbox
from storage.db import Database, from_db_time, to_db_time
from storage.partnerships import plan


@dataclass(frozen=True, slots=True)
class Interest:
    id: int
    from_id: int
    to_id: int
    status: str
    created_at: datetime
    expires_at: datetime


async def excluded_for(db: Database, org_id: int) -> set[int]:
    """Organisations never to suggest to `org_id`: dismissed either way, asked or introduced."""
    rows = await db.fetchall(
        "SELECT other_id AS id FROM dismissals WHERE organisation_id = ?"
        " UNION SELECT organisation_id FROM dismissals WHERE other_id = ?"
        " UNION SELECT to_id FROM interests WHERE from_id = ?"
        " UNION SELECT from_id FROM interests WHERE to_id = ?"
        " UNION SELECT company_id FROM partnerships WHERE association_id = ?"
        " UNION SELECT association_id FROM partnerships WHERE company_id = ?",
        (org_id,) * 6,
    )
    return {row[0] for row in rows}


async def dismiss(db: Database, org_id: int, other_id: int, now: datetime) -> None:
    await db.execute_write(
        "INSERT OR IGNORE INTO dismissals (organisation_id, other_id, created_at) VALUES (?, ?, ?)",
        (org_id, other_id, to_db_time(now)),
    )


async def pending_outgoing(db: Database, org_id: int, now: datetime) -> int:
    row = await db.fetchone(
        "SELECT COUNT(*) FROM interests WHERE from_id = ? AND status = 'pending'"
        " AND expires_at > ?",
        (org_id, to_db_time(now)),
    )
    return int(row[0]) if row else 0


async def request(
    db: Database,
    from_id: int,
    to_id: int,
    *,
    now: datetime,
    expires_at: datetime,
    cap: int,
    delays: NudgeDelays,
    announce: Callable[[int], Sequence[OutMessage]] = lambda _: (),
) -> Interest | None:
    """Record an interest (its reminder nudge, and the request message `announce` builds
    from the interest's id), unless `from_id` already has `cap` pending or asked before.

    The check and the inserts happen in one transaction, so two quick taps cannot pass the cap.
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT COUNT(*) FROM interests WHERE from_id = ? AND status = 'pending'"
            " AND expires_at > ?",
            (from_id, to_db_time(now)),
        )
        row = await cursor.fetchone()
        if row is not None and row[0] >= cap:
            return None
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO interests (from_id, to_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (from_id, to_id, to_db_time(now), to_db_time(expires_at)),
        )
        if cursor.rowcount == 0:
            return None
        interest_id = cursor.lastrowid
        assert interest_id is not None
        await plan(conn, after_request(interest_id, to_id, now, delays), now)
        await outbox.enqueue(conn, announce(interest_id), now)
    return await get(db, interest_id)


async def get(db: Database, interest_id: int) -> Interest | None:
    row = await db.fetchone(
        "SELECT id, from_id, to_id, status, created_at, expires_at FROM interests WHERE id = ?",
        (interest_id,),
    )
    if row is None:
        return None
    return Interest(
        row["id"],
        row["from_id"],
        row["to_id"],
        row["status"],
        from_db_time(row["created_at"]),
        from_db_time(row["expires_at"]),
    )


async def answer(
    db: Database,
    interest: Interest,
    *,
    accept: bool,
    association_id: int,
    company_id: int,
    now: datetime,
    delays: NudgeDelays,
    announce: Sequence[OutMessage] = (),
) -> bool:
    """Accept (and introduce the pair: `announce` holds the introductions) or decline a
    pending request, in one transaction.

    False if it was no longer pending (answered twice, or expired).
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE interests SET status = ?, answered_at = ?"
            " WHERE id = ? AND status = 'pending' AND expires_at > ?",
            ("accepted" if accept else "declined", to_db_time(now), interest.id, to_db_time(now)),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute(
            "UPDATE nudges SET state = 'cancelled' WHERE interest_id = ?"
            " AND state IN ('pending', 'sent')",
            (interest.id,),
        )
        if accept:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO partnerships (association_id, company_id, interest_id,"
                " caller_id, created_at, updated_at, stage_changed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    association_id,
                    company_id,
                    interest.id,
                    interest.from_id,
                    to_db_time(now),
                    to_db_time(now),
                    to_db_time(now),
                ),
            )
            if cursor.rowcount and cursor.lastrowid is not None:
                first = after_introduction(
                    cursor.lastrowid, interest.from_id, interest.to_id, now, delays
                )
                await plan(conn, first, now)
            await outbox.enqueue(conn, announce, now)
    return True


async def expire(db: Database, now: datetime) -> int:
    """Mark unanswered requests past their time as expired; returns how many."""
    return await db.execute_write(
        "UPDATE interests SET status = 'expired' WHERE status = 'pending' AND expires_at <= ?",
        (to_db_time(now),),
    )


async def partnership_stage(db: Database, association_id: int, company_id: int) -> str | None:
    row = await db.fetchone(
        "SELECT stage FROM partnerships WHERE association_id = ? AND company_id = ?",
        (association_id, company_id),
    )
    return row["stage"] if row else None
