"""Running it for real: the health and metrics server and the backup schedule, created once
in the wiring, started with the bot (post_init) and stopped with it (post_stop)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot import backup
from bot.observe import Health, Liveness, Metrics, StatusServer
from bot.settings import Settings
from handlers.context import Context, Services

log = logging.getLogger(__name__)

# The stable name of the backup job (one at a time: a catch-up and the daily run share it).
BACKUP_JOB = "backup"


@dataclass
class Operations:
    settings: Settings
    liveness: Liveness
    metrics: Metrics
    server: StatusServer | None = None

    async def start(self, app: Application[Any, Any, Any, Any, Any, Any], svc: Services) -> None:
        settings = self.settings
        if settings.http_port is not None:
            health = Health(
                svc.db,
                app.bot,
                self.liveness,
                stale_after=settings.updates_stale_seconds,
                webhook=settings.webhook,
            )
            self.server = StatusServer(
                health,
                self.metrics,
                svc.db,
                svc.clock,
                self.liveness,
                listen=settings.http_listen,
                port=settings.http_port,
            )
            await self.server.start()
        if settings.backup_dir is not None:
            jobs = app.job_queue
            assert jobs is not None, "python-telegram-bot's job-queue extra is a dependency"
            jobs.run_daily(self._backup_job, settings.backup_at, name=BACKUP_JOB)
            if backup.overdue(settings.backup_dir, svc.clock()):
                # Down at BACKUP_TIME (or never backed up): one now, without delaying start-up.
                jobs.run_once(self._backup_job, 0, name=BACKUP_JOB)

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None

    async def back_up(self, now: datetime) -> Path:
        """One backup now (the daily job, the catch-up at start-up, and tests)."""
        directory = self.settings.backup_dir
        if directory is None:
            raise RuntimeError("BACKUP_DIR is not set")
        return await backup.back_up(
            self.settings.database_path, directory, self.settings.backup_keep, now
        )

    async def _backup_job(self, ctx: Context) -> None:
        svc = ctx.bot_data["services"]
        assert isinstance(svc, Services)
        await self.back_up(svc.clock())
