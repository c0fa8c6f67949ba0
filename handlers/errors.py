"""The last resort: log the failure (without personal data) and tell the user kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.context import Context, language_of, reply, services

log = logging.getLogger(__name__)


async def on_error(update: object, ctx: Context) -> None:
    error = ctx.error
    # Only the type and the update id: message texts and names are personal data.
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("handler failed on update %s: %r", update_id, error, exc_info=error)
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
