"""Asking the registration's questions (registration_questions.py builds them): the draft
and step are saved in SQLite before each question is sent (`ask`), so a crash at any point
loses nothing: at start-up the persistence hands the stored steps back to the
ConversationHandler and the next message continues where the person was."""

from __future__ import annotations

from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from core.i18n import LANGUAGES, Html, pick_language
from core.models import Draft, Item
from core.validation import MAX_DETAIL, MAX_TYPED, InvalidInput, clean_text
from handlers.context import Context, Services, asking, edit_or_reply, reply
from handlers.form import Input, trim
from handlers.registration_questions import question
from handlers.registration_steps import (
    DETAIL_STEP,
    DETAILS,
    GUESSING,
    PICK_STEP,
    PICKING,
    STORE,
    TABLE,
    Step,
)
from storage import users

QUESTION_ID = "registration_question_id"
QUESTION_STEP = "registration_question_step"  # the step of that question

# --- keeping the draft ------------------------------------------------------------------------


async def load(update: Update, ctx: Context) -> tuple[Step, Draft]:
    """The step and draft stored for this person (a fresh draft if there is none)."""
    found = await STORE.load(ctx.services.db, update)
    if found is None:
        return Step.LANGUAGE, Draft(language=await guess_language(update, ctx))
    return found


async def guess_language(update: Update, ctx: Context) -> str:
    svc = ctx.services
    user = update.effective_user
    assert user is not None
    chosen = await users.get_language(svc.db, user.id)
    return chosen or pick_language(user.language_code, svc.default_language)


async def _language_known(update: Update, ctx: Context) -> bool:
    """The person chose a language, or their Telegram app is in one the bot speaks."""
    user = update.effective_user
    if user is None:
        return False
    code = (user.language_code or "")[:2]
    return code in LANGUAGES or await users.get_language(ctx.services.db, user.id) is not None


async def ask(
    update: Update,
    ctx: Context,
    step: Step,
    draft: Draft,
    *,
    notice: Html | None = None,
    trim: str | None = None,
    anew: bool = False,
    lead: Html | None = None,
) -> Step:
    """Save the draft at `step`, then ask that step's question (editing the pressed message).

    `trim` is a too-long answer cut to the limit, offered with "keep the first N characters";
    `anew` sends the question as a new message even where it could be edited in place;
    `lead` is a line put above the question, in the same message (its buttons unchanged).
    """
    svc = ctx.services
    draft.trimmed = trim
    if step is Step.LANGUAGE and draft.kind is None and await _language_known(update, ctx):
        step = Step.KIND  # Telegram told the language: the kind question offers to change it
    if step in PICKING and draft.family is not None and not svc.taxonomy.has_family(draft.family):
        draft.family = None
    if step in GUESSING and not draft.pending:
        step = PICK_STEP[GUESSING[step]]
    await STORE.save(svc.db, update, step, draft, svc.clock())
    text, markup = question(svc, step, draft)
    if lead is not None:
        text = Html(f"{lead}\n\n{text}")
    memory = ctx.chat_data if ctx.chat_data is not None else {}
    if step is Step.SUMMARY and notice is not None and _just_below(update, memory, step):
        # Words typed under the summary: its long card is still the last thing on screen, so
        # only the notice comes, with the summary's buttons again.
        text = Html(f"{notice}\n{svc.t(draft.language, 'reg.summary_above')}")
        notice = None
    async with asking(step):
        if notice is not None:
            # Telegram's "share my phone number" keyboard (the phone step) goes with the first
            # message after it that has no buttons of its own (a message carries one markup).
            await reply(update, notice, None if step is Step.PHONE else ReplyKeyboardRemove())
        # The message showing the current question is remembered in memory only (it is
        # display state): buttons pressed on it edit it in place, while a button on an older
        # message gets the question as a new message, where the user is looking. After a
        # restart the next question is simply sent anew.
        query = update.callback_query
        pressed = query.message.message_id if query is not None and query.message else None
        # A question over Telegram's limit (the summary of a profile at its longest) arrives
        # in several messages; the one with the buttons is the one remembered. A reply
        # keyboard cannot be put on a message by editing it.
        inline = isinstance(markup, InlineKeyboardMarkup)
        in_place = pressed is not None and pressed == memory.get(QUESTION_ID) and not anew
        if inline and notice is None and in_place:
            sent = await edit_or_reply(update, text, markup)  # type: ignore[arg-type]
        else:
            sent = await reply(update, text, markup)
        if sent is not None:
            memory[QUESTION_ID], memory[QUESTION_STEP] = sent.message_id, step
    return step


def _just_below(update: Update, memory: dict[Any, Any], step: Step) -> bool:
    """The message answered was typed right under the last question (nothing in between),
    and that question was `step`."""
    message = update.message
    shown = memory.get(QUESTION_ID)
    return (
        message is not None
        and isinstance(shown, int)
        and message.message_id == shown + 1
        and memory.get(QUESTION_STEP) == step
    )


async def refused(
    update: Update,
    ctx: Context,
    step: Step,
    draft: Draft,
    *,
    typed: str | None,
    problem: InvalidInput,
) -> Step:
    """Says why an answer is refused and asks again. A text answer that is only too long is
    offered cut to the limit (« ✂️ keep the first N characters »); a number never is."""
    svc, spec = ctx.services, TABLE[step]
    notice = svc.t(draft.language, problem.key, **problem.params)
    kept = None
    if problem.key == "error.too_long" and spec.max_len and spec.input is not Input.NUMBER:
        kept = trim(clean_text(typed, max_length=len(typed or "")), spec.max_len)
        # Cut at a word, fewer characters are kept than allowed: the message says why.
        key = "reg.too_long" if len(kept) >= spec.max_len else "reg.too_long_word"
        notice = svc.t(draft.language, key, count=len(kept), **problem.params)
    return await ask(update, ctx, step, draft, notice=notice, trim=kept)


def several_things(svc: Services, typed: str | None, problem: InvalidInput) -> str:
    """A message over the length of one need that reads as several things, each short enough
    (« …la compta, aussi des tables et des chaises, et un peu de sous pr le toit »): taken as
    typed, each thing asked about in turn, rather than cut to its first need. "" otherwise."""
    if problem.key != "error.too_long":
        return ""
    try:
        text = clean_text(typed, max_length=MAX_TYPED)
    except InvalidInput:
        return ""
    parts = svc.taxonomy.read(text).parts
    several = len(parts) > 1 and all(len(part.words) <= MAX_DETAIL for part in parts)
    return text if several else ""


def _first_without_detail(items: list[Item], start: int) -> int | None:
    return next((i for i in range(start, len(items)) if not items[i].detail), None)


def after(step: Step, draft: Draft) -> Step:
    """The step that follows a completed `step` (the table's `next`, but: the words of each
    category picked without any, the summary when correcting one field, consent once)."""
    if step in PICKING:
        direction = PICKING[step]
        cursor = _first_without_detail(draft.items(direction), 0)
        if cursor is not None:
            draft.detail_cursor = cursor
            return DETAIL_STEP[direction]
    following = TABLE[step].next
    if draft.editing or following is None or (following is Step.CONSENT and draft.consented):
        draft.editing = False
        return Step.SUMMARY
    return following


async def advance(
    update: Update, ctx: Context, step: Step, draft: Draft, *, notice: Html | None = None
) -> Step:
    """Asks the question after `step`."""
    draft.family = None
    return await ask(update, ctx, after(step, draft), draft, notice=notice)


async def next_detail(update: Update, ctx: Context, step: Step, draft: Draft, start: int) -> Step:
    """Asks the words of the next category picked without any, or moves on."""
    items = draft.items(DETAILS[step])
    cursor = _first_without_detail(items, start)
    if cursor is not None:
        draft.detail_cursor = cursor
        return await ask(update, ctx, step, draft)
    draft.detail_cursor = 0
    return await advance(update, ctx, step, draft)


# --- questions ------------------------------------------------------------------------------
