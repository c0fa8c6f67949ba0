"""Reports ("Signaler"), organisations paused or removed by organisers, the audit log, and the
organisers' names. Every organiser action is written to the audit log in the same transaction
as the change it makes, with the message that tells the owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.delivery import OutMessage
from storage import outbox
from storage.db import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    reporter_user_id: int
    organisation_id: int
    reason: str
    seen_text: str
    status: str
    created_at: datetime
    reporter_name: str | None  # the reporter's organisation, if they have one
    organisation_name: str


@dataclass(frozen=True, slots=True)
class Hold:
    """An organisation paused or removed by an organiser."""

    organisation_id: int
    action: str
    reason: str
    previous_status: str
    by_user_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    actor_user_id: int
    actor_name: str | None
    action: str
    target: str
    detail: str
    created_at: datetime


# --- the audit log and the organisers' names ------------------------------------------------


async def write_audit(
    conn: aiosqlite.Connection,
    actor: int,
    action: str,
    now: datetime,
    *,
    target: str = "",
    detail: str = "",
) -> None:
    """One entry, inside the caller's transaction (with the change it records)."""
    await conn.execute(
        "INSERT INTO audit_log (actor_user_id, action, target, detail, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (actor, action, target, detail[:500], to_db_time(now)),
    )


async def audit(
    db: Database, actor: int, action: str, now: datetime, *, target: str = "", detail: str = ""
) -> None:
    """One entry in a transaction of its own (for actions that change nothing else: viewing,
    exporting)."""
    async with db.transaction() as conn:
        await write_audit(conn, actor, action, now, target=target, detail=detail)


async def audit_page(
    db: Database, *, before: int | None = None, limit: int = 30
) -> list[AuditEntry]:
    """The newest entries (older than entry `before`, for the next page)."""
    rows = await db.fetchall(
        "SELECT a.id, a.actor_user_id, g.name, a.action, a.target, a.detail, a.created_at"
        " FROM audit_log a LEFT JOIN organisers g ON g.user_id = a.actor_user_id"
        " WHERE (? IS NULL OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
        (before, before, limit),
    )
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], from_db_time(r[6])) for r in rows]


async def remember_organiser(db: Database, user_id: int, name: str, now: datetime) -> None:
    """Keep the organiser's name as Telegram shows it (written only when it changed)."""
    row = await db.fetchone("SELECT name FROM organisers WHERE user_id = ?", (user_id,))
    if row is not None and row[0] == name:
        return
    await db.execute_write(
        "INSERT INTO organisers (user_id, name, seen_at) VALUES (?, ?, ?) ON CONFLICT (user_id)"
        " DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at",
        (user_id, name, to_db_time(now)),
    )


async def organiser_names(db: Database) -> dict[int, str]:
    rows = await db.fetchall("SELECT user_id, name FROM organisers")
    return {int(r[0]): str(r[1]) for r in rows}


# --- reports --------------------------------------------------------------------------------


async def report(
    db: Database,
    reporter: int,
    organisation_id: int,
    *,
    reason: str,
    seen_text: str,
    now: datetime,
    announce: Sequence[OutMessage] = (),
) -> bool:
    """Record a report and queue the organisers' notices, together. False if the same person
    already has an open report about this organisation (nobody is told twice)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO reports (reporter_user_id, organisation_id, reason, seen_text,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            (reporter, organisation_id, reason, seen_text[:1000], to_db_time(now)),
        )
        if cursor.rowcount == 0:
            return False
        await outbox.enqueue(conn, announce, now)
    return True


_REPORT = (
    "SELECT r.id, r.reporter_user_id, r.organisation_id, r.reason, r.seen_text, r.status,"
    " r.created_at, f.name, o.name FROM reports r JOIN organisations o ON o.id = r.organisation_id"
    " LEFT JOIN organisations f ON f.owner_user_id = r.reporter_user_id"
)


def _report(row: aiosqlite.Row) -> Report:
    return Report(
        row[0], row[1], row[2], row[3], row[4], row[5], from_db_time(row[6]), row[7], row[8]
    )


async def open_reports(db: Database, limit: int = 20) -> tuple[list[Report], int]:
    """The oldest open reports first, and how many are open in all."""
    rows = await db.fetchall(f"{_REPORT} WHERE r.status = 'open' ORDER BY r.id LIMIT ?", (limit,))
    total = await db.fetchone("SELECT COUNT(*) FROM reports WHERE status = 'open'")
    return [_report(r) for r in rows], int(total[0]) if total else 0


async def get_report(db: Database, report_id: int) -> Report | None:
    row = await db.fetchone(f"{_REPORT} WHERE r.id = ?", (report_id,))
    return _report(row) if row else None


async def close_report(db: Database, report_id: int, actor: int, now: datetime) -> bool:
    """Dismissed (or dealt with): written to the audit log with it. False if already closed."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE reports SET status = 'closed', closed_by = ?, closed_at = ?"
            " WHERE id = ? AND status = 'open'",
            (actor, to_db_time(now), report_id),
        )
        if cursor.rowcount == 0:
            return False
        await write_audit(conn, actor, "report.close", now, target=f"report:{report_id}")
    return True


# --- pausing, removing, restoring -----------------------------------------------------------


async def hold_of(db: Database, organisation_id: int) -> Hold | None:
    row = await db.fetchone(
        "SELECT organisation_id, action, reason, previous_status, by_user_id, created_at"
        " FROM moderation WHERE organisation_id = ?",
        (organisation_id,),
    )
    if row is None:
        return None
    return Hold(row[0], row[1], row[2], row[3], row[4], from_db_time(row[5]))


async def hold(
    db: Database,
    organisation_id: int,
    *,
    action: str,
    reason: str,
    actor: int,
    now: datetime,
    announce: Sequence[OutMessage] = (),
) -> bool:
    """Pause or remove an organisation: it leaves matching, notifications and nudges (its
    status is 'paused'), its open reports are closed, the owner is told why (`announce`) and
    the audit log records it, all together. A second action replaces the first (pause, then
    remove); the status it had before any of them is the one restored. False if unknown."""
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT status FROM organisations WHERE id = ?", (organisation_id,)
        )
        row = await cursor.fetchone()
        if row is None:
            return False
        await conn.execute(
            "INSERT INTO moderation (organisation_id, action, reason, previous_status,"
            " by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (organisation_id)"
            " DO UPDATE SET action = excluded.action, reason = excluded.reason,"
            " by_user_id = excluded.by_user_id, created_at = excluded.created_at",
            (organisation_id, action, reason, row[0], actor, stamp),
        )
        await conn.execute(
            "UPDATE organisations SET status = 'paused', updated_at = ? WHERE id = ?",
            (stamp, organisation_id),
        )
        await conn.execute(
            "UPDATE reports SET status = 'closed', closed_by = ?, closed_at = ?"
            " WHERE organisation_id = ? AND status = 'open'",
            (actor, stamp, organisation_id),
        )
        await write_audit(
            conn, actor, f"org.{action}", now, target=f"org:{organisation_id}", detail=reason
        )
        await outbox.enqueue(conn, announce, now)
    return True


async def restore(
    db: Database,
    organisation_id: int,
    actor: int,
    now: datetime,
    *,
    announce: Sequence[OutMessage] = (),
) -> bool:
    """Lift a pause or removal: the organisation gets back the status it had; the owner is told
    and the audit log records it, together. False if it was not held."""
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM moderation WHERE organisation_id = ? RETURNING previous_status",
            (organisation_id,),
        )
        row = await cursor.fetchone()
        if row is None:
            return False
        await conn.execute(
            "UPDATE organisations SET status = ?, updated_at = ? WHERE id = ?",
            (row[0], stamp, organisation_id),
        )
        await write_audit(conn, actor, "org.restore", now, target=f"org:{organisation_id}")
        await outbox.enqueue(conn, announce, now)
    return True


async def find_organisations(db: Database, words: str, limit: int = 10) -> list[int]:
    """Organisations whose name contains `words` (any case), or whose id it is."""
    if words.isdigit():
        row = await db.fetchone(
            "SELECT id FROM organisations WHERE id = ? AND left_at IS NULL", (int(words),)
        )
        return [int(row[0])] if row else []
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = await db.fetchall(
        "SELECT id FROM organisations WHERE name LIKE ? ESCAPE '\\' AND left_at IS NULL"
        " ORDER BY name LIMIT ?",
        (pattern, limit),
    )
    return [int(r[0]) for r in rows]
