"""`python -m bot`: the real bot, configured from the environment and `.env`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot import logs
from bot.app import build_application, running
from bot.settings import Settings, load_or_exit
from storage.db import Database

log = logging.getLogger("bot")


async def serve(settings: Settings, token: str) -> None:
    """Run until SIGINT or SIGTERM."""
    db = await Database.open(settings.database_path)
    try:
        app = build_application(settings, db, token)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with running(app, poll_timeout=settings.poll_timeout, webhook=settings.webhook):
            mode = "long polling" if settings.webhook is None else "webhook"
            log.info(
                "Passerelle is running (Bot API at %s, %s)", settings.telegram_api_base_url, mode
            )
            await stop.wait()
            log.info("stopping")
    finally:
        await db.close()


def main() -> int:
    settings = load_or_exit()
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set (environment or .env).", file=sys.stderr)
        return 2
    token = settings.telegram_bot_token.get_secret_value()
    logs.configure(settings.log_level, [token])
    asyncio.run(serve(settings, token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
