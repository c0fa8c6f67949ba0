"""What an event's meetings led to: the marks people leave after them (mutual marks introduce
the pair), partnerships recorded on the spot, and the event's report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.delivery import OutMessage
from core.events import EventReport
from core.models import OrgKind
from core.pipeline import NudgeDelays, Stage, after_introduction
from storage import outbox
from storage.db import Database, to_db_time
from storage.pipeline import plan, start_pair

# The pair has a meeting in this event's schedule, published and not cancelled (parameters:
# event, association, company). Only its two sides may record or mark it.
_MET_THERE = (
    "EXISTS (SELECT 1 FROM event_meetings m JOIN events e ON e.id = m.event_id"
    " WHERE m.event_id = ? AND m.association_id = ? AND m.company_id = ?"
    " AND e.status = 'published')"
)


async def ensure_partnership(
    db: Database, event_id: int, association_id: int, company_id: int, now: datetime
) -> int | None:
    """The pair met at the event: their partnership (stage `met` if new), for a record. None
    if the event's published schedule has no meeting between them."""
    async with db.transaction() as conn:
        cursor = await conn.execute(f"SELECT {_MET_THERE}", (event_id, association_id, company_id))
        row = await cursor.fetchone()
        if not (row and row[0]):
            return None
        await start_pair(
            conn,
            association_id=association_id,
            company_id=company_id,
            now=now,
            stage=Stage.MET,
            event_id=event_id,
        )
        cursor = await conn.execute(
            "SELECT id FROM partnerships WHERE association_id = ? AND company_id = ?",
            (association_id, company_id),
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def mark(
    db: Database,
    event_id: int,
    who: int,
    whom: int,
    *,
    association_id: int,
    company_id: int,
    now: datetime,
    delays: NudgeDelays,
    announce: Sequence[OutMessage] = (),
) -> bool | None:
    """A follow-up mark. True when it makes the marks mutual: both said yes, so they are
    introduced (`announce`: the introductions; a new pair also gets its partnership and first
    nudges, in the same transaction; a pair that already has one, e.g. from a record made on
    the spot, keeps it). None if the event's published schedule has no meeting between them."""
    async with db.transaction() as conn:
        cursor = await conn.execute(f"SELECT {_MET_THERE}", (event_id, association_id, company_id))
        row = await cursor.fetchone()
        if not (row and row[0]):
            return None
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO event_marks (event_id, who_id, whom_id, created_at)"
            " VALUES (?, ?, ?, ?)",
            (event_id, who, whom, to_db_time(now)),
        )
        if cursor.rowcount == 0:
            return False  # marked before: nothing new to do
        cursor = await conn.execute(
            "SELECT 1 FROM event_marks WHERE event_id = ? AND who_id = ? AND whom_id = ?",
            (event_id, whom, who),
        )
        if await cursor.fetchone() is None:
            return False
        partnership_id = await start_pair(
            conn,
            association_id=association_id,
            company_id=company_id,
            now=now,
            caller_id=whom,
            event_id=event_id,
        )
        if partnership_id is not None:
            await plan(conn, after_introduction(partnership_id, whom, who, now, delays), now)
        await outbox.enqueue(conn, announce, now)
    return True


async def report(db: Database, event_id: int) -> EventReport:
    """Participants by side, meetings scheduled, partnerships recorded by kind."""
    sides = await db.fetchall(
        "SELECT o.kind, COUNT(*) FROM event_participants p JOIN organisations o"
        " ON o.id = p.organisation_id WHERE p.event_id = ? GROUP BY o.kind",
        (event_id,),
    )
    meeting_count = await db.fetchone(
        "SELECT COUNT(*) FROM event_meetings WHERE event_id = ?", (event_id,)
    )
    kinds = await db.fetchall(
        "SELECT r.kind, COUNT(*) FROM partnership_records r JOIN event_meetings m"
        " ON m.event_id = ? JOIN partnerships p ON p.id = r.partnership_id"
        " AND p.association_id = m.association_id AND p.company_id = m.company_id"
        " WHERE r.status = 'confirmed' GROUP BY r.kind",
        (event_id,),
    )
    return EventReport(
        sides={OrgKind(row[0]): row[1] for row in sides},
        meetings=int(meeting_count[0]) if meeting_count else 0,
        partnerships={row[0]: row[1] for row in kinds},
    )
