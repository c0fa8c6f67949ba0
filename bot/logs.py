"""Logging set-up: the bot token never reaches a log line, and nor does anyone's personal data.

Three holes are closed here, whatever the level:
- python-telegram-bot logs every Bot API call with its parameters and answer at DEBUG
  (getUpdates answers carry every text, name, e-mail and phone), and aiosqlite every
  statement with its values: below INFO only our own loggers are kept, and
  python-telegram-bot's loggers never go below INFO;
- a traceback ends with the exception's message, which can quote anything (a draft, a
  request's URL with the token): tracebacks keep their frames but only the exception's type;
- the token is replaced wherever it still appears, in the whole formatted line.
"""

from __future__ import annotations

import logging
from types import TracebackType

from handlers.errors import format_exception_safely

# Our packages: they log ids and counts, never texts or names, at every level.
_OURS = frozenset({"bot", "core", "handlers", "storage", "sandbox", "benchmarks", "__main__"})

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


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


class OwnDebugOnly(logging.Filter):
    """Below INFO, only our own packages speak: python-telegram-bot quotes every update and
    API call there, aiosqlite every statement with its parameters, the HTTP client every
    request; all of them carry people's messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO or record.name.split(".")[0] in _OURS


class SafeFormatter(logging.Formatter):
    """Tracebacks without exception messages, and the token redacted in the whole line."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 - logging's name
        return format_exception_safely(ei[1])

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text


def configure(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    handler.addFilter(RedactingFilter(secrets))
    handler.addFilter(OwnDebugOnly())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL carries the token: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # Never below INFO, even with LOG_LEVEL=DEBUG: its DEBUG lines are the updates themselves.
    telegram = logging.getLogger("telegram")
    telegram.setLevel(max(logging.INFO, logging.getLevelNamesMapping()[level.upper()]))
    # A long dispatch run makes the scheduler skip the next tick, which is intended (one run
    # at a time); it would otherwise log a warning every second.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
