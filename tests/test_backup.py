"""Daily online backups (SQLite's backup API) and a restore, through the running bot."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot import backup
from bot.operations import Operations
from sandbox.scenarios import association_profile
from sandbox.standin import BotApiStandIn
from storage import backup as sqlite_backup
from storage import organisations
from storage.db import Database
from tests.harness import Clock, bot_running, seed

ROOT = Path(__file__).resolve().parents[1]


async def restore_cli(backup_file: Path, database: Path) -> tuple[int, str]:
    """`python -m bot.backup --restore FILE`, configured by the environment only."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.backup", "--restore", str(backup_file),
        env={**os.environ, "DATABASE_PATH": str(database), "PYTHONPATH": str(ROOT)},
        cwd=database.parent, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_restore_brings_back_what_was_deleted_after_the_backup(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """Back up, an organisation is deleted, restore the backup (bot stopped): the bot shows
    the organisation again; the database that was replaced is kept beside it."""
    db_path, backups = tmp_path / "data" / "passerelle.sqlite3", tmp_path / "backups"
    marie = standin.user(5001, "Marie")
    clock = Clock()
    async with bot_running(standin, db_path, clock=clock, backup_dir=backups) as (app, _):
        await seed(app, standin, association_profile(5001, "Les Tournesols"))
        operations = app.bot_data["operations"]
        assert isinstance(operations, Operations)
        clock.advance(minutes=1)
        made = await operations.back_up(clock())
        await marie.send("/delete")
        shown = await marie.press("Oui")
        assert "effacées" in shown[-1].text
        shown = await marie.send("/profile")
        assert "pas encore de profil" in shown[-1].text

    status, output = await restore_cli(made, db_path)
    assert status == 0, output
    assert "before-restore" in output

    async with bot_running(standin, db_path, clock=clock, backup_dir=backups):
        shown = await marie.send("/profile")
        assert "Les Tournesols" in shown[-1].text
    kept = await Database.open(db_path.with_name(db_path.name + ".before-restore"))
    try:
        assert await organisations.get_by_owner(kept, 5001) is None
    finally:
        await kept.close()


async def test_a_backup_is_taken_at_start_when_none_is_recent(
    standin: BotApiStandIn, db_path: Path, tmp_path: Path
) -> None:
    """No backup yet (or the bot was down at BACKUP_TIME): one is taken at start-up; a
    restart the same day takes none."""
    backups, clock = tmp_path / "backups", Clock()
    async with bot_running(standin, db_path, clock=clock, backup_dir=backups):
        async with asyncio.timeout(10):
            while True:
                if backup.backups(backups):
                    break
                await asyncio.sleep(0.05)
    first = backup.backups(backups)
    assert [backup.taken_at(p) for p in first] == [clock()]
    clock.advance(hours=5)
    async with bot_running(standin, db_path, clock=clock, backup_dir=backups) as (app, _):
        jobs = app.job_queue
        assert jobs is not None
        daily = jobs.get_jobs_by_name("backup")
        assert len(daily) == 1, "only the daily job; no catch-up"
        assert daily[0].next_t is not None
        assert (daily[0].next_t.hour, daily[0].next_t.minute) == (3, 30)
    assert backup.backups(backups) == first


async def test_only_the_newest_backups_are_kept(tmp_path: Path) -> None:
    """Each backup is a complete, checked database; beyond BACKUP_KEEP the oldest go."""
    db_path, backups, clock = tmp_path / "live.sqlite3", tmp_path / "backups", Clock()
    db = await Database.open(db_path)
    try:
        for day in range(4):
            await organisations.create(db, association_profile(6000 + day, f"Asso {day}"), clock())
            await backup.back_up(db_path, backups, 3, clock())
            clock.advance(days=1)
    finally:
        await db.close()
    kept = backup.backups(backups)
    assert len(kept) == 3
    assert [p.name for p in kept] == sorted(p.name for p in kept)
    assert sorted(backups.iterdir()) == kept, "no partial files left behind"
    newest = await Database.open(kept[-1])
    try:
        assert await organisations.count(newest) == 4
    finally:
        await newest.close()
    assert not backup.overdue(backups, clock() - timedelta(hours=1))
    assert backup.overdue(backups, clock() + timedelta(days=1))


async def test_a_damaged_backup_is_not_restored(tmp_path: Path) -> None:
    db_path = tmp_path / "passerelle.sqlite3"
    db = await Database.open(db_path)
    await db.close()
    before = db_path.read_bytes()
    damaged = tmp_path / "passerelle-20260101T000000Z.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(sqlite_backup.BackupError):
        sqlite_backup.check(damaged)
    status, output = await restore_cli(damaged, db_path)
    assert status == 1
    assert "Not restored" in output
    assert db_path.read_bytes() == before
