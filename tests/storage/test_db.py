"""The connection layer: reads see committed data only, and never wait for a writer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import users
from storage.db import Database, to_db_time

NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.sqlite3")
    yield database
    await database.close()


async def _write_then_wait(db: Database, written: asyncio.Event, go_on: asyncio.Event) -> None:
    """Insert a user in a transaction, and keep it open until told to go on."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (user_id, language, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (42, "en", to_db_time(NOW), to_db_time(NOW)),
        )
        written.set()
        await go_on.wait()


async def test_a_read_during_another_coroutines_transaction_does_not_see_its_write(
    db: Database,
) -> None:
    """While one coroutine's transaction is open, another coroutine reads the state before it
    (at once, without waiting for the commit); after the commit it reads the new state."""
    written, go_on = asyncio.Event(), asyncio.Event()
    writer = asyncio.create_task(_write_then_wait(db, written, go_on))
    await asyncio.wait_for(written.wait(), 5)

    assert await asyncio.wait_for(users.get_language(db, 42), 2) is None

    go_on.set()
    await writer
    assert await users.get_language(db, 42) == "en"


async def test_a_write_rolled_back_was_never_seen(db: Database) -> None:
    """A transaction that fails leaves nothing a reader could have seen, before or after."""
    written, go_on = asyncio.Event(), asyncio.Event()

    async def fail() -> None:
        await go_on.wait()
        raise RuntimeError("the handler failed after writing")

    async def write_and_fail() -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (user_id, language, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (43, "fr", to_db_time(NOW), to_db_time(NOW)),
            )
            written.set()
            await fail()

    writer = asyncio.create_task(write_and_fail())
    await asyncio.wait_for(written.wait(), 5)
    assert await users.get_language(db, 43) is None
    go_on.set()
    with pytest.raises(RuntimeError):
        await writer
    assert await users.get_language(db, 43) is None


async def test_what_was_committed_is_read_at_once_however_busy_the_reader(db: Database) -> None:
    """Other coroutines reading all the time (as the dispatcher and the warm-up do) never make
    a read see an older snapshot: a row just committed is always found by the next read. Before
    the reader took one statement at a time, a half-fetched cursor of another coroutine kept
    the connection's old snapshot, and the row was missing about once in a few hundred."""
    stop = asyncio.Event()

    async def busy_reader() -> None:
        while not stop.is_set():
            await db.fetchall("SELECT user_id FROM users")

    readers = [asyncio.create_task(busy_reader()) for _ in range(4)]
    try:
        for user_id in range(1, 301):
            await db.execute_write(
                "INSERT INTO users (user_id, language, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (user_id, "fr", to_db_time(NOW), to_db_time(NOW)),
            )
            found = await db.fetchone("SELECT user_id FROM users WHERE user_id = ?", (user_id,))
            assert found is not None, f"user {user_id} committed but not read"
    finally:
        stop.set()
        await asyncio.gather(*readers)
