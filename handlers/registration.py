"""The registration conversation: from /start to a confirmed profile, and edits from /profile.

Its steps are ONE table (registration_steps.TABLE, drawn in registration.mmd); `build()` wires
each step's buttons and typed answers from it. The modules beside this one hold the questions
(registration_ask), the picking of needs and offers (registration_pick), the other answers
(registration_answers) and the summary with confirm, edit and cancel (registration_summary).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.buttons import Callback
from core.events import EventStatus
from core.i18n import LANGUAGES, Html
from core.models import Draft
from handlers import event_messages, event_people
from handlers.context import Context, Services, answer_query, reply
from handlers.form import ids, on, says_label
from handlers.registration_answers import (
    agree,
    answer_phone,
    answer_text,
    back,
    choose_kind,
    choose_language,
    choose_remote,
    shared_contact,
    skip,
)
from handlers.registration_ask import ask, guess_language, load
from handlers.registration_buttons import (
    Agree,
    Back,
    CancelAnswer,
    Confirm,
    Discard,
    Done,
    DropGuess,
    DropWords,
    EditField,
    Families,
    Family,
    FileWords,
    Guess,
    Kind,
    Lang,
    OtherCategory,
    ProfileEdit,
    Remote,
    Skip,
    Tick,
    Trim,
    WordsOnly,
)
from handlers.registration_pick import (
    answer_detail,
    choose_guess,
    done_picking,
    drop_guess,
    drop_words,
    file_words,
    keep_words,
    list_families,
    open_family,
    other_category,
    toggle_category,
    typed_item,
)
from handlers.registration_questions import nav_labels, question
from handlers.registration_steps import (
    EDITABLE,
    GUESSING,
    NO,
    PICKING,
    STORE,
    SYNONYMS,
    TABLE,
    Step,
    takes_text,
)
from handlers.registration_summary import cancel, cancel_answer, confirm, discard, edit_field
from storage import events as event_store
from storage import organisations, users

__all__ = ["EDITABLE", "build"]

PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
Route = tuple[type[Any], Callable[..., Awaitable[object]]]
TextAnswer = Callable[[Update, Context, str | None], Awaitable[Step]]

_PICKING: tuple[Route, ...] = (
    (Family, open_family),
    (Families, list_families),
    (Tick, toggle_category),
    (Done, done_picking),
    (WordsOnly, keep_words),
    (DropWords, drop_words),
    (FileWords, file_words),
)
_GUESSING: tuple[Route, ...] = ((Guess, choose_guess), (OtherCategory, other_category),
                                (WordsOnly, keep_words), (DropGuess, drop_guess),
                                (Done, done_picking))  # fmt: skip
# The buttons of each step's question (those of every step are in EVERYWHERE).
PRESSES: dict[Step, tuple[Route, ...]] = {
    Step.LANGUAGE: ((Lang, choose_language),),
    Step.KIND: ((Kind, choose_kind),),
    Step.LOCATION: ((Remote, choose_remote),),
    Step.NEEDS: _PICKING,
    Step.OFFERS: _PICKING,
    Step.NEED_GUESS: _GUESSING,
    Step.OFFER_GUESS: _GUESSING,
    Step.CONSENT: ((Agree, agree),),
    Step.SUMMARY: ((EditField, edit_field), (Confirm, confirm), (Discard, discard)),
    Step.CANCEL: ((CancelAnswer, cancel_answer),),
}
# Typed answers that are more than a field filled as the table says (`answer_text`).
TYPED: dict[Step, TextAnswer] = {
    Step.NEEDS: typed_item,
    Step.OFFERS: typed_item,
    Step.NEED_GUESS: typed_item,
    Step.OFFER_GUESS: typed_item,
    Step.NEED_DETAILS: answer_detail,
    Step.OFFER_DETAILS: answer_detail,
    Step.PHONE: answer_phone,
}


async def trim_answer(update: Update, ctx: Context, _: Trim) -> Step:
    """« ✂️ Keep the first N characters »: the too-long answer, cut, is taken as typed."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    if draft.trimmed is None:
        return await ask(update, ctx, step, draft)
    return await TYPED.get(step, answer_text)(update, ctx, draft.trimmed)


EVERYWHERE: tuple[Route, ...] = (
    (Back, back),
    (Skip, skip),
    (Trim, trim_answer),
    (CancelAnswer, cancel_answer),
    (Lang, choose_language),
)


async def typed(update: Update, ctx: Context) -> object:
    """Typed text: a button's label (or « oui », « entreprise »…) counts as pressing it;
    otherwise it answers the step, or is refused where only buttons will do."""
    message = update.effective_message
    text = message.text if message is not None else None
    step, draft = await load(update, ctx)
    _, markup = question(ctx.services, step, draft)
    if isinstance(markup, InlineKeyboardMarkup):
        offered = [(b.text, str(b.callback_data)) for row in markup.inline_keyboard for b in row]
    else:  # the phone step: its back and skip are on Telegram's keyboard, sent as text
        skipping = (ctx.services.t(draft.language, "button.skip"), Skip().data)
        offered = [*nav_labels(ctx.services, step, draft), skipping]  # skip says why not
    for label, data in offered:
        if text and says_label(text, label, SYNONYMS.get(data, ())):
            for button, callback in PRESSES.get(step, ()) + EVERYWHERE:
                pressed = button.parse(data)
                if pressed is not None:
                    return await callback(update, ctx, pressed)
    if step is Step.CONSENT and text and says_label(text, "", NO):
        notice = ctx.services.t(draft.language, "reg.consent_refused")
        return await ask(update, ctx, step, draft, notice=notice)
    if not takes_text(step):
        return await not_understood(update, ctx)
    return await TYPED.get(step, answer_text)(update, ctx, text)


# --- entry points ---------------------------------------------------------------------------


async def start(update: Update, ctx: Context) -> Step | int:
    """Keeps any deep-link payload; asks for the language (or greets a registered user)."""
    svc = ctx.services
    _, user_id = ids(update)
    payload = _payload(ctx)
    if payload:
        await users.remember_payload(svc.db, user_id, payload, svc.clock())
    org = await organisations.get_by_owner(svc.db, user_id)
    if org is not None:
        if payload and payload.startswith(event_messages.INVITE_PREFIX):
            await event_people.join_by_code(
                update, ctx, org, payload.removeprefix(event_messages.INVITE_PREFIX)
            )
            return ConversationHandler.END
        lang = await guess_language(update, ctx)
        await reply(update, svc.t(lang, "start.welcome_back", name=org.name))
        return ConversationHandler.END
    step, draft = await load(update, ctx)
    if payload:
        draft.payload = payload
    return await ask(update, ctx, step, draft, lead=await _invited(svc, draft, payload))


async def _invited(svc: Services, draft: Draft, payload: str | None) -> Html | None:
    """For a newcomer who opened an invitation link: the event they will be registered for
    once their profile is done (registration_summary joins them then)."""
    if not payload or not payload.startswith(event_messages.INVITE_PREFIX):
        return None
    event = await event_store.by_code(svc.db, payload.removeprefix(event_messages.INVITE_PREFIX))
    if event is None or event.status is EventStatus.CANCELLED:
        return None
    return svc.t(draft.language, "reg.invited", title=event.title)


def _payload(ctx: Context) -> str | None:
    """A deep-link payload as Telegram allows them (A-Z, a-z, 0-9, _ and -, 64 at most);
    anything else was typed or forged and is ignored."""
    raw = ctx.args[0] if ctx.args else ""
    return raw if PAYLOAD.fullmatch(raw) else None


async def edit_from_profile(update: Update, ctx: Context, pressed: ProfileEdit) -> Step | int:
    """Opens a stored profile as a draft and asks the chosen field again."""
    await answer_query(update)
    svc = ctx.services
    _, user_id = ids(update)
    lang = await guess_language(update, ctx)
    org = await organisations.get_by_owner(svc.db, user_id)
    if org is None or pressed.field not in EDITABLE:
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    draft = Draft.from_organisation(org, lang)
    draft.editing = True
    return await ask(update, ctx, EDITABLE[pressed.field], draft)


# --- interruptions (fallbacks) --------------------------------------------------------------


async def resume(update: Update, ctx: Context) -> Step:
    """/start again mid-way: keeps any new payload and asks the current question again."""
    step, draft = await load(update, ctx)
    payload = _payload(ctx)
    if payload:
        draft.payload = payload
        svc = ctx.services
        await users.remember_payload(svc.db, ids(update)[1], payload, svc.clock())
    notice = ctx.services.t(draft.language, "reg.resuming")
    return await ask(update, ctx, step, draft, notice=notice)


async def help_midway(update: Update, ctx: Context) -> Step:
    """/help mid-way: explains the registration (or the edit of the profile), then asks the
    current question again."""
    step, draft = await load(update, ctx)
    key = "reg.help_edit" if draft.mode == "edit" else "reg.help"
    # No ⬅️ Back on screen: none at this step, « did you mean…? », a list while words wait
    # for a category, a family of categories open.
    hidden = step in GUESSING or draft.pending or (step in PICKING and draft.family is not None)
    if key == "reg.help" and (hidden or TABLE[step].back is None):
        key = "reg.help_no_back"
    return await ask(update, ctx, step, draft, notice=ctx.services.t(draft.language, key))


async def language_midway(update: Update, ctx: Context) -> Step:
    """/language mid-way: offers the languages; the choice re-asks the question in it."""
    step, draft = await load(update, ctx)
    t = ctx.services.t
    row = [InlineKeyboardButton(t(code, "language.button"), callback_data=Lang(code).data)
           for code in LANGUAGES]  # fmt: skip
    await reply(update, t(draft.language, "language.choose"), InlineKeyboardMarkup([row]))
    return step


async def finish_first(update: Update, ctx: Context) -> Step:
    """Another command mid-way: says to finish (or /cancel) first, asks the question again."""
    step, draft = await load(update, ctx)
    key = "reg.finish_edit_first" if draft.mode == "edit" else "reg.finish_first"
    return await ask(update, ctx, step, draft, notice=ctx.services.t(draft.language, key))


async def not_understood(update: Update, ctx: Context) -> Step:
    """A sticker, photo or text where buttons were expected: says what is needed, asks again."""
    step, draft = await load(update, ctx)
    key = "reg.need_text" if takes_text(step) else "reg.use_buttons"
    return await ask(update, ctx, step, draft, notice=ctx.services.t(draft.language, key))


async def stale_button(update: Update, ctx: Context, _: Callback) -> Step:
    """A button from an earlier question: says so, and asks the current question again."""
    step, draft = await load(update, ctx)
    await answer_query(update, ctx.services.t(draft.language, "button.earlier_step"))
    notice = ctx.services.t(draft.language, "reg.resuming")
    return await ask(update, ctx, step, draft, notice=notice)


# --- the wiring -------------------------------------------------------------------------------


def build(profile_buttons: tuple[type[Callback], ...] = ()) -> ConversationHandler[Context]:
    """The registration conversation, wired from its step table: each step takes its own
    buttons, typed text (a label, an answer) and, at the phone step, a shared contact.
    Mid-way, another step's button or one of /profile's (✏️ and `profile_buttons`) is from an
    earlier question: the current one is asked again."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    everywhere = {button for button, _ in EVERYWHERE}
    earlier = {button for routes in PRESSES.values() for button, _ in routes} - everywhere
    earlier |= {ProfileEdit, *profile_buttons}

    def wiring(step: Step) -> list[BaseHandler[Update, Context, object]]:
        handlers: list[BaseHandler[Update, Context, object]] = [
            on(button, callback) for button, callback in PRESSES.get(step, ())
        ]
        handlers.append(MessageHandler(text, typed))
        return handlers

    return ConversationHandler(
        name=STORE.name,
        persistent=True,
        entry_points=[
            # Private chats only (bot.app stops groups earlier; this keeps the form safe alone).
            CommandHandler(
                "start", start, filters=filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
            ),
            on(ProfileEdit, edit_from_profile),
        ],
        states={step: wiring(step) for step in TABLE},
        fallbacks=[
            # Order matters: the first match wins.
            CommandHandler("cancel", cancel),
            CommandHandler("start", resume),
            CommandHandler("help", help_midway),
            CommandHandler("language", language_midway),
            *(on(button, callback) for button, callback in EVERYWHERE),
            MessageHandler(filters.UpdateType.MESSAGE & filters.CONTACT, shared_contact),
            *(on(button, stale_button) for button in sorted(earlier, key=lambda b: b.prefix)),
            MessageHandler(filters.COMMAND, finish_first),
            MessageHandler(filters.UpdateType.MESSAGE, not_understood),
        ],
    )
