"""The last resort: log the failure (without personal data), tell the user kindly, and tell
a human (ADMIN_CHAT_ID) in one line: the kind of error, the handler and the update id."""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.context import Context, language_of, reply

log = logging.getLogger(__name__)

# At most one line per kind of error and handler this often: a bug hit by every user must
# not flood the admin chat (nor Telegram's limits).
ALERT_EVERY = 600.0
# Our packages, to find the handler in a traceback.
_OURS = ("handlers", "bot", "core", "storage")


class ErrorAlerts:
    """Where unexpected errors are reported, and when each kind was last reported."""

    def __init__(self, chat_id: int, *, every: float = ALERT_EVERY) -> None:
        self.chat_id = chat_id
        self._every = every
        self._last: dict[tuple[str, str], float] = {}

    def due(self, kind: str, where: str) -> bool:
        """Whether this (kind, handler) may be reported now; if so, it counts as reported."""
        now = time.monotonic()
        last = self._last.get((kind, where))
        if last is not None and now - last < self._every:
            return False
        self._last[(kind, where)] = now
        return True


def kind_of(error: BaseException) -> str:
    """The error's class, never its message (which may quote what someone typed)."""
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def handler_of(error: BaseException, ctx: Context) -> str:
    """The handler that failed: the outermost frame of `handlers/` in the traceback (else our
    innermost frame), as module.function; a job by its name."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).parent.name in _OURS
    ]
    in_handlers = [f for f in frames if Path(f.filename).parent.name == "handlers"]
    chosen = in_handlers[0] if in_handlers else (frames[-1] if frames else None)
    if chosen is not None:
        path = Path(chosen.filename)
        return f"{path.parent.name}.{path.stem}.{chosen.name}"
    if ctx.job is not None:
        return f"job {ctx.job.name}"
    return "unknown"


async def on_error(update: object, ctx: Context) -> None:
    error = ctx.error
    # The update id and where it failed, never the exception's message or repr: it can quote
    # a whole draft (and a request's URL, the token).
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "handler failed on update %s: %s\n%s",
        update_id,
        type(error).__name__,
        format_exception_safely(error),
    )
    if error is not None:
        await _alert(error, update_id, ctx)
    if (
        not isinstance(update, Update)
        or update.effective_chat is None
        or isinstance(error, Forbidden)
    ):
        return
    try:
        lang = await language_of(update, ctx)
        if update.callback_query is not None:
            await update.callback_query.answer()
        await reply(update, ctx.services.t(lang, "error.internal"))
    except TelegramError:
        log.warning("could not tell the user about the failure on update %s", update_id)
    except Exception:
        log.exception("the error handler itself failed on update %s", update_id)


def format_exception_safely(error: BaseException | None) -> str:
    """Where it failed (file, line, function: the code, not the data) and the exception's
    type, for the exception and those it came from; never the messages."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    parts = []
    for exc in reversed(chain):
        frames = "".join(traceback.format_tb(exc.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(exc).__qualname__}")
    return "\n\nwhich led to:\n\n".join(parts)


async def _alert(error: BaseException, update_id: int | None, ctx: Context) -> None:
    """One line to the admin chat, if there is one and this kind was not reported lately."""
    alerts = ctx.bot_data.get("alerts")
    if not isinstance(alerts, ErrorAlerts):
        return
    kind, where = kind_of(error), handler_of(error, ctx)
    if not alerts.due(kind, where):
        return
    svc = ctx.services
    text = svc.t(
        svc.default_language,
        "error.alert",
        kind=kind,
        handler=where,
        update="-" if update_id is None else str(update_id),
    )
    try:
        await ctx.bot.send_message(alerts.chat_id, text)
    except TelegramError as failure:
        log.warning("could not tell the admin chat about an error: %s", type(failure).__name__)
