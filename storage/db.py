"""The SQLite connection: WAL, foreign keys, numbered migrations tracked in PRAGMA user_version."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def to_db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def migrations() -> list[tuple[int, str]]:
    """The numbered SQL files shipped in storage/migrations, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text("utf-8")))
    found.sort()
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, ... without gaps: {numbers}")
    return found


class Database:
    """Two aiosqlite connections shared by the whole bot: one that writes, one that reads.

    Writes go through `transaction()` (or `execute_write`), which serialises them with a lock:
    a single connection must not interleave two coroutines' transactions.

    Reads (`fetchone`, `fetchall`, `fetch_tuples`) go through a connection of their own, so
    they only ever see committed data: on the writer's connection they would also see what
    another coroutine's open transaction has written so far, and may yet roll back. WAL lets
    that reader run beside the writer without waiting for it. A database in memory cannot be
    opened twice, so there the reads take the write lock instead (same guarantee, no overlap).
    """

    def __init__(
        self, connection: aiosqlite.Connection, reader: aiosqlite.Connection | None = None
    ) -> None:
        self._conn = connection
        self._reader = reader
        self._write_lock = asyncio.Lock()
        # One statement at a time on the reader, run to its end: SQLite keeps a connection's
        # snapshot while any of its statements is still open, so a read interleaved with
        # another coroutine's half-fetched cursor would see the database as it was then (and
        # miss what was committed since, even by its own caller).
        self._read_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        if str(path) != ":memory:":
            _private_file(Path(path))
        conn = await _connect(path)
        # Deleted content is overwritten with zeros instead of left in free space, whatever
        # the SQLite build's default: an erased profile must not survive in the file.
        await conn.execute("PRAGMA secure_delete = ON")
        # WAL keeps readers and the writer apart; synchronous=NORMAL in WAL mode is durable
        # across a process crash (SIGKILL), which is the failure we guard against.
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        db = cls(conn)
        await db.migrate()
        # A process killed after an erasure but before its checkpoint left the erased rows'
        # old pages in the -wal file: fold them in (and zero them) before anything else.
        await db.checkpoint()
        if str(path) != ":memory:":
            _private_file(Path(path))
            db._reader = await _connect(path)
            await db._reader.execute("PRAGMA query_only = ON")
        return db

    async def checkpoint(self) -> bool:
        """Copy the -wal file into the database and truncate it to nothing (after an erasure,
        so that no old page of it stays on disk). False if a reader kept it from finishing."""
        async with self._write_lock:
            row = await (await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")).fetchone()
        busy = bool(row and row[0])
        if busy:
            log.warning("the WAL checkpoint could not finish (a reader is busy)")
        return not busy

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
        await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply the migrations newer than the database, each in its own transaction."""
        current = await self.schema_version()
        for number, sql in migrations():
            if number <= current:
                continue
            async with self._write_lock:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _statements(sql):
                        await self._conn.execute(statement)
                    await self._conn.execute(f"PRAGMA user_version = {number}")
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                await self._conn.execute("COMMIT")
        return await self.schema_version()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        async with self._write_lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def execute_write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One statement, atomic on its own (SQLite autocommit); returns the rows changed.

        Takes the write lock so it never lands inside another coroutine's open transaction.
        """
        async with self._write_lock:
            cursor = await self._conn.execute(sql, tuple(params))
            changed = cursor.rowcount
            await cursor.close()
            return changed

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The reader connection; in memory, the writer's, once no transaction is open."""
        if self._reader is not None:
            async with self._read_lock:
                yield self._reader
            return
        async with self._write_lock:
            yield self._conn

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self._reading() as conn, conn.execute(sql, tuple(params)) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._reading() as conn, conn.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def fetch_tuples(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Plain tuples, for reads of many rows (exports): building a Row per line and then
        a tuple from it costs more than the query itself at 100k rows."""
        async with self._reading() as conn, conn.execute(sql, tuple(params)) as cursor:
            cursor.row_factory = None
            rows: list[tuple[Any, ...]] = list(await cursor.fetchall())  # type: ignore[arg-type]
            return rows


async def _connect(path: str | Path) -> aiosqlite.Connection:
    """A connection in autocommit mode (transactions are explicit), rows by column name,
    waiting up to 5 s for a lock instead of failing at once."""
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _private_file(path: Path) -> None:
    """The database, its -wal and -shm files and a folder created for them are readable by the
    owner only (0600, 0700): they hold people's contact details."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if name.exists():
                name.chmod(0o600)
        except OSError:  # not ours (a read-only mount): the operator's choice stands
            log.warning("could not restrict the permissions of %s", name.name)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements. SQLite itself says where one ends, so a trigger's
    BEGIN ... END body (with its own ';') stays whole."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    found: list[str] = []
    current = ""
    for line in lines:
        current += line + "\n"
        if sqlite3.complete_statement(current):
            found.append(current.strip().removesuffix(";").strip())
            current = ""
    if current.strip():
        found.append(current.strip())
    return [s for s in found if s]
