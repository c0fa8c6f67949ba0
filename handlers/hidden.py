"""« Not for us » can be undone: the Undo button under its confirmation, and the list of the
organisations one hid (reached from /matches), each with a button restoring it.

Only the organisation that hid another can restore it: a dismissal row is one side's own, and
the handlers look it up for the presser's organisation only.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.i18n import Html
from core.models import Organisation, OrgStatus
from core.text import shorten
from handlers.cards import match_buttons, match_card
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    keyboard,
    reply,
    whoami,
)
from handlers.match_buttons import HiddenList, Restore, Unhide
from storage import introductions, organisations

# Organisations listed with a restore button each (the most recently hidden first).
HIDDEN_SHOWN = 30
# A name on a button (Telegram cuts long labels on a phone anyway).
NAME_ON_BUTTON = 40


def undo_markup(svc: Services, lang: str, other_id: int) -> InlineKeyboardMarkup:
    """↩️ Undo, under the confirmation of a « not for us »."""
    label = svc.t.plain(lang, "match.undo")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=Unhide(other_id).data)]]
    )


async def hidden_count(svc: Services, org: Organisation) -> int:
    """How many organisations `org` hid with « not for us »."""
    return len(await introductions.dismissed_by(svc.db, org.id))


def hidden_row(svc: Services, lang: str, count: int) -> list[InlineKeyboardButton]:
    """« 🙈 N hidden — see », or nothing when the organisation hid none."""
    if not count:
        return []
    label = svc.t.plain(lang, "match.hidden_button", count=count)
    return [InlineKeyboardButton(label, callback_data=HiddenList().data)]


def _pressed(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


async def undo(update: Update, ctx: Context) -> None:
    """↩️ Undo under « not for us »: the organisation may be suggested again, and its match
    card is back with its Interested / Not for us buttons."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = Unhide.parse(_pressed(update))
    other = await organisations.get(svc.db, pressed.org) if pressed else None
    if me is None or other is None or not await introductions.undismiss(svc.db, me.id, other.id):
        await edit_or_reply(update, svc.t(lang, "match.not_hidden"))
        return
    said = svc.t(lang, "match.unhidden", name=other.name)
    if other.status is not OrgStatus.ACTIVE:
        await edit_or_reply(update, said)
        return
    # The card comes back with its buttons: the undo puts the choice back in front of them.
    card = match_card(svc, lang, other, svc.explain(me, other))
    await edit_or_reply(
        update, Html(f"{said}\n\n{card}"), keyboard(match_buttons(svc, lang, other.id))
    )


async def show_hidden(update: Update, ctx: Context) -> None:
    """🙈 The organisations hidden by « not for us », each with a button restoring it."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    if me is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    await _send_list(update, svc, lang, me, edit=False)


async def restore(update: Update, ctx: Context) -> None:
    """↩️ on one hidden organisation: restored; the list, edited in place, shows the others."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = Restore.parse(_pressed(update))
    other = await organisations.get(svc.db, pressed.org) if pressed else None
    if me is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    if other is None or not await introductions.undismiss(svc.db, me.id, other.id):
        said = svc.t(lang, "match.not_hidden")
    else:
        said = svc.t(lang, "match.restored", name=other.name)
    await _send_list(update, svc, lang, me, edit=True, said=said)


async def _send_list(
    update: Update,
    svc: Services,
    lang: str,
    me: Organisation,
    *,
    edit: bool,
    said: Html | None = None,
) -> None:
    hidden = await introductions.dismissed_by(svc.db, me.id)
    rows = []
    for other_id in hidden[:HIDDEN_SHOWN]:
        other = await organisations.get(svc.db, other_id)
        if other is not None:
            label = svc.t.plain(lang, "match.restore", name=shorten(other.name, NAME_ON_BUTTON))
            rows.append([InlineKeyboardButton(label, callback_data=Restore(other.id).data)])
    if rows:
        text = svc.t(lang, "match.hidden_list", count=len(hidden))
    else:
        text = svc.t(lang, "match.hidden_none")
    markup = InlineKeyboardMarkup(rows) if rows else None
    if said is not None:
        text = Html(f"{said}\n\n{text}")
    if edit:
        await edit_or_reply(update, text, markup)
    else:
        await reply(update, text, markup)
