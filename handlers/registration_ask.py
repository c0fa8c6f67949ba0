"""The registration's questions, and asking them: the draft and step are saved in SQLite
before each question is sent (`ask`), so a crash at any point loses nothing: at start-up the
persistence hands the stored steps back to the ConversationHandler and the next message
continues where the person was. What each question offers (back, skip, its limit) is read
from the step table (registration_steps.TABLE).
"""

from __future__ import annotations

from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from core.i18n import LANGUAGES, Html, pick_language
from core.models import Direction, Draft, Item, OrgKind
from core.text import shorten
from core.validation import MAX_ITEMS_PER_SIDE, InvalidInput, clean_text
from handlers.context import Context, Services, asking, edit_or_reply, reply
from handlers.form import Input, trim
from handlers.registration_steps import (
    DETAIL_STEP,
    DETAILS,
    EDITABLE,
    GUESSING,
    PICK_STEP,
    PICKING,
    STORE,
    TABLE,
    Agree,
    Back,
    CancelAnswer,
    Confirm,
    Discard,
    Done,
    DropWords,
    EditField,
    Families,
    Family,
    Guess,
    Kind,
    Lang,
    OtherCategory,
    Remote,
    Skip,
    Step,
    Tick,
    Trim,
    WordsOnly,
    last_channel,
    opening,
)
from handlers.render import profile_card, selection_block
from storage import users

QUESTION_ID = "registration_question_id"
# How much of words kept alone a "remove" button quotes (Telegram shows about 40 characters).
WORDS_IN_BUTTON = 30
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup

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
) -> Step:
    """Save the draft at `step`, then ask that step's question (editing the pressed message).

    `trim` is a too-long answer cut to the limit, offered with "keep the first N characters";
    `anew` sends the question as a new message even where it could be edited in place.
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
    memory = ctx.chat_data if ctx.chat_data is not None else {}
    if step is Step.SUMMARY and notice is not None and _just_below(update, memory):
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
            memory[QUESTION_ID] = sent.message_id
    return step


def _just_below(update: Update, memory: dict[Any, Any]) -> bool:
    """The message answered was typed right under the last question (nothing in between)."""
    message = update.message
    shown = memory.get(QUESTION_ID)
    return message is not None and isinstance(shown, int) and message.message_id == shown + 1


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
        notice = svc.t(draft.language, "reg.too_long", count=len(kept), **problem.params)
    return await ask(update, ctx, step, draft, notice=notice, trim=kept)


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


def _button(svc: Services, lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(svc.t(lang, key), callback_data=data)


def nav_labels(svc: Services, step: Step, draft: Draft) -> list[tuple[str, str]]:
    """(label, button data) of the step's way back and its skip, from the table."""
    lang, spec = draft.language, TABLE[step]
    row: list[tuple[str, str]] = []
    if draft.editing:
        row.append((svc.t(lang, "button.back_to_summary"), Back().data))
    elif spec.back is not None:
        row.append((svc.t(lang, "button.back"), Back().data))
    if spec.optional and not last_channel(step, draft):
        row.append((svc.t(lang, "button.skip"), Skip().data))
    return row


def _nav_row(svc: Services, step: Step, draft: Draft) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(label, callback_data=d) for label, d in nav_labels(svc, step, draft)
    ]


def question(svc: Services, step: Step, draft: Draft) -> tuple[Html, Markup]:
    """The text and buttons that ask `step`."""
    t, lang, spec = svc.t, draft.language, TABLE[step]
    rows: list[list[InlineKeyboardButton]] = []
    if draft.trimmed is not None:
        label = t.plain(lang, "button.trim", count=len(draft.trimmed))
        rows.append([InlineKeyboardButton(label, callback_data=Trim().data)])
    if step is Step.LANGUAGE:
        order = sorted(LANGUAGES, key=lambda code: code != lang)
        rows.append([_button(svc, code, "language.button", Lang(code).data) for code in order])
        return t(lang, "reg.language"), InlineKeyboardMarkup(rows)
    if step is Step.KIND and opening(draft):
        # The first question when Telegram told the person's language: welcome, association
        # or company, and the languages to change it in one tap (no language question).
        # The answer first, under the question; the languages below it.
        order = sorted(LANGUAGES, key=lambda code: code != lang)
        rows.append([_button(svc, lang, f"kind.{k.value}", Kind(k).data) for k in OrgKind])
        rows.append([_button(svc, code, "language.button", Lang(code).data) for code in order])
        return Html(f"{t(lang, 'reg.welcome')}\n\n{t(lang, 'reg.kind')}"), InlineKeyboardMarkup(
            rows
        )
    if step is Step.KIND:
        rows.append([_button(svc, lang, f"kind.{k.value}", Kind(k).data) for k in OrgKind])
    elif step is Step.LOCATION:
        rows.append([_button(svc, lang, "button.remote", Remote().data)])
    elif step is Step.CONSENT:
        rows.append([_button(svc, lang, "button.agree", Agree().data)])
    elif step is Step.PHONE:
        return _phone_question(svc, draft)
    elif step in PICKING:
        return _picking_question(svc, step, draft, rows)
    elif step in GUESSING:
        return _guess_question(svc, draft, rows)
    elif step is Step.SUMMARY:
        return _summary(svc, draft)
    elif step is Step.CANCEL:
        rows.append([_button(svc, lang, "reg.cancel_yes", CancelAnswer("yes").data)])
        rows.append([_button(svc, lang, "reg.cancel_no", CancelAnswer("no").data)])
        return t(lang, "reg.cancel_confirm"), InlineKeyboardMarkup(rows)
    if step in DETAILS:
        direction = DETAILS[step]
        items = draft.items(direction)
        cursor = min(draft.detail_cursor, len(items) - 1)
        label = svc.taxonomy.category(items[cursor].category).label(lang)
        text = t(
            lang,
            f"reg.detail_{direction.value}",
            category=label,
            index=cursor + 1,
            total=len(items),
            max=spec.max_len,
        )
    else:
        text = t(lang, f"reg.{step.value}", max=spec.max_len or 0)
    nav = _nav_row(svc, step, draft)
    if nav:
        rows.append(nav)
    return text, InlineKeyboardMarkup(rows)


def _phone_question(svc: Services, draft: Draft) -> tuple[Html, ReplyKeyboardMarkup]:
    """The phone number, typed or shared with Telegram's own button. A message carries one
    keyboard: « back » and « skip » are on the same keyboard, sent as text (see answers)."""
    lang = draft.language
    share = KeyboardButton(svc.t.plain(lang, "button.share_phone"), request_contact=True)
    nav = [KeyboardButton(label) for label, _ in nav_labels(svc, Step.PHONE, draft)]
    keyboard = ReplyKeyboardMarkup(
        [[share], nav] if nav else [[share]], one_time_keyboard=True, resize_keyboard=True
    )
    key = "reg.phone_required" if not draft.email else "reg.phone"
    return svc.t(lang, key), keyboard


def _picking_question(
    svc: Services, step: Step, draft: Draft, rows: list[list[InlineKeyboardButton]]
) -> tuple[Html, InlineKeyboardMarkup]:
    """Families of categories (with how many are chosen), or one family's categories."""
    t, lang, tx = svc.t, draft.language, svc.taxonomy
    direction = PICKING[step]
    chosen = {item.category for item in draft.items(direction)}
    if draft.family is None:
        for family in tx.families:
            count = sum(1 for c in tx.in_family(family.id) if c.id in chosen)
            suffix = f" · {count}" if count else ""
            label = f"{family.emoji} {family.label(lang)}{suffix}"
            rows.append([InlineKeyboardButton(label, callback_data=Family(family.id).data)])
        if draft.pending:
            # "Another category": the category ticked next receives the pending words.
            rows.append([_button(svc, lang, "button.words_only", WordsOnly().data)])
            where = t(lang, "pick.assign_hint", words=draft.pending[0].words)
        else:
            for index, item in enumerate(draft.items(direction)):
                if item.words_only:
                    words = shorten(item.detail, WORDS_IN_BUTTON)
                    label = t.plain(lang, "button.drop_words", words=words)
                    rows.append([InlineKeyboardButton(label, callback_data=DropWords(index).data)])
            nav = _nav_row(svc, step, draft)
            nav.append(_button(svc, lang, "button.done", Done().data))
            rows.append(nav)
            where = t(lang, "pick.families_hint")
    else:
        family = tx.family(draft.family)
        for category in tx.in_family(family.id):
            mark = "✅" if category.id in chosen else "▫️"
            label = f"{mark} {category.label(lang)}"
            rows.append([InlineKeyboardButton(label, callback_data=Tick(category.id).data)])
        rows.append([_button(svc, lang, "button.families", Families().data)])
        where = t(lang, "pick.family_hint", family=f"{family.emoji} {family.label(lang)}")
        if draft.pending:
            where = t(lang, "pick.assign_hint", words=draft.pending[0].words)
    # A company offers to associations; "in return" is the association's side of the deal.
    key = f"reg.{direction.value}s"
    if direction is Direction.OFFER and draft.kind is OrgKind.COMPANY:
        key = "reg.offers_company"
    text = t(
        lang,
        key,
        selection=selection_block(draft, direction, lang, t, tx),
        where=where,
        max=MAX_ITEMS_PER_SIDE,
        length=TABLE[step].max_len,
    )
    return text, InlineKeyboardMarkup(rows)


def _guess_question(
    svc: Services, draft: Draft, rows: list[list[InlineKeyboardButton]]
) -> tuple[Html, InlineKeyboardMarkup]:
    """ "Did you mean…?" for the first pending words: the likely categories, another category,
    or the words alone."""
    t, lang, tx = svc.t, draft.language, svc.taxonomy
    pending = draft.pending[0]
    rows.extend(
        [InlineKeyboardButton(f"✅ {tx.category(c).label(lang)}", callback_data=Guess(c).data)]
        for c in pending.candidates
        if tx.has_category(c)
    )
    rows.append([_button(svc, lang, "button.other_category", OtherCategory().data)])
    rows.append([_button(svc, lang, "button.words_only", WordsOnly().data)])
    key = "guess.question" if pending.candidates else "guess.unknown"
    return t(lang, key, words=pending.words), InlineKeyboardMarkup(rows)


def _summary(svc: Services, draft: Draft) -> tuple[Html, InlineKeyboardMarkup]:
    """The whole profile with an edit button per field, and confirm (or save)."""
    t, lang = svc.t, draft.language
    fields = list(EDITABLE)
    rows = [
        [_button(svc, lang, f"edit.{name}", EditField(name).data) for name in fields[i : i + 2]]
        for i in range(0, len(fields), 2)
    ]
    if draft.mode == "edit":
        rows.append(
            [
                _button(svc, lang, "button.save", Confirm().data),
                _button(svc, lang, "button.discard", Discard().data),
            ]
        )
        head = t(lang, "reg.summary_edit")
    else:
        rows.append([_button(svc, lang, "button.confirm", Confirm().data)])
        head = t(lang, "reg.summary")
    card = profile_card(draft, lang, t, svc.taxonomy)
    return Html(f"{head}\n\n{card}"), InlineKeyboardMarkup(rows)
