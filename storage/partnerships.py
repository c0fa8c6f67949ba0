"""The partnership pipeline, its nudges and its two-party records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import aiosqlite

from core.delivery import OutMessage
from core.partnerships import Nudge, NudgeState, Partnership, Record, RecordStatus
from core.pipeline import (
    AFTER_RECORD,
    SET_ALONE,
    NudgeDelays,
    NudgeKind,
    Planned,
    Stage,
    after_stage,
    can_move,
)
from storage import outbox
from storage.db import Database, from_db_time, to_db_time
from storage.pipeline import plan

PARTNERSHIP_KINDS = (
    NudgeKind.CONTACT_CHECK,
    NudgeKind.CONTACT_REMINDER,
    NudgeKind.MET_CHECK,
    NudgeKind.AGREED_CHECK,
    NudgeKind.OUTCOME_CHECK,
)


_P_COLUMNS = "id, association_id, company_id, stage, caller_id, created_at, stuck_since, event_id"
_N_COLUMNS = (
    "id, kind, recipient_id, partnership_id, interest_id, due_at, state, asked_before,"
    " event_id, round"
)


def _partnership(row: aiosqlite.Row) -> Partnership:
    return Partnership(
        id=row["id"],
        association_id=row["association_id"],
        company_id=row["company_id"],
        stage=Stage(row["stage"]),
        caller_id=row["caller_id"],
        created_at=from_db_time(row["created_at"]),
        stuck_since=from_db_time(row["stuck_since"]) if row["stuck_since"] else None,
        event_id=row["event_id"],
    )


def _nudge(row: aiosqlite.Row) -> Nudge:
    return Nudge(
        id=row["id"],
        kind=NudgeKind(row["kind"]),
        recipient_id=row["recipient_id"],
        partnership_id=row["partnership_id"],
        interest_id=row["interest_id"],
        due_at=from_db_time(row["due_at"]),
        state=NudgeState(row["state"]),
        asked_before=row["asked_before"],
        event_id=row["event_id"],
        round=row["round"],
    )


async def get(db: Database, partnership_id: int) -> Partnership | None:
    row = await db.fetchone(
        f"SELECT {_P_COLUMNS} FROM partnerships WHERE id = ?", (partnership_id,)
    )
    return _partnership(row) if row else None


async def of_organisation(db: Database, org_id: int) -> list[Partnership]:
    rows = await db.fetchall(
        f"SELECT {_P_COLUMNS} FROM partnerships WHERE association_id = ? OR company_id = ?"
        " ORDER BY created_at DESC",
        (org_id, org_id),
    )
    return [_partnership(r) for r in rows]


async def all_partnerships(db: Database) -> list[Partnership]:
    rows = await db.fetchall(f"SELECT {_P_COLUMNS} FROM partnerships ORDER BY created_at")
    return [_partnership(r) for r in rows]


async def move(
    db: Database, partnership: Partnership, target: Stage, now: datetime, delays: NudgeDelays
) -> bool:
    """One side moves the pair to `target`: cancel the questions of the old stage and plan the
    next ones, all in one transaction. False if the move is not allowed (or someone moved it
    already): one side alone never makes a pair "agreed", and an outcome needs the pair's
    confirmed record."""
    if target not in SET_ALONE | AFTER_RECORD:
        return False
    async with db.transaction() as conn:
        if target in AFTER_RECORD:
            cursor = await conn.execute(
                "SELECT 1 FROM partnership_records WHERE partnership_id = ?"
                " AND status = 'confirmed'",
                (partnership.id,),
            )
            if await cursor.fetchone() is None:
                return False
        return await _move_in(conn, partnership, target, now, delays)


async def _move_in(
    conn: aiosqlite.Connection,
    partnership: Partnership,
    target: Stage,
    now: datetime,
    delays: NudgeDelays,
) -> bool:
    """`move`, inside the caller's transaction."""
    if not can_move(partnership.stage, target):
        return False
    cursor = await conn.execute(
        "UPDATE partnerships SET stage = ?, stage_changed_at = ?, updated_at = ?,"
        " stuck_since = NULL WHERE id = ? AND stage = ?",
        (target.value, to_db_time(now), to_db_time(now), partnership.id, partnership.stage.value),
    )
    if cursor.rowcount == 0:
        return False
    # An ongoing partnership keeps its outcome check-ins; any other move replaces them all.
    await conn.execute(
        "UPDATE nudges SET state = 'cancelled' WHERE partnership_id = ?"
        " AND state IN ('pending', 'sent') AND NOT (? AND kind = 'outcome_check')",
        (partnership.id, target is Stage.ONGOING),
    )
    await plan(conn, after_stage(partnership.id, target, partnership.sides, now, delays), now)
    return True


# --- nudges ---------------------------------------------------------------------------------


async def due_nudges(db: Database, now: datetime, limit: int = 500) -> list[Nudge]:
    """Pending nudges that are due, for recipients who are active and reachable."""
    rows = await db.fetchall(
        f"SELECT {', '.join('n.' + c.strip() for c in _N_COLUMNS.split(','))}"
        " FROM nudges n JOIN organisations o ON o.id = n.recipient_id"
        " WHERE n.state = 'pending' AND n.due_at <= ? AND o.status = 'active'"
        " AND o.unreachable_since IS NULL ORDER BY n.due_at, n.id LIMIT ?",
        (to_db_time(now), limit),
    )
    return [_nudge(r) for r in rows]


async def next_due(db: Database) -> datetime | None:
    """When the next nudge falls due (for recipients who can get it now)."""
    row = await db.fetchone(
        "SELECT MIN(n.due_at) FROM nudges n JOIN organisations o ON o.id = n.recipient_id"
        " WHERE n.state = 'pending' AND o.status = 'active' AND o.unreachable_since IS NULL"
    )
    return from_db_time(row[0]) if row and row[0] else None


async def send_nudge(db: Database, nudge_id: int, message: OutMessage, now: datetime) -> int:
    """The nudge is asked: marked sent and its message queued in the outbox, together.
    Returns 0 if another turn took it first."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE nudges SET state = 'sent', sent_at = ? WHERE id = ? AND state = 'pending'",
            (to_db_time(now), nudge_id),
        )
        if cursor.rowcount == 0:
            return 0
        return await outbox.enqueue(conn, [message], now)


async def get_nudge(db: Database, nudge_id: int) -> Nudge | None:
    row = await db.fetchone(f"SELECT {_N_COLUMNS} FROM nudges WHERE id = ?", (nudge_id,))
    return _nudge(row) if row else None


async def claim(db: Database, nudge_id: int, now: datetime) -> bool:
    """Take a pending nudge for sending; False if another run took it."""
    changed = await db.execute_write(
        "UPDATE nudges SET state = 'sending', claimed_at = ? WHERE id = ? AND state = 'pending'",
        (to_db_time(now), nudge_id),
    )
    return changed == 1


async def mark_sent(db: Database, nudge_id: int, message_id: int, now: datetime) -> None:
    await db.execute_write(
        "UPDATE nudges SET state = 'sent', sent_at = ?, message_id = ? WHERE id = ?",
        (to_db_time(now), message_id, nudge_id),
    )


async def release(db: Database, nudge_id: int, due_at: datetime) -> None:
    """Back to pending (a send that failed, or a nudge held by quiet hours or the daily cap)."""
    await db.execute_write(
        "UPDATE nudges SET state = 'pending', due_at = ? WHERE id = ?",
        (to_db_time(due_at), nudge_id),
    )


async def cancel(db: Database, nudge_id: int) -> None:
    await db.execute_write(
        "UPDATE nudges SET state = 'cancelled' WHERE id = ? AND state IN ('pending', 'sending')",
        (nudge_id,),
    )


async def recover(db: Database) -> int:
    """At start-up: nudges claimed by a process that died are sent again (at-least-once)."""
    return await db.execute_write("UPDATE nudges SET state = 'pending' WHERE state = 'sending'")


async def sent_since(db: Database, recipient_id: int, since: datetime) -> int:
    row = await db.fetchone(
        "SELECT COUNT(*) FROM nudges WHERE recipient_id = ? AND sent_at >= ?",
        (recipient_id, to_db_time(since)),
    )
    return int(row[0]) if row else 0


async def answer(db: Database, nudge: Nudge, now: datetime) -> bool:
    """Mark a sent nudge answered, and its twin sent to the other side as no longer needed."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE nudges SET state = 'answered', answered_at = ? WHERE id = ?"
            " AND state IN ('sent', 'sending')",
            (to_db_time(now), nudge.id),
        )
        if cursor.rowcount == 0:
            return False
        if nudge.partnership_id is not None:
            await conn.execute(
                "UPDATE nudges SET state = 'cancelled' WHERE partnership_id = ? AND kind = ?"
                " AND id != ? AND state IN ('pending', 'sent') AND due_at <= ?",
                (nudge.partnership_id, nudge.kind.value, nudge.id, to_db_time(now)),
            )
    return True


async def ask_again(
    db: Database, nudge: Nudge, now: datetime, delays: NudgeDelays, *, ignored: bool
) -> bool:
    """The same question later: after "not yet" (ignored=False), or because the last one went
    unanswered (ignored=True). After `max_ignored` unanswered questions the pair is stuck and
    the questions stop. Returns False when it stopped."""
    asked_before = nudge.asked_before + 1 if ignored else 0
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE nudges SET state = ? WHERE id = ?",
            ("ignored" if ignored else "answered", nudge.id),
        )
        if ignored and asked_before >= delays.max_ignored:
            if nudge.partnership_id is not None:
                await conn.execute(
                    "UPDATE partnerships SET stuck_since = ? WHERE id = ? AND stuck_since IS NULL",
                    (to_db_time(now), nudge.partnership_id),
                )
            return False
        # Ignored: it waited `repeat` for an answer already, so it is asked again now.
        # "Not yet": asked again after `repeat`.
        again = Planned(
            nudge.kind,
            nudge.recipient_id,
            now if ignored else now + delays.repeat,
            nudge.partnership_id,
            nudge.interest_id,
        )
        await plan(conn, [again], now, asked_before=asked_before)
    return True


async def unanswered(db: Database, before: datetime) -> list[Nudge]:
    """Partnership questions sent before `before` and never answered (ignored)."""
    kinds = ",".join(f"'{k.value}'" for k in PARTNERSHIP_KINDS)
    rows = await db.fetchall(
        f"SELECT {_N_COLUMNS} FROM nudges WHERE state = 'sent' AND sent_at <= ?"
        f" AND kind IN ({kinds})",
        (to_db_time(before),),
    )
    return [_nudge(r) for r in rows]


# --- two-party records ----------------------------------------------------------------------


_R_COLUMNS = "id, partnership_id, proposer_id, giver, kind, description, hours, value_eur, status"


def _record(row: aiosqlite.Row) -> Record:
    return Record(
        id=row["id"],
        partnership_id=row["partnership_id"],
        proposer_id=row["proposer_id"],
        giver=row["giver"],
        kind=row["kind"],
        description=row["description"],
        hours=row["hours"],
        value_eur=row["value_eur"],
        status=RecordStatus(row["status"]),
    )


async def propose_record(
    db: Database,
    partnership_id: int,
    proposer_id: int,
    *,
    giver: str,
    kind: str,
    description: str,
    hours: float | None,
    value_eur: float | None,
    now: datetime,
    announce: Callable[[int], Sequence[OutMessage]] = lambda _: (),
) -> int:
    """A new version of the record, replacing any earlier proposal, and the request to confirm
    it that `announce` builds from the record's id, together."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE partnership_records SET status = 'superseded' WHERE partnership_id = ?"
            " AND status = 'proposed'",
            (partnership_id,),
        )
        cursor = await conn.execute(
            "INSERT INTO partnership_records (partnership_id, proposer_id, giver, kind,"
            " description, hours, value_eur, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                partnership_id,
                proposer_id,
                giver,
                kind,
                description,
                hours,
                value_eur,
                to_db_time(now),
            ),
        )
        assert cursor.lastrowid is not None
        await outbox.enqueue(conn, announce(cursor.lastrowid), now)
        return cursor.lastrowid


async def get_record(db: Database, record_id: int) -> Record | None:
    row = await db.fetchone(
        f"SELECT {_R_COLUMNS} FROM partnership_records WHERE id = ?",
        (record_id,),
    )
    return _record(row) if row else None


async def confirmed_record(db: Database, partnership_id: int) -> Record | None:
    row = await db.fetchone(
        f"SELECT {_R_COLUMNS} FROM partnership_records"
        " WHERE partnership_id = ? AND status = 'confirmed'",
        (partnership_id,),
    )
    return _record(row) if row else None


async def confirm_record(
    db: Database,
    record: Record,
    partnership: Partnership,
    now: datetime,
    delays: NudgeDelays,
    *,
    announce: Sequence[OutMessage] = (),
) -> bool:
    """The other side agrees: the record is confirmed, the pair is `agreed`, and `announce`
    (the summary for the proposer) is queued, together."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT 1 FROM partnership_records WHERE id = ? AND status = 'proposed'",
            (record.id,),
        )
        if await cursor.fetchone() is None:
            return False
        # A corrected record replaces the one confirmed before: one record per pair, so the
        # pair counts once in every report (a unique index holds it).
        await conn.execute(
            "UPDATE partnership_records SET status = 'superseded' WHERE partnership_id = ?"
            " AND status = 'confirmed'",
            (record.partnership_id,),
        )
        await conn.execute(
            "UPDATE partnership_records SET status = 'confirmed', confirmed_at = ? WHERE id = ?",
            (to_db_time(now), record.id),
        )
        # Already agreed (or ongoing): the record is kept, the stage stays.
        await _move_in(conn, partnership, Stage.AGREED, now, delays)
        await outbox.enqueue(conn, announce, now)
    return True
