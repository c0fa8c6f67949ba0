"""The last resort: log the failure (without personal data) and tell the user kindly."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.context import Context, language_of, reply, services

log = logging.getLogger(__name__)


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
        await reply(update, services(ctx).t(lang, "error.internal"))
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
