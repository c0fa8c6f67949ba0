"""The rows every step of the partnership pipeline writes, inside the caller's transaction:
a new pair's partnership and the nudges planned after it (an introduction, a meeting marked
at an event, a record made on the spot, a stage moved, an event's reminders)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from core.pipeline import Planned, Stage
from storage.db import to_db_time


async def plan(
    conn: aiosqlite.Connection, planned: Iterable[Planned], now: datetime, *, asked_before: int = 0
) -> None:
    """Store planned nudges inside the caller's transaction (the event and its nudges are
    written together, or not at all)."""
    await conn.executemany(
        "INSERT INTO nudges (kind, recipient_id, partnership_id, interest_id, event_id, round,"
        " due_at, asked_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                p.kind.value,
                p.recipient_id,
                p.partnership_id,
                p.interest_id,
                p.event_id,
                p.round,
                to_db_time(p.due_at),
                asked_before,
                to_db_time(now),
            )
            for p in planned
        ],
    )


async def start_pair(
    conn: aiosqlite.Connection,
    *,
    association_id: int,
    company_id: int,
    now: datetime,
    stage: Stage = Stage.INTRODUCED,
    caller_id: int | None = None,
    interest_id: int | None = None,
    event_id: int | None = None,
) -> int | None:
    """The pair's partnership, inside the caller's transaction: its id when it is new, None
    when the pair had one already (one partnership per pair, kept as it is)."""
    moment = to_db_time(now)
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO partnerships (association_id, company_id, stage, caller_id,"
        " interest_id, event_id, created_at, updated_at, stage_changed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            association_id,
            company_id,
            stage.value,
            caller_id,
            interest_id,
            event_id,
            moment,
            moment,
            moment,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None
