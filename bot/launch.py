"""`make run`: the real bot when a token is configured, otherwise the offline sandbox."""

from __future__ import annotations

import sys

from bot.__main__ import main as run_bot
from bot.settings import load_or_exit


def main() -> int:
    settings = load_or_exit()
    if settings.telegram_bot_token is not None:
        return run_bot()
    print("No TELEGRAM_BOT_TOKEN: starting the offline sandbox (type :help inside).")
    from sandbox.__main__ import main as run_sandbox  # noqa: PLC0415 - only needed offline

    return run_sandbox()


if __name__ == "__main__":
    sys.exit(main())
