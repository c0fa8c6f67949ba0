"""Daily online backups into BACKUP_DIR, keeping the newest BACKUP_KEEP; and the command line.

    python -m bot.backup                     # one backup now (the bot may be running)
    python -m bot.backup --list              # the backups, newest last
    python -m bot.backup --restore FILE      # put FILE in DATABASE_PATH's place (bot stopped)

Backups are named after the moment they were taken (UTC), so their names sort by age; a file
is written under a temporary name, checked, then renamed, so a crash never leaves a half
backup under a real name. The schedule needs no table: at start-up, the newest file's name
says whether a backup is overdue (the bot was down at BACKUP_TIME), and one is taken then.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import Clock, system_clock
from bot.settings import load_or_exit
from storage import backup as sqlite_backup

log = logging.getLogger(__name__)

PREFIX = "passerelle-"
SUFFIX = ".sqlite3"
_STAMP = "%Y%m%dT%H%M%SZ"


def backups(directory: Path) -> list[Path]:
    """The backups in `directory`, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if taken_at(p) is not None)


def taken_at(path: Path) -> datetime | None:
    stamp = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


async def back_up(database: Path, directory: Path, keep: int, now: datetime) -> Path:
    """A checked copy of the live database in `directory`; the oldest beyond `keep` go."""
    target = await asyncio.to_thread(_back_up, database, directory, keep, now)
    log.info("backup written: %s", target.name)
    return target


def _back_up(database: Path, directory: Path, keep: int, now: datetime) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{PREFIX}{now.astimezone(UTC):{_STAMP}}{SUFFIX}"
    # A name of its own: the daily run and an on-demand one may overlap.
    handle, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".partial", dir=directory)
    os.close(handle)
    partial = Path(name)
    try:
        sqlite_backup.copy(database, partial)
        sqlite_backup.check(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    for old in backups(directory)[:-keep]:
        old.unlink()
    return target


def overdue(directory: Path, now: datetime) -> bool:
    """No backup, or the newest is more than a day old (the bot was down at BACKUP_TIME)."""
    found = backups(directory)
    newest = taken_at(found[-1]) if found else None
    return newest is None or now - newest > timedelta(days=1)


def main(argv: list[str] | None = None, clock: Clock = system_clock) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.backup", description=__doc__.split("\n")[0]
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--restore", type=Path, metavar="FILE", help="restore FILE (bot stopped)")
    action.add_argument("--list", action="store_true", help="list the backups")
    args = parser.parse_args(argv)
    settings = load_or_exit()
    if args.restore is not None:
        try:
            kept = sqlite_backup.restore(args.restore, settings.database_path)
        except (sqlite_backup.BackupError, OSError) as error:
            print(f"Not restored: {error}", file=sys.stderr)
            return 1
        print(f"Restored {args.restore.name} into {settings.database_path}.")
        if kept is not None:
            print(f"The database it replaced is kept as {kept}.")
        return 0
    if settings.backup_dir is None:
        print("BACKUP_DIR is not set (environment or .env).", file=sys.stderr)
        return 2
    if args.list:
        for path in backups(settings.backup_dir):
            print(path)
        return 0
    made = asyncio.run(
        back_up(settings.database_path, settings.backup_dir, settings.backup_keep, clock())
    )
    print(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
