"""Storage: migrations, organisations, conversations, erasure."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.models import Contact, Item, Location, OrgKind, OrgStatus, ProfileData
from storage import conversations, organisations, personal, users
from storage.db import Database, migrations

NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.sqlite3")
    yield database
    await database.close()


def profile(owner: int = 7, name: str = "Pixel & Co") -> ProfileData:
    return ProfileData(
        kind=OrgKind.COMPANY,
        name=name,
        description="Agence web",
        location=Location("Strasbourg"),
        needs=(Item("team_building", "journée solidaire"),),
        offers=(Item("web", "sites"), Item("design")),
        contact=Contact("Julie", "julie@pixel.example", None),
        language="fr",
        owner_user_id=owner,
        owner_username="julie",
    )


async def test_migrations_are_applied_once_and_tracked(tmp_path: Path) -> None:
    """user_version records the last migration; opening again applies nothing twice."""
    path = tmp_path / "m.sqlite3"
    first = await Database.open(path)
    assert await first.schema_version() == len(migrations())
    mode = await first.fetchone("PRAGMA journal_mode")
    assert mode is not None
    assert mode[0] == "wal"
    await first.close()
    again = await Database.open(path)
    assert await again.migrate() == len(migrations())
    await again.close()


async def test_organisation_round_trip_and_update(db: Database) -> None:
    created = await organisations.create(db, profile(), NOW)
    assert created.offers == (Item("web", "sites"), Item("design"))
    assert created.status is OrgStatus.ACTIVE
    async with db.transaction() as conn:
        await organisations.save_profile(conn, profile(name="Pixel SA"), created.id, now=NOW)
    updated = await organisations.get_by_owner(db, 7)
    assert updated is not None
    assert updated.name == "Pixel SA"
    assert updated.id == created.id
    assert updated.created_at == created.created_at
    assert await organisations.count(db) == 1


async def test_pause_and_erase(db: Database) -> None:
    await organisations.create(db, profile(), NOW)
    assert await organisations.set_status(db, 7, OrgStatus.PAUSED, NOW)
    assert await organisations.list_all(db, status=OrgStatus.ACTIVE) == []
    assert not await organisations.set_status(db, 99, OrgStatus.PAUSED, NOW)
    await users.set_language(db, 7, "en", NOW)
    assert await personal.erase(db, 7, NOW)
    assert await organisations.get_by_owner(db, 7) is None
    assert await users.get_language(db, 7) is None
    leftovers = await db.fetchone("SELECT COUNT(*) FROM organisation_items")
    assert leftovers is not None
    assert leftovers[0] == 0, "needs and offers go with their organisation"


async def test_a_failed_transaction_changes_nothing(db: Database) -> None:
    await organisations.create(db, profile(), NOW)
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM organisations")
            raise RuntimeError("boom")
    assert await organisations.count(db) == 1


async def test_conversation_steps_are_kept_per_user(db: Database) -> None:
    draft: dict[str, object] = {"language": "en", "name": "Asso « 🌱 »"}
    await conversations.save_data(
        db, "registration", chat_id=1, user_id=1, state="name", data=draft, now=NOW
    )
    await conversations.save_data(
        db, "registration", chat_id=2, user_id=2, state="kind", data=draft, now=NOW
    )
    assert await conversations.states(db, "registration") == {(1, 1): "name", (2, 2): "kind"}
    loaded = await conversations.load_data(db, "registration", 1, 1)
    assert loaded == ("name", draft)
    await conversations.delete(db, "registration", 1, 1)
    assert await conversations.load_data(db, "registration", 1, 1) is None


async def test_migration_6_keeps_one_request_per_pair_and_one_confirmed_record(
    tmp_path: Path,
) -> None:
    """Data an older version let through (requests both ways, two confirmed records, sent
    messages with their text) is brought within the new rules, not refused."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for number, sql in migrations()[:5]:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {number}")
    stamp = "2026-01-01T00:00:00+00:00"
    org = (
        "INSERT INTO organisations (id, kind, name, description, contact_name, owner_user_id,"
        " language, consented_at, confirmed_at, created_at, updated_at)"
        " VALUES (?, ?, 'X', 'x', 'x', ?, 'fr', ?, ?, ?, ?)"
    )
    conn.execute(org, (1, "association", 101, stamp, stamp, stamp, stamp))
    conn.execute(org, (2, "company", 102, stamp, stamp, stamp, stamp))
    for from_id, to_id in ((1, 2), (2, 1)):
        conn.execute(
            "INSERT INTO interests (from_id, to_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (from_id, to_id, stamp, stamp),
        )
    conn.execute(
        "INSERT INTO partnerships (id, association_id, company_id, created_at, updated_at)"
        " VALUES (1, 1, 2, ?, ?)",
        (stamp, stamp),
    )
    for _ in range(2):
        conn.execute(
            "INSERT INTO partnership_records (partnership_id, proposer_id, giver, kind,"
            " description, status, created_at) VALUES (1, 1, 'both', 'skills', 'x',"
            " 'confirmed', ?)",
            (stamp,),
        )
    conn.execute(
        "INSERT INTO outbox (chat_id, kind, method, payload, due_at, state, created_at)"
        " VALUES (101, 'introduction', 'message', '{\"text\": \"julie@pixel.example\"}', ?,"
        " 'sent', ?)",
        (stamp, stamp),
    )
    conn.commit()
    conn.close()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(migrations())
        rows = await db.fetchall("SELECT from_id FROM interests")
        assert [r[0] for r in rows] == [1], "the older request of the pair stays"
        rows = await db.fetchall("SELECT status FROM partnership_records ORDER BY id")
        assert [r[0] for r in rows] == ["superseded", "confirmed"]
        row = await db.fetchone("SELECT payload FROM outbox")
        assert row is not None
        assert row[0] == "{}"
    finally:
        await db.close()
