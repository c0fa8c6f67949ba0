"""Speed-meeting events, participants, wishes, schedules and follow-up marks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum

import aiosqlite

from core.delivery import OutMessage
from core.events import Event, EventStatus
from core.pipeline import NudgeKind, Planned
from core.speedmeeting import Meeting
from storage import outbox
from storage.db import Database, from_db_time, to_db_time
from storage.pipeline import plan

_COLUMNS = (
    "id, title, starts_at, venue, minutes, tables, rounds, max_per_side, status, live,"
    " invite_code, organiser_user_id, schedule_version"
)


def _event(row: aiosqlite.Row) -> Event:
    return Event(
        id=row["id"],
        title=row["title"],
        starts_at=from_db_time(row["starts_at"]),
        venue=row["venue"],
        minutes=row["minutes"],
        tables=row["tables"],
        rounds=row["rounds"],
        max_per_side=row["max_per_side"],
        status=EventStatus(row["status"]),
        live=bool(row["live"]),
        invite_code=row["invite_code"],
        organiser_user_id=row["organiser_user_id"],
        schedule_version=row["schedule_version"],
    )


async def create(
    db: Database,
    *,
    title: str,
    starts_at: datetime,
    venue: str,
    minutes: int,
    tables: int,
    rounds: int,
    max_per_side: int,
    invite_code: str,
    organiser_user_id: int,
    now: datetime,
) -> Event:
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO events (title, starts_at, venue, minutes, tables, rounds, max_per_side,"
            " invite_code, organiser_user_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                title,
                to_db_time(starts_at),
                venue,
                minutes,
                tables,
                rounds,
                max_per_side,
                invite_code,
                organiser_user_id,
                to_db_time(now),
                to_db_time(now),
            ),
        )
        event_id = cursor.lastrowid
    assert event_id is not None
    event = await get(db, event_id)
    assert event is not None
    return event


async def update(
    db: Database,
    event_id: int,
    now: datetime,
    fields: Mapping[str, object],
    *,
    announce: Sequence[OutMessage] = (),
    reminders: list[Planned] | None = None,
    rounds: list[Planned] | None = None,
    new_version: bool = False,
) -> None:
    """Change an event's details, and with them (in one transaction): the notices that tell
    its participants, the reminders and live rounds planned anew (when given), and a new
    schedule version (so that re-issued calendar files replace the old entries)."""
    allowed = {"title", "starts_at", "venue", "minutes", "tables", "rounds", "max_per_side"}
    values = {k: (to_db_time(v) if isinstance(v, datetime) else v) for k, v in fields.items()}
    assert set(values) <= allowed
    sets = ", ".join(f"{k} = ?" for k in values)
    async with db.transaction() as conn:
        await conn.execute(
            # A re-issue (new_version) sends participants the new state: it counts as published.
            f"UPDATE events SET {sets}, revision = revision + 1, updated_at = ?,"
            " schedule_version = schedule_version + ?,"
            " published_revision = CASE WHEN ? THEN revision + 1 ELSE published_revision END"
            " WHERE id = ?",
            (*values.values(), to_db_time(now), int(new_version), int(new_version), event_id),
        )
        if reminders is not None:
            await _cancel(conn, event_id, NudgeKind.EVENT_REMINDER)
            await plan(conn, reminders, now)
        if rounds is not None:
            await _cancel(conn, event_id, NudgeKind.EVENT_ROUND)
            await plan(conn, rounds, now)
        await outbox.enqueue(conn, announce, now)


async def get(db: Database, event_id: int) -> Event | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM events WHERE id = ?", (event_id,))
    return _event(row) if row else None


async def by_code(db: Database, code: str) -> Event | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM events WHERE invite_code = ?", (code,))
    return _event(row) if row else None


async def list_all(db: Database) -> list[Event]:
    rows = await db.fetchall(f"SELECT {_COLUMNS} FROM events ORDER BY starts_at DESC")
    return [_event(r) for r in rows]


async def of_participant(db: Database, org_id: int) -> list[Event]:
    rows = await db.fetchall(
        f"SELECT {', '.join('e.' + c.strip() for c in _COLUMNS.split(','))} FROM events e"
        " JOIN event_participants p ON p.event_id = e.id WHERE p.organisation_id = ?"
        " AND e.status != 'cancelled' ORDER BY e.starts_at",
        (org_id,),
    )
    return [_event(r) for r in rows]


async def cancel(
    db: Database, event_id: int, now: datetime, *, announce: Sequence[OutMessage] = ()
) -> bool:
    """Cancel the event, its reminders and live rounds, and queue the notices, together.
    False if it was cancelled already (a second press tells nobody twice)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE events SET status = 'cancelled', updated_at = ? WHERE id = ?"
            " AND status != 'cancelled'",
            (to_db_time(now), event_id),
        )
        if cursor.rowcount == 0:
            return False
        await _cancel(conn, event_id, NudgeKind.EVENT_REMINDER)
        await _cancel(conn, event_id, NudgeKind.EVENT_ROUND)
        await outbox.enqueue(conn, announce, now)
    return True


async def set_live(
    db: Database, event_id: int, rounds: list[Planned] | None, now: datetime
) -> None:
    """Live mode on (with one message per participant at each round's start) or off (`rounds`
    None), together."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE events SET live = ? WHERE id = ?", (int(rounds is not None), event_id)
        )
        await _cancel(conn, event_id, NudgeKind.EVENT_ROUND)
        await plan(conn, rounds or [], now)


class Joined(StrEnum):
    JOINED = "joined"
    ALREADY = "already"  # a member already (the link opened twice)
    FULL = "full"  # its side reached the event's maximum
    CLOSED = "closed"  # cancelled (or unknown)


async def join(db: Database, event_id: int, org_id: int, now: datetime) -> Joined:
    """Register the organisation for the event if its side still has room.

    The count and the insert are one statement inside one transaction: eight people opening
    the link at once cannot pass a limit of two.
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO event_participants (event_id, organisation_id, joined_at)"
            " SELECT e.id, o.id, ? FROM events e JOIN organisations o ON o.id = ?"
            " WHERE e.id = ? AND e.status != 'cancelled' AND o.left_at IS NULL"
            " AND (SELECT COUNT(*) FROM event_participants p JOIN organisations s"
            " ON s.id = p.organisation_id WHERE p.event_id = e.id AND s.kind = o.kind)"
            " < e.max_per_side",
            (to_db_time(now), org_id, event_id),
        )
        if cursor.rowcount:
            # Agendas published before this join are out of date: a new publication is due.
            await conn.execute(
                "UPDATE events SET revision = revision + 1 WHERE id = ?", (event_id,)
            )
            return Joined.JOINED
        cursor = await conn.execute(
            "SELECT (SELECT status FROM events WHERE id = ?),"
            " EXISTS (SELECT 1 FROM event_participants WHERE event_id = ?"
            " AND organisation_id = ?)",
            (event_id, event_id, org_id),
        )
        row = await cursor.fetchone()
    assert row is not None
    status, member = row
    if status is None or status == EventStatus.CANCELLED:
        return Joined.CLOSED
    return Joined.ALREADY if member else Joined.FULL


async def participants(db: Database, event_id: int) -> list[int]:
    rows = await db.fetchall(
        "SELECT organisation_id FROM event_participants WHERE event_id = ? ORDER BY joined_at",
        (event_id,),
    )
    return [r[0] for r in rows]


async def unscheduled(db: Database, event_id: int) -> int:
    """Participants with no meeting in the schedule (registered after it was published)."""
    row = await db.fetchone(
        "SELECT COUNT(*) FROM event_participants p WHERE p.event_id = ? AND NOT EXISTS ("
        " SELECT 1 FROM event_meetings m WHERE m.event_id = p.event_id"
        " AND p.organisation_id IN (m.company_id, m.association_id))",
        (event_id,),
    )
    return int(row[0]) if row else 0


async def count_side(db: Database, event_id: int, kind: str) -> int:
    """How many participants of one kind (association or company) the event has."""
    row = await db.fetchone(
        "SELECT COUNT(*) FROM event_participants p JOIN organisations o"
        " ON o.id = p.organisation_id WHERE p.event_id = ? AND o.kind = ?",
        (event_id, kind),
    )
    return int(row[0]) if row else 0


async def toggle_wish(db: Database, event_id: int, who: int, whom: int) -> bool | None:
    """True if the wish is now on, False if off; None if refused: wishes are only about a
    participant of the other side, from a participant, while the event is open."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM event_wishes WHERE event_id = ? AND who_id = ? AND whom_id = ?",
            (event_id, who, whom),
        )
        if cursor.rowcount:
            return False
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO event_wishes (event_id, who_id, whom_id)"
            " SELECT e.id, a.organisation_id, b.organisation_id FROM events e"
            " JOIN event_participants a ON a.event_id = e.id AND a.organisation_id = ?"
            " JOIN event_participants b ON b.event_id = e.id AND b.organisation_id = ?"
            " JOIN organisations oa ON oa.id = a.organisation_id"
            " JOIN organisations ob ON ob.id = b.organisation_id"
            " WHERE e.id = ? AND e.status = 'open' AND oa.kind != ob.kind"
            " AND ob.left_at IS NULL",
            (who, whom, event_id),
        )
    return True if cursor.rowcount else None


async def wishes(db: Database, event_id: int) -> set[tuple[int, int]]:
    rows = await db.fetchall(
        "SELECT who_id, whom_id FROM event_wishes WHERE event_id = ?", (event_id,)
    )
    return {(r[0], r[1]) for r in rows}


async def meetings(db: Database, event_id: int, of: int | None = None) -> list[Meeting]:
    """The schedule, or only the meetings of participant `of`."""
    rows = await db.fetchall(
        "SELECT company_id, association_id, round, table_no FROM event_meetings"
        " WHERE event_id = ? AND (? IS NULL OR ? IN (company_id, association_id))"
        " ORDER BY round, table_no",
        (event_id, of, of),
    )
    return [Meeting(r[0], r[1], r[2], r[3]) for r in rows]


async def publish(
    db: Database,
    event: Event,
    schedule: list[Meeting],
    reminders: list[Planned],
    now: datetime,
    *,
    announce: Sequence[OutMessage] = (),
    rounds: list[Planned] | None = None,
) -> bool:
    """Store the schedule, bump its version, (re)plan the reminders (and the live rounds, if
    given) and queue the agendas and grids that announce it, all together.

    False (and nothing stored or sent) if the event changed since `event` was read (another
    publication came first: a double tap, or two organisers) or if it is published already
    with nothing changed since: every agenda goes out once per change.
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE events SET status = 'published', schedule_version = schedule_version + 1,"
            " published_revision = revision, updated_at = ? WHERE id = ?"
            " AND schedule_version = ? AND status != 'cancelled'"
            " AND (status = 'open' OR published_revision IS NULL"
            " OR published_revision != revision)",
            (to_db_time(now), event.id, event.schedule_version),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute("DELETE FROM event_meetings WHERE event_id = ?", (event.id,))
        await conn.executemany(
            "INSERT INTO event_meetings (event_id, company_id, association_id, round, table_no)"
            " VALUES (?, ?, ?, ?, ?)",
            [(event.id, m.company, m.association, m.round, m.table) for m in schedule],
        )
        await _cancel(conn, event.id, NudgeKind.EVENT_REMINDER)
        await plan(conn, reminders, now)
        if rounds is not None:
            await _cancel(conn, event.id, NudgeKind.EVENT_ROUND)
            await plan(conn, rounds, now)
        await outbox.enqueue(conn, announce, now)
    return True


async def _cancel(conn: aiosqlite.Connection, event_id: int, kind: NudgeKind) -> None:
    await conn.execute(
        "UPDATE nudges SET state = 'cancelled' WHERE event_id = ? AND state = 'pending'"
        " AND kind = ?",
        (event_id, kind.value),
    )
