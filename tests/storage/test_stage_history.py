"""Stage history (migration 007): written with every insert and move, whichever module makes
them, and backfilled for the pairs that existed before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from storage.db import Database, _statements, migrations

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


async def stages(db: Database) -> list[tuple[int, str, str]]:
    rows = await db.fetchall(
        "SELECT partnership_id, stage, entered_at FROM partnership_stages ORDER BY id"
    )
    return [(r[0], r[1], r[2]) for r in rows]


def test_a_trigger_body_stays_one_statement() -> None:
    """The migration splitter keeps BEGIN ... END together (its ';' included)."""
    sql = (
        "CREATE TABLE a (x);\n-- note\n"
        "CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n  SELECT 1;\nEND;\n"
    )
    assert _statements(sql) == [
        "CREATE TABLE a (x)",
        "CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n  SELECT 1;\nEND",
    ]


async def test_existing_pairs_are_backfilled_from_their_dates(tmp_path: Path) -> None:
    """A pair made before the history existed gets its start (introduced, or met for a pair
    recorded on the spot at an event) and its current stage at the time it changed."""
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as conn:
        for number, sql in migrations():
            if number > 5:
                break
            for statement in _statements(sql):
                await conn.execute(statement)
        await conn.execute("PRAGMA user_version = 5")
        now = stamp(T0)
        for org_id, kind in ((1, "association"), (2, "company"), (3, "company")):
            await conn.execute(
                "INSERT INTO organisations (id, kind, name, description, contact_name,"
                " owner_user_id, language, consented_at, confirmed_at, created_at, updated_at)"
                " VALUES (?, ?, 'x', 'x', 'x', ?, 'fr', ?, ?, ?, ?)",
                (org_id, kind, org_id, now, now, now, now),
            )
        await conn.execute(
            "INSERT INTO events (id, title, starts_at, venue, minutes, tables, rounds,"
            " max_per_side, invite_code, organiser_user_id, created_at, updated_at)"
            " VALUES (1, 'e', ?, 'v', 7, 1, 1, 1, 'code', 9, ?, ?)",
            (now, now, now),
        )
        changed = stamp(T0 + timedelta(days=9))
        await conn.execute(
            "INSERT INTO partnerships (id, association_id, company_id, stage, caller_id,"
            " created_at, updated_at, stage_changed_at) VALUES (1, 1, 2, 'met', 1, ?, ?, ?)",
            (now, changed, changed),
        )
        await conn.execute(
            "INSERT INTO partnerships (id, association_id, company_id, stage, event_id,"
            " created_at, updated_at, stage_changed_at) VALUES (2, 1, 3, 'met', 1, ?, ?, ?)",
            (now, now, now),
        )
        await conn.commit()
    db = await Database.open(path)
    try:
        assert await stages(db) == [
            (1, "introduced", now),
            (2, "met", now),
            (1, "met", changed),
        ]
        # From now on the triggers write it: a move, and a new pair.
        later = stamp(T0 + timedelta(days=20))
        async with db.transaction() as conn:
            await conn.execute(
                "UPDATE partnerships SET stage = 'agreed', stage_changed_at = ? WHERE id = 1",
                (later,),
            )
            await conn.execute("UPDATE partnerships SET updated_at = ? WHERE id = 1", (later,))
        assert (await stages(db))[-1] == (1, "agreed", later)
        assert len(await stages(db)) == 4, "a change that is not a move writes nothing"
    finally:
        await db.close()
