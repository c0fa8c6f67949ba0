"""Online backups with SQLite's backup API, and the checks and swap of a restore.

These run in a worker thread (blocking sqlite3 calls) on connections of their own, so the
bot's connection keeps serving while a backup is taken: WAL lets one writer go on while the
backup reads a consistent snapshot.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from storage.db import migrations


class BackupError(Exception):
    """A backup that must not be restored (damaged, or from a newer version of the bot)."""


def _open_existing(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    # mode=rw never creates a missing file (a typo in a path must not give an empty database).
    mode = "ro" if read_only else "rw"
    return sqlite3.connect(f"file:{path}?mode={mode}", uri=True)


def copy(source: Path, target: Path) -> None:
    """A consistent copy of `source` into `target` as one self-contained file (no -wal)."""
    with closing(_open_existing(source)) as src, closing(sqlite3.connect(target)) as dst:
        # All pages in one step: a single read snapshot, whatever the bot writes meanwhile.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")


def check(path: Path) -> int:
    """The backup's schema version, after SQLite's integrity check."""
    try:
        with closing(_open_existing(path, read_only=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name} is not a readable SQLite database ({error})") from None
    if verdict != "ok":
        raise BackupError(f"{path.name} is damaged: {verdict}")
    if version > len(migrations()):
        raise BackupError(f"{path.name} comes from a newer version of the bot (schema {version})")
    return version


def restore(backup: Path, database: Path) -> Path | None:
    """Put `backup` in the place of `database` (the bot must be stopped).

    The database being replaced, if any, is first copied beside it as
    `<name>.before-restore` (its WAL included), so a restore can itself be undone.
    Returns that copy's path.
    """
    check(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + ".restoring")
    copy(backup, incoming)
    kept = None
    if database.exists():
        kept = database.with_name(database.name + ".before-restore")
        kept.unlink(missing_ok=True)
        copy(database, kept)
    # The old database's WAL and shared memory belong to it: left behind, SQLite would
    # replay them into the restored file.
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    os.replace(incoming, database)
    return kept
