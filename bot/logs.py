"""Logging set-up: the bot token never reaches a log line, and nor does anyone's personal data."""

from __future__ import annotations

import logging


class RedactingFilter(logging.Filter):
    """Replaces the token wherever it appears (URLs logged by the HTTP layer contain it)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "<redacted>")
            record.msg, record.args = message, None
        return True


def configure(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL carries the token: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # A long dispatch run makes the scheduler skip the next tick, which is intended (one run
    # at a time); it would otherwise log a warning every second.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
