"""Commands and buttons outside the registration: profile, pause, delete, language, help."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from core.buttons import Callback
from core.events import EventStatus
from core.i18n import LANGUAGES, Html
from core.models import OrgStatus
from handlers.context import (
    Context,
    answer_query,
    edit_or_reply,
    language_of,
    reply,
    whoami,
)
from handlers.registration_buttons import (
    ProfileEdit,
)
from handlers.registration_steps import (
    EDITABLE,
)
from handlers.render import organisation_card
from storage import events, moderation, organisations, personal, users

# --- buttons --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pause(Callback, prefix="p:pause"):
    """⏸ on the profile."""


@dataclass(frozen=True, slots=True)
class Resume(Callback, prefix="p:resume"):
    """▶️ on the profile."""


@dataclass(frozen=True, slots=True)
class Delete(Callback, prefix="p:delete"):
    """🗑 on the profile: asks to confirm."""


@dataclass(frozen=True, slots=True)
class ConfirmDelete(Callback, prefix="del"):
    answer: Literal["yes", "no"]


@dataclass(frozen=True, slots=True)
class ChooseLanguage(Callback, prefix="lang"):
    code: str


async def help_command(update: Update, ctx: Context) -> None:
    """Lists what the user can do, depending on whether they are registered (with /wishes
    while they are in a speed meeting still open to wishes) and, for the network's
    organisers, their console."""
    svc, lang, org = await whoami(update, ctx)
    text = svc.t(lang, "help.registered" if org else "help.newcomer")
    if org is not None:
        open_events = [
            e for e in await events.of_participant(svc.db, org.id) if e.status is EventStatus.OPEN
        ]
        if open_events:
            text = Html(f"{text}\n\n{svc.t(lang, 'help.wishes', title=open_events[0].title)}")
    await reply(update, text)
    if update.effective_user is not None and update.effective_user.id in svc.organiser_ids:
        await reply(update, svc.t(lang, "help.organiser"))


async def profile_command(update: Update, ctx: Context) -> None:
    """Shows the stored profile with an edit button per field, pause/resume and delete."""
    svc, lang, org = await whoami(update, ctx)
    assert update.effective_user is not None
    if org is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    fields = list(EDITABLE)
    rows = [
        [
            InlineKeyboardButton(svc.t(lang, f"edit.{name}"), callback_data=ProfileEdit(name).data)
            for name in fields[i : i + 2]
        ]
        for i in range(0, len(fields), 2)
    ]
    toggle = (
        ("button.resume", Resume().data)
        if org.status is OrgStatus.PAUSED
        else ("button.pause", Pause().data)
    )
    rows.append(
        [
            InlineKeyboardButton(svc.t(lang, toggle[0]), callback_data=toggle[1]),
            InlineKeyboardButton(svc.t(lang, "button.delete"), callback_data=Delete().data),
        ]
    )
    status = svc.t(lang, f"status.{org.status.value}")
    card = organisation_card(org, lang, svc.t, svc.taxonomy)
    text = svc.t(lang, "profile.view", status=status, card=card)
    await reply(update, text, InlineKeyboardMarkup(rows))


async def pause_command(update: Update, ctx: Context) -> None:
    """Pauses the organisation: no suggestions, no notifications, until /resume."""
    await _set_status(update, ctx, OrgStatus.PAUSED)


async def resume_command(update: Update, ctx: Context) -> None:
    """Makes a paused organisation visible again."""
    await _set_status(update, ctx, OrgStatus.ACTIVE)


async def _set_status(update: Update, ctx: Context, status: OrgStatus) -> None:
    await answer_query(update)
    svc = ctx.services
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    mine = await organisations.get_by_owner(svc.db, update.effective_user.id)
    held = await moderation.hold_of(svc.db, mine.id) if mine is not None else None
    if held is not None:
        # Paused or removed by the organisers: only they can lift it.
        reason = svc.t.plain(lang, f"moderation.reason_{held.reason}")
        await reply(update, svc.t(lang, f"moderation.owner_{held.action}", reason=reason))
        return
    changed = await organisations.set_status(svc.db, update.effective_user.id, status, svc.clock())
    key = f"status.now_{status.value}" if changed else "profile.missing"
    await reply(update, svc.t(lang, key))
    org = await organisations.get_by_owner(svc.db, update.effective_user.id)
    if org is not None:
        # A paused organisation leaves the index (never suggested, never notified); resuming
        # puts it back.
        svc.index.upsert(org)


async def delete_command(update: Update, ctx: Context) -> None:
    """Asks to confirm erasing the organisation and everything kept about the user."""
    await answer_query(update)
    svc = ctx.services
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    if await organisations.get_by_owner(svc.db, update.effective_user.id) is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    rows = [
        [
            InlineKeyboardButton(
                svc.t(lang, "delete.yes"), callback_data=ConfirmDelete("yes").data
            ),
            InlineKeyboardButton(svc.t(lang, "delete.no"), callback_data=ConfirmDelete("no").data),
        ]
    ]
    await reply(update, svc.t(lang, "delete.confirm"), InlineKeyboardMarkup(rows))


async def delete_answer(update: Update, ctx: Context) -> None:
    """Erases everything (yes) or keeps it (no), and says which."""
    await answer_query(update)
    svc = ctx.services
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    assert update.callback_query is not None
    pressed = ConfirmDelete.parse(update.callback_query.data)
    if pressed is not None and pressed.answer == "yes":
        org = await organisations.get_by_owner(svc.db, update.effective_user.id)
        erased = await personal.erase(svc.db, update.effective_user.id, svc.clock())
        if org is not None:
            svc.index.remove(org.id)
        await edit_or_reply(update, svc.t(lang, "delete.done" if erased else "profile.missing"))
    else:
        await edit_or_reply(update, svc.t(lang, "delete.kept"))


async def mydata_command(update: Update, ctx: Context) -> None:
    """Sends everything the bot keeps about the user as a JSON file (GDPR right of access)."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    assert update.effective_chat is not None
    data = await personal.export(svc.db, update.effective_user.id, svc.clock())
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await update.effective_chat.send_document(
        InputFile(io.BytesIO(content), filename="passerelle-my-data.json"),
        caption=svc.t(lang, "mydata.caption"),
    )


async def language_command(update: Update, ctx: Context) -> None:
    """Offers French or English."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    rows = [
        [
            InlineKeyboardButton(
                svc.t(code, "language.button"), callback_data=ChooseLanguage(code).data
            )
            for code in LANGUAGES
        ]
    ]
    await reply(update, svc.t(lang, "language.choose"), InlineKeyboardMarkup(rows))


async def language_answer(update: Update, ctx: Context) -> None:
    """Stores the chosen language and confirms in it."""
    await answer_query(update)
    svc = ctx.services
    assert update.effective_user is not None
    assert update.callback_query is not None
    pressed = ChooseLanguage.parse(update.callback_query.data)
    if pressed is None or pressed.code not in LANGUAGES:
        return
    code = pressed.code
    await users.set_language(svc.db, update.effective_user.id, code, svc.clock())
    await edit_or_reply(update, svc.t(code, "language.set"))


async def nothing_to_cancel(update: Update, ctx: Context) -> None:
    """/cancel outside a conversation."""
    svc = ctx.services
    await reply(update, svc.t(await language_of(update, ctx), "reg.nothing_to_cancel"))


async def unknown_message(update: Update, ctx: Context) -> None:
    """Any other message: says what the bot can do (never silence). A short answer (« oui »,
    "undo", « accepter ») outside a form is someone answering a message's buttons by typing:
    they are shown where to tap. An organiser is never told to register."""
    svc, lang, org = await whoami(update, ctx)
    assert update.effective_user is not None
    message = update.effective_message
    words = (message.text or "").split() if message is not None else []
    organiser = update.effective_user.id in svc.organiser_ids
    if (org is not None or organiser) and 0 < len(words) <= 3:
        key = "fallback.tap_button"
    elif org is not None:
        key = "fallback.registered"
    else:
        key = "fallback.organiser" if organiser else "fallback.newcomer"
    await reply(update, svc.t(lang, key))


async def expired_button(update: Update, ctx: Context) -> None:
    """A button nobody handles any more (old, forged, or from a finished conversation)."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    await answer_query(update, svc.t(lang, "button.expired"), alert=True)
