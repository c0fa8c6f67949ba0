"""What happens on every update, before any handler: a person who writes is reachable."""

from __future__ import annotations

from telegram import Update

from handlers.context import Context
from storage import organisations


async def welcome_back(update: Update, ctx: Context) -> None:
    """Anyone who writes or presses a button can be reached again (they may have blocked the
    bot and unblocked it since): what was held for them is sent now."""
    user = update.effective_user
    if user is None:
        return
    svc = ctx.services
    if await organisations.mark_reachable(svc.db, user.id, svc.clock()):
        svc.wake()
