"""Interest requests, dismissals and introduced pairs (the start of the partnership pipeline)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum

import aiosqlite

from core.delivery import OutMessage
from core.partnerships import Interest, InterestStatus
from core.pipeline import NudgeDelays, after_introduction, after_request
from storage import outbox
from storage.db import Database, from_db_time, to_db_time
from storage.pipeline import plan, start_pair


class Refused(StrEnum):
    """Why a request was not recorded."""

    CAP = "cap"  # too many of the asker's requests are waiting
    ALREADY = "already"  # the asker asked before
    ASKED_YOU = "asked_you"  # the other side asked first: answer their request instead
    PAUSED = "paused"  # the asker's profile is paused
    UNAVAILABLE = "unavailable"  # dismissed (either way), paired, paused, gone or same kind


# Both organisations present and active, one association and one company, no "not for us"
# either way, not already a pair (named parameters :from and :to).
_OPEN_PAIR = (
    "EXISTS (SELECT 1 FROM organisations a JOIN organisations b ON b.id = :to"
    " WHERE a.id = :from AND a.kind != b.kind AND a.status = 'active' AND b.status = 'active'"
    " AND a.left_at IS NULL AND b.left_at IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM dismissals WHERE (organisation_id = :from AND other_id = :to)"
    " OR (organisation_id = :to AND other_id = :from))"
    " AND NOT EXISTS (SELECT 1 FROM partnerships WHERE (association_id = :from"
    " AND company_id = :to) OR (association_id = :to AND company_id = :from))"
)


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


async def engaged(db: Database, org_id: int, other_id: int) -> bool:
    """A request either way (pending or answered), a pair or a "not for us" between the two."""
    row = await db.fetchone(
        "SELECT EXISTS (SELECT 1 FROM interests WHERE (from_id = ? AND to_id = ?)"
        " OR (from_id = ? AND to_id = ?))"
        " OR EXISTS (SELECT 1 FROM partnerships WHERE (association_id = ? AND company_id = ?)"
        " OR (association_id = ? AND company_id = ?))"
        " OR EXISTS (SELECT 1 FROM dismissals WHERE (organisation_id = ? AND other_id = ?)"
        " OR (organisation_id = ? AND other_id = ?))",
        (org_id, other_id, other_id, org_id) * 3,
    )
    return bool(row and row[0])


async def dismiss(db: Database, org_id: int, other_id: int, now: datetime) -> bool:
    """ "Not for us": never suggested again, and no request either way. Only about an active
    organisation of the other kind (anything else could be a forged button probing names);
    False if refused."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT EXISTS (SELECT 1 FROM organisations a JOIN organisations b ON b.id = ?"
            " WHERE a.id = ? AND a.kind != b.kind AND b.status = 'active'"
            " AND a.left_at IS NULL AND b.left_at IS NULL)",
            (other_id, org_id),
        )
        row = await cursor.fetchone()
        if not (row and row[0]):
            return False
        await conn.execute(
            "INSERT OR IGNORE INTO dismissals (organisation_id, other_id, created_at)"
            " VALUES (?, ?, ?)",
            (org_id, other_id, to_db_time(now)),
        )
        # A request still waiting between them is void now, whichever side sent it.
        await conn.execute(
            "UPDATE interests SET status = 'declined', answered_at = ? WHERE status = 'pending'"
            " AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))",
            (to_db_time(now), org_id, other_id, other_id, org_id),
        )
    return True


async def undismiss(db: Database, org_id: int, other_id: int) -> bool:
    """Undoes `org_id`'s own « not for us » about `other_id` (never the other side's): the
    pair may be suggested again. False if `org_id` had not hidden it."""
    changed = await db.execute_write(
        "DELETE FROM dismissals WHERE organisation_id = ? AND other_id = ?", (org_id, other_id)
    )
    return changed > 0


async def dismissed_by(db: Database, org_id: int) -> list[int]:
    """The organisations `org_id` hid with « not for us », still registered, latest first."""
    rows = await db.fetchall(
        "SELECT d.other_id FROM dismissals d JOIN organisations o ON o.id = d.other_id"
        " WHERE d.organisation_id = ? AND o.left_at IS NULL"
        " ORDER BY d.created_at DESC, d.other_id DESC",
        (org_id,),
    )
    return [int(row[0]) for row in rows]


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
) -> Interest | Refused:
    """Record an interest (its reminder nudge, and the request message `announce` builds
    from the interest's id), or say why not.

    Every rule is checked in the same transaction as the insert, and the pair's unique index
    holds one request per pair whichever side asked: two quick taps, or both sides pressing
    at once, cannot make two requests.
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT COUNT(*) FROM interests WHERE from_id = ? AND status = 'pending'"
            " AND expires_at > ?",
            (from_id, to_db_time(now)),
        )
        row = await cursor.fetchone()
        if row is not None and row[0] >= cap:
            return Refused.CAP
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO interests (from_id, to_id, created_at, expires_at)"
            f" SELECT :from, :to, :now, :expires WHERE {_OPEN_PAIR}",
            {"from": from_id, "to": to_id, "now": to_db_time(now),
             "expires": to_db_time(expires_at)},
        )  # fmt: skip
        if cursor.rowcount == 0:
            return await _why_not(conn, from_id, to_id, now)
        interest_id = cursor.lastrowid
        assert interest_id is not None
        await plan(conn, after_request(interest_id, to_id, now, delays), now)
        await outbox.enqueue(conn, announce(interest_id), now)
    found = await get(db, interest_id)
    assert found is not None
    return found


async def _why_not(conn: aiosqlite.Connection, from_id: int, to_id: int, now: datetime) -> Refused:
    cursor = await conn.execute(
        "SELECT (SELECT status FROM organisations WHERE id = :from) = 'paused',"
        " EXISTS (SELECT 1 FROM interests WHERE from_id = :to AND to_id = :from"
        " AND status = 'pending' AND expires_at > :now),"
        " EXISTS (SELECT 1 FROM interests WHERE (from_id = :from AND to_id = :to)"
        " OR (from_id = :to AND to_id = :from))",
        {"from": from_id, "to": to_id, "now": to_db_time(now)},
    )
    row = await cursor.fetchone()
    assert row is not None
    paused, asked_you, asked_before = row
    if paused:
        return Refused.PAUSED
    if asked_you:
        return Refused.ASKED_YOU
    if asked_before:
        return Refused.ALREADY
    return Refused.UNAVAILABLE


async def pending_between(db: Database, from_id: int, to_id: int, now: datetime) -> Interest | None:
    """The request `from_id` sent `to_id` that still waits for an answer, if any."""
    row = await db.fetchone(
        "SELECT id FROM interests WHERE from_id = ? AND to_id = ? AND status = 'pending'"
        " AND expires_at > ?",
        (from_id, to_id, to_db_time(now)),
    )
    return await get(db, row[0]) if row else None


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
        InterestStatus(row["status"]),
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
            (
                InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED,
                to_db_time(now),
                interest.id,
                to_db_time(now),
            ),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute(
            "UPDATE nudges SET state = 'cancelled' WHERE interest_id = ?"
            " AND state IN ('pending', 'sent')",
            (interest.id,),
        )
        if accept:
            partnership_id = await start_pair(
                conn,
                association_id=association_id,
                company_id=company_id,
                now=now,
                caller_id=interest.from_id,
                interest_id=interest.id,
            )
            if partnership_id is not None:
                first = after_introduction(
                    partnership_id, interest.from_id, interest.to_id, now, delays
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


async def pending_of(db: Database, org_id: int, now: datetime) -> list[tuple[int, bool, str]]:
    """The requests `org_id` sent or received that still wait for an answer, oldest first:
    (interest id, sent by `org_id`, the other organisation's name)."""
    rows = await db.fetchall(
        "SELECT i.id, i.from_id = ?1, o.name FROM interests i"
        " JOIN organisations o ON o.id = CASE WHEN i.from_id = ?1 THEN i.to_id ELSE i.from_id END"
        " WHERE (i.from_id = ?1 OR i.to_id = ?1) AND i.status = 'pending'"
        " AND i.expires_at > ?2 AND o.left_at IS NULL ORDER BY i.created_at, i.id",
        (org_id, to_db_time(now)),
    )
    return [(int(row[0]), bool(row[1]), str(row[2])) for row in rows]


async def engaged_with(db: Database, org_id: int, now: datetime) -> set[int]:
    """The organisations `org_id` is already in touch with: introduced, or a request either
    way still waiting for its answer."""
    rows = await db.fetchall(
        "SELECT to_id FROM interests WHERE from_id = ?1 AND status = 'pending' AND expires_at > ?2"
        " UNION SELECT from_id FROM interests WHERE to_id = ?1 AND status = 'pending'"
        " AND expires_at > ?2"
        " UNION SELECT company_id FROM partnerships WHERE association_id = ?1"
        " UNION SELECT association_id FROM partnerships WHERE company_id = ?1",
        (org_id, to_db_time(now)),
    )
    return {int(row[0]) for row in rows}
