"""The registration conversation: from /start to a confirmed profile, and edits from /profile.

Every step saves the draft and the step reached in SQLite before it asks the next question
(`_ask`), so a crash at any point loses nothing: at start-up the persistence hands the stored
steps back to the ConversationHandler and the user's next message continues where they were.
The diagram beside this module (registration.mmd) is this table drawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.geo import country_of
from core.i18n import LANGUAGES, Html, pick_language
from core.models import WORDS_ONLY, Direction, Draft, Item, Location, OrgKind, Pending
from core.text import shorten, split_html
from core.validation import (
    MAX_CONTACT,
    MAX_DESCRIPTION,
    MAX_DETAIL,
    MAX_ITEMS_PER_SIDE,
    MAX_LOCATION,
    MAX_NAME,
    InvalidInput,
    clean_email,
    clean_phone,
    clean_text,
)
from handlers import event_messages, event_people, matches, notifications
from handlers.context import (
    Context,
    Services,
    answer_query,
    asking,
    button_value,
    edit_or_reply,
    reply,
)
from handlers.render import profile_card, selection_block
from storage import conversations, organisations, users

CONVERSATION = "registration"
PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
QUESTION_ID = "registration_question_id"


class Step(StrEnum):
    LANGUAGE = "language"
    KIND = "kind"
    NAME = "name"
    DESCRIPTION = "description"
    LOCATION = "location"
    NEEDS = "needs"
    NEED_GUESS = "need_guess"
    NEED_DETAILS = "need_details"
    OFFERS = "offers"
    OFFER_GUESS = "offer_guess"
    OFFER_DETAILS = "offer_details"
    CONTACT = "contact"
    EMAIL = "email"
    PHONE = "phone"
    CONSENT = "consent"
    SUMMARY = "summary"


# Where "Back" leads from each step while registering (while editing one field, it leads
# back to the summary).
PREVIOUS: dict[Step, Step] = {
    Step.KIND: Step.LANGUAGE,
    Step.NAME: Step.KIND,
    Step.DESCRIPTION: Step.NAME,
    Step.LOCATION: Step.DESCRIPTION,
    Step.NEEDS: Step.LOCATION,
    Step.NEED_GUESS: Step.NEEDS,
    Step.NEED_DETAILS: Step.NEEDS,
    Step.OFFERS: Step.NEEDS,
    Step.OFFER_GUESS: Step.OFFERS,
    Step.OFFER_DETAILS: Step.OFFERS,
    Step.CONTACT: Step.OFFERS,
    Step.EMAIL: Step.CONTACT,
    Step.PHONE: Step.EMAIL,
    Step.CONSENT: Step.PHONE,
}

# The summary's edit buttons: field name → the step that asks it again.
EDITABLE: dict[str, Step] = {
    "kind": Step.KIND,
    "name": Step.NAME,
    "description": Step.DESCRIPTION,
    "location": Step.LOCATION,
    "needs": Step.NEEDS,
    "offers": Step.OFFERS,
    "contact": Step.CONTACT,
    "email": Step.EMAIL,
    "phone": Step.PHONE,
}

PICKING = {Step.NEEDS: Direction.NEED, Step.OFFERS: Direction.OFFER}
# "Did you mean…?": typed words the bot is not sure about, or one of several needs in a sentence.
GUESSING = {Step.NEED_GUESS: Direction.NEED, Step.OFFER_GUESS: Direction.OFFER}
PICK_STEP = {Direction.NEED: Step.NEEDS, Direction.OFFER: Step.OFFERS}
GUESS_STEP = {Direction.NEED: Step.NEED_GUESS, Direction.OFFER: Step.OFFER_GUESS}
DETAILS = {Step.NEED_DETAILS: Direction.NEED, Step.OFFER_DETAILS: Direction.OFFER}
TEXT_STEPS = {
    Step.NEED_GUESS,
    Step.OFFER_GUESS,
    Step.NAME,
    Step.DESCRIPTION,
    Step.LOCATION,
    Step.NEEDS,
    Step.OFFERS,
    Step.NEED_DETAILS,
    Step.OFFER_DETAILS,
    Step.CONTACT,
    Step.EMAIL,
    Step.PHONE,
}
# How much of words kept alone a "remove" button quotes (Telegram shows about 40 characters).
WORDS_IN_BUTTON = 30
OPTIONAL = {Step.EMAIL, Step.PHONE, Step.NEED_DETAILS, Step.OFFER_DETAILS}


# --- keeping the draft ------------------------------------------------------------------------


def _ids(update: Update) -> tuple[int, int]:
    assert update.effective_chat is not None
    assert update.effective_user is not None
    return update.effective_chat.id, update.effective_user.id


async def _load(update: Update, ctx: Context) -> tuple[Step, Draft]:
    """The step and draft stored for this user (a fresh draft if there is none)."""
    chat_id, user_id = _ids(update)
    found = await conversations.load(ctx.services.db, CONVERSATION, chat_id, user_id)
    if found is None:
        lang = await _guess_language(update, ctx)
        return Step.LANGUAGE, Draft(language=lang)
    state, draft = found
    return Step(state), draft


async def _guess_language(update: Update, ctx: Context) -> str:
    svc = ctx.services
    user = update.effective_user
    assert user is not None
    chosen = await users.get_language(svc.db, user.id)
    return chosen or pick_language(user.language_code, svc.default_language)


async def _ask(
    update: Update, ctx: Context, step: Step, draft: Draft, *, notice: Html | None = None
) -> Step:
    """Save the draft at `step`, then ask that step's question (editing the pressed message)."""
    chat_id, user_id = _ids(update)
    svc = ctx.services
    if step in PICKING and draft.family is not None and not svc.taxonomy.has_family(draft.family):
        draft.family = None
    if step in GUESSING and not draft.pending:
        step = PICK_STEP[GUESSING[step]]
    await conversations.save(
        svc.db,
        CONVERSATION,
        chat_id=chat_id,
        user_id=user_id,
        state=step.value,
        draft=draft,
        now=svc.clock(),
    )
    text, markup = _question(svc, step, draft)
    async with asking(step):
        if notice is not None:
            await reply(update, notice)
        # The message showing the current question is remembered in memory only (it is
        # display state): buttons pressed on it edit it in place, while a button on an older
        # message gets the question as a new message, where the user is looking. After a
        # restart the next question is simply sent anew.
        query = update.callback_query
        pressed = query.message.message_id if query is not None and query.message else None
        memory = ctx.chat_data if ctx.chat_data is not None else {}
        # A question over Telegram's limit (the summary of a profile at its longest) arrives
        # in several messages; the one with the buttons is the one remembered.
        if notice is None and pressed is not None and pressed == memory.get(QUESTION_ID):
            sent = await edit_or_reply(update, text, markup)
        else:
            sent = await reply(update, text, markup)
        if sent is not None:
            memory[QUESTION_ID] = sent.message_id
    return step


# --- questions ------------------------------------------------------------------------------


def _button(svc: Services, lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(svc.t(lang, key), callback_data=data)


def _nav_row(svc: Services, step: Step, draft: Draft) -> list[InlineKeyboardButton]:
    lang = draft.language
    row = []
    if draft.editing:
        row.append(_button(svc, lang, "button.back_to_summary", "r:back"))
    elif step in PREVIOUS:
        row.append(_button(svc, lang, "button.back", "r:back"))
    if step in OPTIONAL and not _last_channel(step, draft):
        row.append(_button(svc, lang, "button.skip", "r:skip"))
    return row


def _last_channel(step: Step, draft: Draft) -> bool:
    """Skipping this answer would leave no way to reach the organisation: an introduction
    would then be a dead end ("not given / not given")."""
    if step is Step.PHONE:
        return not draft.email
    # The e-mail is asked before the phone: skipping it is fine unless the phone is known
    # to be missing (when correcting the e-mail from the summary).
    return step is Step.EMAIL and draft.editing and not draft.phone


def _question(svc: Services, step: Step, draft: Draft) -> tuple[Html, InlineKeyboardMarkup]:
    """The text and buttons that ask `step`."""
    t, lang = svc.t, draft.language
    rows: list[list[InlineKeyboardButton]] = []
    if step is Step.LANGUAGE:
        order = sorted(LANGUAGES, key=lambda code: code != lang)
        rows.append([_button(svc, code, "language.button", f"r:lang:{code}") for code in order])
        return t(lang, "reg.language"), InlineKeyboardMarkup(rows)
    if step is Step.KIND:
        rows.append([_button(svc, lang, f"kind.{k.value}", f"r:kind:{k.value}") for k in OrgKind])
        text = t(lang, "reg.kind")
    elif step is Step.LOCATION:
        rows.append([_button(svc, lang, "button.remote", "r:remote")])
        text = t(lang, "reg.location", max=MAX_LOCATION)
    elif step in PICKING:
        return _picking_question(svc, step, draft)
    elif step in GUESSING:
        return _guess_question(svc, draft)
    elif step in DETAILS:
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
            max=MAX_DETAIL,
        )
    elif step is Step.CONSENT:
        rows.append([_button(svc, lang, "button.agree", "r:agree")])
        text = t(lang, "reg.consent")
    elif step is Step.SUMMARY:
        return _summary(svc, draft)
    else:
        limits = {
            Step.NAME: MAX_NAME,
            Step.DESCRIPTION: MAX_DESCRIPTION,
            Step.CONTACT: MAX_CONTACT,
        }
        key = (
            "reg.phone_required" if step is Step.PHONE and not draft.email else f"reg.{step.value}"
        )
        text = t(lang, key, max=limits.get(step, 0))
    nav = _nav_row(svc, step, draft)
    if nav:
        rows.append(nav)
    return text, InlineKeyboardMarkup(rows)


def _picking_question(svc: Services, step: Step, draft: Draft) -> tuple[Html, InlineKeyboardMarkup]:
    """Families of categories (with how many are chosen), or one family's categories."""
    t, lang, tx = svc.t, draft.language, svc.taxonomy
    direction = PICKING[step]
    chosen = {item.category for item in draft.items(direction)}
    rows: list[list[InlineKeyboardButton]] = []
    if draft.family is None:
        for family in tx.families:
            count = sum(1 for c in tx.in_family(family.id) if c.id in chosen)
            suffix = f" · {count}" if count else ""
            label = f"{family.emoji} {family.label(lang)}{suffix}"
            rows.append([InlineKeyboardButton(label, callback_data=f"r:fam:{family.id}")])
        if draft.pending:
            # "Another category": the category ticked next receives the pending words.
            rows.append([_button(svc, lang, "button.words_only", "r:words")])
            where = t(lang, "pick.assign_hint", words=draft.pending[0].words)
        else:
            for index, item in enumerate(draft.items(direction)):
                if item.words_only:
                    label = f"✖️ « {shorten(item.detail, WORDS_IN_BUTTON)} »"
                    rows.append([InlineKeyboardButton(label, callback_data=f"r:drop:{index}")])
            nav = _nav_row(svc, step, draft)
            nav.append(_button(svc, lang, "button.done", "r:done"))
            rows.append(nav)
            where = t(lang, "pick.families_hint")
    else:
        family = tx.family(draft.family)
        for category in tx.in_family(family.id):
            mark = "✅" if category.id in chosen else "▫️"
            rows.append(
                [
                    InlineKeyboardButton(
                        f"{mark} {category.label(lang)}", callback_data=f"r:tog:{category.id}"
                    )
                ]
            )
        rows.append([_button(svc, lang, "button.families", "r:fams")])
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
    )
    return text, InlineKeyboardMarkup(rows)


def _guess_question(svc: Services, draft: Draft) -> tuple[Html, InlineKeyboardMarkup]:
    """ "Did you mean…?" for the first pending words: the likely categories, another category,
    or the words alone."""
    t, lang, tx = svc.t, draft.language, svc.taxonomy
    pending = draft.pending[0]
    rows = [
        [InlineKeyboardButton(f"✅ {tx.category(c).label(lang)}", callback_data=f"r:as:{c}")]
        for c in pending.candidates
        if tx.has_category(c)
    ]
    rows.append([_button(svc, lang, "button.other_category", "r:other")])
    rows.append([_button(svc, lang, "button.words_only", "r:words")])
    key = "guess.question" if pending.candidates else "guess.unknown"
    return t(lang, key, words=pending.words), InlineKeyboardMarkup(rows)


def _summary(svc: Services, draft: Draft) -> tuple[Html, InlineKeyboardMarkup]:
    """The whole profile with an edit button per field, and confirm (or save)."""
    t, lang = svc.t, draft.language
    fields = list(EDITABLE)
    rows = [
        [_button(svc, lang, f"edit.{name}", f"r:edit:{name}") for name in fields[i : i + 2]]
        for i in range(0, len(fields), 2)
    ]
    if draft.mode == "edit":
        rows.append(
            [
                _button(svc, lang, "button.save", "r:confirm"),
                _button(svc, lang, "button.discard", "r:discard"),
            ]
        )
        head = t(lang, "reg.summary_edit")
    else:
        rows.append([_button(svc, lang, "button.confirm", "r:confirm")])
        head = t(lang, "reg.summary")
    card = profile_card(draft, lang, t, svc.taxonomy)
    return Html(f"{head}\n\n{card}"), InlineKeyboardMarkup(rows)


# --- moving on ------------------------------------------------------------------------------


def _first_without_detail(items: list[Item], start: int) -> int | None:
    return next((i for i in range(start, len(items)) if not items[i].detail), None)


def _after(step: Step, draft: Draft) -> Step:
    """The step that follows a completed `step`."""
    if step in PICKING:
        direction = PICKING[step]
        cursor = _first_without_detail(draft.items(direction), 0)
        if cursor is not None:
            draft.detail_cursor = cursor
            return Step.NEED_DETAILS if direction is Direction.NEED else Step.OFFER_DETAILS
    if draft.editing or (step is Step.CONSENT):
        draft.editing = False
        return Step.SUMMARY
    following = {
        Step.LANGUAGE: Step.KIND,
        Step.KIND: Step.NAME,
        Step.NAME: Step.DESCRIPTION,
        Step.DESCRIPTION: Step.LOCATION,
        Step.LOCATION: Step.NEEDS,
        Step.NEEDS: Step.OFFERS,
        Step.NEED_DETAILS: Step.OFFERS,
        Step.OFFERS: Step.CONTACT,
        Step.OFFER_DETAILS: Step.CONTACT,
        Step.CONTACT: Step.EMAIL,
        Step.EMAIL: Step.PHONE,
        Step.PHONE: Step.SUMMARY if draft.consented else Step.CONSENT,
    }
    return following[step]


async def _advance(update: Update, ctx: Context, step: Step, draft: Draft) -> Step:
    draft.family = None
    return await _ask(update, ctx, _after(step, draft), draft)


# --- entry points ---------------------------------------------------------------------------


async def start(update: Update, ctx: Context) -> Step | int:
    """Keeps any deep-link payload; asks for the language (or greets a registered user)."""
    svc = ctx.services
    _, user_id = _ids(update)
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
        lang = await _guess_language(update, ctx)
        await reply(update, svc.t(lang, "start.welcome_back", name=org.name))
        return ConversationHandler.END
    step, draft = await _load(update, ctx)
    if payload:
        draft.payload = payload
    return await _ask(update, ctx, step, draft)


def _payload(ctx: Context) -> str | None:
    """A deep-link payload as Telegram allows them (A-Z, a-z, 0-9, _ and -, 64 at most);
    anything else was typed or forged and is ignored."""
    raw = ctx.args[0] if ctx.args else ""
    return raw if PAYLOAD.fullmatch(raw) else None


async def edit_from_profile(update: Update, ctx: Context) -> Step | int:
    """Opens a stored profile as a draft and asks the chosen field again."""
    await answer_query(update)
    svc = ctx.services
    _, user_id = _ids(update)
    lang = await _guess_language(update, ctx)
    org = await organisations.get_by_owner(svc.db, user_id)
    field = button_value(update)
    if org is None or field not in EDITABLE:
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    draft = Draft.from_organisation(org, lang)
    draft.editing = True
    return await _ask(update, ctx, EDITABLE[field], draft)


# --- button steps ---------------------------------------------------------------------------


async def choose_language(update: Update, ctx: Context) -> Step:
    """Stores the language; asks association or company."""
    await answer_query(update)
    _, draft = await _load(update, ctx)
    code = button_value(update)
    draft.language = code if code in LANGUAGES else draft.language
    _, user_id = _ids(update)
    svc = ctx.services
    await users.set_language(svc.db, user_id, draft.language, svc.clock())
    return await _advance(update, ctx, Step.LANGUAGE, draft)


async def choose_kind(update: Update, ctx: Context) -> Step:
    """Stores association or company; asks the organisation's name."""
    await answer_query(update)
    _, draft = await _load(update, ctx)
    value = OrgKind(button_value(update))
    if draft.org_id is not None and value is not draft.kind and await _kind_locked(ctx, draft):
        notice = ctx.services.t(draft.language, "edit.kind_locked")
        draft.editing = False
        return await _ask(update, ctx, Step.SUMMARY, draft, notice=notice)
    draft.kind = value
    return await _advance(update, ctx, Step.KIND, draft)


async def _kind_locked(ctx: Context, draft: Draft) -> bool:
    """Once there are requests, partnerships or events, every pair must stay one association
    and one company: the kind is fixed."""
    return await organisations.has_history(ctx.services.db, draft.org_id or 0)


async def choose_remote(update: Update, ctx: Context) -> Step:
    """Stores "anywhere / remote" as the location; asks for needs."""
    await answer_query(update)
    _, draft = await _load(update, ctx)
    draft.location = Location(remote=True)
    return await _advance(update, ctx, Step.LOCATION, draft)


async def open_family(update: Update, ctx: Context) -> Step:
    """Shows one family's categories with ticks."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    family = button_value(update)
    draft.family = family if ctx.services.taxonomy.has_family(family) else None
    return await _ask(update, ctx, step, draft)


async def list_families(update: Update, ctx: Context) -> Step:
    """Goes back from one family to the list of families."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    draft.family = None
    return await _ask(update, ctx, step, draft)


async def toggle_category(update: Update, ctx: Context) -> Step:
    """Adds or removes one category from the needs (or offers); shows the ticks again. Words
    waiting for a category ("another category") go to the one ticked; unticking a category
    keeps the words typed for it."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    category = button_value(update)
    lang = draft.language
    if not svc.taxonomy.has_category(category):
        await answer_query(update, svc.t(lang, "button.expired"), alert=True)
        return step
    direction = PICKING[step]
    items = draft.items(direction)
    if draft.pending:
        pending = draft.pending.pop(0)
        if not _add(items, Item(category, pending.words)):
            draft.pending.insert(0, pending)
            await answer_query(update, svc.t.plain(lang, "pick.too_many", max=MAX_ITEMS_PER_SIDE))
            return step
        await answer_query(update)
        return await _after_guess(update, ctx, direction, draft)
    existing = [i for i in items if i.category == category]
    if existing:
        at = items.index(existing[0])
        if existing[0].detail:
            # The person's own words stay, without the category.
            items[at] = Item(WORDS_ONLY, existing[0].detail)
            words = shorten(existing[0].detail, WORDS_IN_BUTTON)
            await answer_query(update, svc.t.plain(lang, "pick.words_kept", words=words))
        else:
            items.pop(at)
            await answer_query(update)
    elif len(items) >= MAX_ITEMS_PER_SIDE:
        await answer_query(update, svc.t(lang, "pick.too_many", max=MAX_ITEMS_PER_SIDE), alert=True)
        return step
    else:
        items.append(Item(category))
        await answer_query(update)
    return await _ask(update, ctx, step, draft)


def _add(items: list[Item], item: Item) -> bool:
    """Adds an item to a side, joining the words of one already in the same category; False
    when the side is full."""
    same = next(
        (i for i, old in enumerate(items) if old.category == item.category and not old.words_only),
        None,
    )
    if same is not None:
        old = items[same].detail
        if not old or old == item.detail:
            items[same] = item
            return True
        joined = f"{old} ; {item.detail}"
        if len(joined) <= MAX_DETAIL:
            items[same] = Item(item.category, joined)
            return True
    if len(items) >= MAX_ITEMS_PER_SIDE:
        return False
    items.append(item)
    return True


async def _after_guess(update: Update, ctx: Context, direction: Direction, draft: Draft) -> Step:
    """The next pending words are asked about, or the list of needs (offers) comes back."""
    draft.family = None
    if draft.pending:
        return await _ask(update, ctx, GUESS_STEP[direction], draft)
    return await _ask(update, ctx, PICK_STEP[direction], draft)


async def choose_guess(update: Update, ctx: Context) -> Step:
    """Files the words asked about under the category tapped; asks about the next ones."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    category = button_value(update)
    if step not in GUESSING or not draft.pending or not svc.taxonomy.has_category(category):
        await answer_query(update, svc.t.plain(draft.language, "button.earlier_step"))
        return await _ask(update, ctx, step, draft)
    direction = GUESSING[step]
    pending = draft.pending.pop(0)
    if not _add(draft.items(direction), Item(category, pending.words)):
        draft.pending.insert(0, pending)
        notice = svc.t(draft.language, "pick.too_many", max=MAX_ITEMS_PER_SIDE)
        await answer_query(update)
        return await _ask(update, ctx, step, draft, notice=notice)
    await answer_query(update)
    return await _after_guess(update, ctx, direction, draft)


async def other_category(update: Update, ctx: Context) -> Step:
    """Shows every family so the words asked about can be filed under another category."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    if step not in GUESSING or not draft.pending:
        return await _ask(update, ctx, step, draft)
    draft.family = None
    return await _ask(update, ctx, PICK_STEP[GUESSING[step]], draft)


async def keep_words(update: Update, ctx: Context) -> Step:
    """Keeps the words asked about as they are, without a category; asks about the next ones."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    direction = GUESSING.get(step) or PICKING.get(step)
    if direction is None or not draft.pending:
        await answer_query(update)
        return await _ask(update, ctx, step, draft)
    pending = draft.pending.pop(0)
    if not _add(draft.items(direction), Item(WORDS_ONLY, pending.words)):
        draft.pending.insert(0, pending)
        await answer_query(update)
        notice = svc.t(draft.language, "pick.too_many", max=MAX_ITEMS_PER_SIDE)
        return await _ask(update, ctx, step, draft, notice=notice)
    await answer_query(update)
    return await _after_guess(update, ctx, direction, draft)


async def drop_words(update: Update, ctx: Context) -> Step:
    """Removes an item kept in words only (its ✖️ button under the families)."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    value = button_value(update)
    if step in PICKING and value.isdigit():
        items = draft.items(PICKING[step])
        index = int(value)
        if index < len(items) and items[index].words_only:
            items.pop(index)
    return await _ask(update, ctx, step, draft)


def _words_to_keep(draft: Draft, direction: Direction) -> None:
    """Words still waiting for a category are kept as they are: nothing typed is lost."""
    while draft.pending:
        if not _add(draft.items(direction), Item(WORDS_ONLY, draft.pending.pop(0).words)):
            break
    draft.pending.clear()


async def done_picking(update: Update, ctx: Context) -> Step:
    """Closes the needs (or offers) list; asks details for each chosen category, then moves on."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    if step in PICKING:
        _words_to_keep(draft, PICKING[step])
    if step is Step.OFFERS and not draft.needs and not draft.offers:
        await answer_query(update, svc.t(draft.language, "pick.need_something"), alert=True)
        return step
    await answer_query(update)
    return await _advance(update, ctx, step, draft)


async def skip(update: Update, ctx: Context) -> Step:
    """Leaves an optional answer empty (detail, email, phone); asks the next question."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    if step in DETAILS:
        return await _next_detail(update, ctx, step, draft, draft.detail_cursor + 1)
    if step in (Step.EMAIL, Step.PHONE) and _last_channel(step, draft):
        notice = ctx.services.t(draft.language, "error.need_channel")
        return await _ask(update, ctx, step, draft, notice=notice)
    if step is Step.EMAIL:
        draft.email = None
    elif step is Step.PHONE:
        draft.phone = None
    else:
        return await _ask(update, ctx, step, draft)
    return await _advance(update, ctx, step, draft)


async def agree(update: Update, ctx: Context) -> Step:
    """Stores consent to share contact details after mutual agreement; shows the summary."""
    await answer_query(update)
    _, draft = await _load(update, ctx)
    draft.consented = True
    return await _advance(update, ctx, Step.CONSENT, draft)


async def edit_field(update: Update, ctx: Context) -> Step:
    """From the summary: asks one field again, then comes back to the summary."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    field = button_value(update)
    if field not in EDITABLE:
        return await _ask(update, ctx, step, draft)
    draft.editing = True
    return await _ask(update, ctx, EDITABLE[field], draft)


async def back(update: Update, ctx: Context) -> Step:
    """Goes one question back (or back to the summary when editing one field)."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    draft.family = None
    direction = GUESSING.get(step) or PICKING.get(step)
    if direction is not None:
        _words_to_keep(draft, direction)
    if draft.editing:
        draft.editing = False
        return await _ask(update, ctx, Step.SUMMARY, draft)
    return await _ask(update, ctx, PREVIOUS.get(step, step), draft)


async def confirm(update: Update, ctx: Context) -> Step | int:
    """Commits the profile (and forgets the draft) in one transaction, then says so."""
    await answer_query(update)
    svc = ctx.services
    chat_id, user_id = _ids(update)
    step, draft = await _load(update, ctx)
    user = update.effective_user
    assert user is not None
    try:
        profile = draft.to_profile(user.id, user.username)
    except ValueError:
        return await _ask(update, ctx, step, draft)
    existing = await organisations.get_by_owner(svc.db, user_id)
    try:
        async with svc.db.transaction() as conn:
            org_id = await organisations.save_profile(
                conn,
                profile,
                existing.id if existing else None,
                now=svc.clock(),
                fresh_check_at=svc.clock() + svc.policy.nudges.profile_fresh,
            )
            await conversations.delete_in(conn, CONVERSATION, chat_id, user_id)
    except organisations.KindLocked:
        # History arrived while the edit was open: the stored kind stands.
        if existing is not None:
            draft.kind = existing.kind
        notice = svc.t(draft.language, "edit.kind_locked")
        return await _ask(update, ctx, Step.SUMMARY, draft, notice=notice)
    # The profile is committed: only now is the user told.
    org = await organisations.get(svc.db, org_id)
    assert org is not None
    svc.index.upsert(org)
    lang = draft.language
    first = existing is None
    found = await matches.find_matches(svc, org) if first else []
    text = svc.t(lang, "reg.saved" if draft.mode == "edit" else "reg.registered", name=org.name)
    if first and not found:
        text = Html(f"{text}\n\n{svc.t(lang, 'match.none')}")
    card = profile_card(draft, lang, svc.t, svc.taxonomy)
    if len(split_html(card)) == 1:
        await edit_or_reply(update, card)
    elif update.callback_query is not None:
        # The summary above, in several messages, already shows the whole profile: only its
        # buttons go, rather than the profile shown a second time.
        await update.callback_query.edit_message_reply_markup(None)
    await reply(update, text)
    if found:
        await matches.send_matches(update, ctx, org, lang, found, first_page=True)
    if first and org.source_payload and org.source_payload.startswith(event_messages.INVITE_PREFIX):
        # Registered from an invitation: straight on to the event.
        await event_people.join_by_code(
            update, ctx, org, org.source_payload.removeprefix(event_messages.INVITE_PREFIX)
        )
    if existing is None or (existing.needs, existing.offers) != (org.needs, org.offers):
        await notifications.announce(ctx.services, org)
    return ConversationHandler.END


async def discard(update: Update, ctx: Context) -> int:
    """Drops the changes of an edit; the stored profile stays as it was."""
    await answer_query(update)
    svc = ctx.services
    chat_id, user_id = _ids(update)
    _, draft = await _load(update, ctx)
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    await edit_or_reply(update, svc.t(draft.language, "reg.discarded"))
    return ConversationHandler.END


# --- text steps -----------------------------------------------------------------------------


async def _text_answer(
    update: Update,
    ctx: Context,
    clean: Callable[[str | None], object],
    store: Callable[[Draft, object], None],
) -> Step:
    """Validates a typed answer for the current step; re-asks with the reason if it is wrong."""
    step, draft = await _load(update, ctx)
    text = update.effective_message.text if update.effective_message else None
    try:
        value = clean(text)
    except InvalidInput as problem:
        notice = ctx.services.t(draft.language, problem.key, **problem.params)
        return await _ask(update, ctx, step, draft, notice=notice)
    store(draft, value)
    return await _advance(update, ctx, step, draft)


async def answer_name(update: Update, ctx: Context) -> Step:
    """Stores the organisation's name; asks what it does."""
    return await _text_answer(
        update,
        ctx,
        lambda text: clean_text(text, max_length=MAX_NAME),
        lambda draft, value: setattr(draft, "name", value),
    )


async def answer_description(update: Update, ctx: Context) -> Step:
    """Stores what the organisation does; asks where it works."""
    return await _text_answer(
        update,
        ctx,
        lambda text: clean_text(text, max_length=MAX_DESCRIPTION, min_length=3),
        lambda draft, value: setattr(draft, "description", value),
    )


async def answer_location(update: Update, ctx: Context) -> Step:
    """Stores a city, postcode or region; asks for needs."""
    return await _text_answer(
        update,
        ctx,
        lambda text: clean_text(text, max_length=MAX_LOCATION),
        lambda draft, value: setattr(draft, "location", Location(text=str(value))),
    )


async def answer_contact(update: Update, ctx: Context) -> Step:
    """Stores the contact person's name; asks for an email (optional)."""
    return await _text_answer(
        update,
        ctx,
        lambda text: clean_text(text, max_length=MAX_CONTACT),
        lambda draft, value: setattr(draft, "contact_name", value),
    )


async def answer_email(update: Update, ctx: Context) -> Step:
    """Stores a valid email; asks for a phone number (optional)."""
    return await _text_answer(
        update, ctx, clean_email, lambda draft, value: setattr(draft, "email", value)
    )


async def answer_phone(update: Update, ctx: Context) -> Step:
    """Stores a valid phone number, read in the organisation's country (+352 in Luxembourg),
    typed or shared as a contact (their own); asks for consent (or shows the summary)."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    message = update.effective_message
    contact = message.contact if message is not None else None
    try:
        if contact is not None:
            # Only the person's own number: a forwarded card could be anyone's.
            if update.effective_user is None or contact.user_id != update.effective_user.id:
                raise InvalidInput("error.not_your_contact")
            number = contact.phone_number
            phone = clean_phone(number if number.startswith("+") else f"+{number}")
        else:
            region = country_of(draft.location) if draft.location else None
            phone = clean_phone(message.text if message else None, region=region)
    except InvalidInput as problem:
        notice = svc.t(draft.language, problem.key, **problem.params)
        return await _ask(update, ctx, step, draft, notice=notice)
    draft.phone = phone
    return await _advance(update, ctx, step, draft)


async def typed_item(update: Update, ctx: Context) -> Step:
    """Reads a need or offer typed in the user's own words. One thing clearly in one category
    is added with those words; otherwise each thing is asked about ("did you mean…?")."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    t, lang = svc.t, draft.language
    try:
        text = clean_text(
            update.effective_message.text if update.effective_message else None,
            max_length=MAX_DETAIL,
        )
    except InvalidInput as problem:
        return await _ask(update, ctx, step, draft, notice=t(lang, problem.key, **problem.params))
    direction = PICKING.get(step) or GUESSING[step]
    if step in GUESSING and draft.pending:
        # Typed again instead of tapping: these words replace the ones asked about.
        draft.pending.pop(0)
    reading = svc.taxonomy.read(text)
    draft.family = None
    if reading.sure:
        category = reading.parts[0].category
        assert category is not None
        if not _add(draft.items(direction), Item(category, text)):
            notice = t(lang, "pick.too_many", max=MAX_ITEMS_PER_SIDE)
            return await _ask(update, ctx, step, draft, notice=notice)
        label = svc.taxonomy.category(category).label(lang)
        notice = t(lang, "pick.recognised", category=label, words=text)
        following = GUESS_STEP[direction] if draft.pending else PICK_STEP[direction]
        return await _ask(update, ctx, following, draft, notice=notice)
    asked = [Pending(p.words, tuple(c for c, _ in p.candidates)) for p in reading.parts]
    question: Html | None = None
    if not asked:
        asked = [Pending(text, ())]
        question = t(lang, "pick.not_recognised")
    elif len(asked) > 1:
        question = t(lang, "pick.several", count=len(asked))
    draft.pending[:0] = asked
    return await _ask(update, ctx, GUESS_STEP[direction], draft, notice=question)


async def answer_detail(update: Update, ctx: Context) -> Step:
    """Stores the user's own words for one chosen category; asks the next one."""
    step, draft = await _load(update, ctx)
    try:
        text = clean_text(
            update.effective_message.text if update.effective_message else None,
            max_length=MAX_DETAIL,
        )
    except InvalidInput as problem:
        notice = ctx.services.t(draft.language, problem.key, **problem.params)
        return await _ask(update, ctx, step, draft, notice=notice)
    items = draft.items(DETAILS[step])
    cursor = min(draft.detail_cursor, len(items) - 1)
    items[cursor] = Item(items[cursor].category, text)
    return await _next_detail(update, ctx, step, draft, cursor + 1)


async def _next_detail(update: Update, ctx: Context, step: Step, draft: Draft, start: int) -> Step:
    items = draft.items(DETAILS[step])
    cursor = _first_without_detail(items, start)
    if cursor is not None:
        draft.detail_cursor = cursor
        return await _ask(update, ctx, step, draft)
    draft.detail_cursor = 0
    return await _ask(update, ctx, _after(step, draft), draft)


# --- interruptions (fallbacks) --------------------------------------------------------------


async def cancel(update: Update, ctx: Context) -> Step | int:
    """/cancel: with answers already given, asks first (they would all be lost); otherwise
    forgets the draft at once."""
    svc = ctx.services
    step, draft = await _load(update, ctx)
    if draft.mode != "edit" and draft.name:
        ask = InlineKeyboardMarkup(
            [
                [_button(svc, draft.language, "reg.cancel_yes", "r:cancel:yes")],
                [_button(svc, draft.language, "reg.cancel_no", "r:cancel:no")],
            ]
        )
        await reply(update, svc.t(draft.language, "reg.cancel_confirm"), ask)
        return step
    return await _forget(update, ctx, draft)


async def cancel_answer(update: Update, ctx: Context) -> Step | int:
    """ "Tout abandonner" forgets the draft; "Continuer" asks the current question again."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    if button_value(update) == "yes":
        return await _forget(update, ctx, draft)
    return await _ask(update, ctx, step, draft)


async def _forget(update: Update, ctx: Context, draft: Draft) -> int:
    """Forgets the draft (a stored profile is untouched) and says how to start again."""
    svc = ctx.services
    chat_id, user_id = _ids(update)
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    key = "reg.edit_cancelled" if draft.mode == "edit" else "reg.cancelled"
    await reply(update, svc.t(draft.language, key))
    return ConversationHandler.END


async def resume(update: Update, ctx: Context) -> Step:
    """/start again mid-way: keeps any new payload and asks the current question again."""
    step, draft = await _load(update, ctx)
    if _payload(ctx):
        draft.payload = _payload(ctx)
        _, user_id = _ids(update)
        svc = ctx.services
        await users.remember_payload(svc.db, user_id, str(draft.payload), svc.clock())
    notice = ctx.services.t(draft.language, "reg.resuming")
    return await _ask(update, ctx, step, draft, notice=notice)


async def help_midway(update: Update, ctx: Context) -> Step:
    """/help mid-way: explains the registration, then asks the current question again."""
    step, draft = await _load(update, ctx)
    return await _ask(update, ctx, step, draft, notice=ctx.services.t(draft.language, "reg.help"))


async def language_midway(update: Update, ctx: Context) -> Step:
    """/language mid-way: offers the languages; the choice re-asks the question in it."""
    step, draft = await _load(update, ctx)
    rows = [
        [
            InlineKeyboardButton(
                ctx.services.t(code, "language.button"), callback_data=f"r:lang:{code}"
            )
            for code in LANGUAGES
        ]
    ]
    await reply(
        update, ctx.services.t(draft.language, "language.choose"), InlineKeyboardMarkup(rows)
    )
    return step


async def switch_language(update: Update, ctx: Context) -> Step:
    """A language button pressed after the first step: re-asks the current question in it."""
    await answer_query(update)
    step, draft = await _load(update, ctx)
    code = button_value(update)
    if code in LANGUAGES:
        draft.language = code
        _, user_id = _ids(update)
        svc = ctx.services
        await users.set_language(svc.db, user_id, code, svc.clock())
    if step is Step.LANGUAGE:
        return await _advance(update, ctx, step, draft)
    notice = ctx.services.t(draft.language, "language.set")
    return await _ask(update, ctx, step, draft, notice=notice)


async def finish_first(update: Update, ctx: Context) -> Step:
    """Another command mid-way: says to finish (or /cancel) first, asks the question again."""
    step, draft = await _load(update, ctx)
    key = "reg.finish_edit_first" if draft.mode == "edit" else "reg.finish_first"
    return await _ask(update, ctx, step, draft, notice=ctx.services.t(draft.language, key))


async def not_understood(update: Update, ctx: Context) -> Step:
    """A sticker, photo or text where buttons were expected: says what is needed, asks again."""
    step, draft = await _load(update, ctx)
    key = "reg.need_text" if step in TEXT_STEPS else "reg.use_buttons"
    return await _ask(update, ctx, step, draft, notice=ctx.services.t(draft.language, key))


async def stale_button(update: Update, ctx: Context) -> Step:
    """A button from an earlier question: says so, and asks the current question again."""
    step, draft = await _load(update, ctx)
    await answer_query(update, ctx.services.t(draft.language, "button.earlier_step"))
    return await _ask(
        update, ctx, step, draft, notice=ctx.services.t(draft.language, "reg.resuming")
    )


# --- the table ------------------------------------------------------------------------------


def build() -> ConversationHandler[Context]:
    """The registration conversation: one table of steps."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

    def on(callback: Callable[..., object], pattern: str) -> CallbackQueryHandler[Context, object]:
        return CallbackQueryHandler(callback, pattern=pattern)  # type: ignore[arg-type]

    picking: list[BaseHandler[Update, Context, object]] = [
        on(open_family, r"^r:fam:[a-z_]+$"),
        on(list_families, r"^r:fams$"),
        on(toggle_category, r"^r:tog:[a-z_]+$"),
        on(done_picking, r"^r:done$"),
        on(keep_words, r"^r:words$"),
        on(drop_words, r"^r:drop:\d+$"),
        MessageHandler(text, typed_item),
    ]
    guessing: list[BaseHandler[Update, Context, object]] = [
        on(choose_guess, r"^r:as:[a-z_]+$"),
        on(other_category, r"^r:other$"),
        on(keep_words, r"^r:words$"),
        MessageHandler(text, typed_item),
    ]
    details: list[BaseHandler[Update, Context, object]] = [
        MessageHandler(text, answer_detail),
        on(skip, r"^r:skip$"),
    ]
    return ConversationHandler(
        name=CONVERSATION,
        persistent=True,
        entry_points=[
            # Private chats only (bot.app stops groups earlier; this keeps the form safe alone).
            CommandHandler(
                "start", start, filters=filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
            ),
            on(edit_from_profile, r"^p:edit:[a-z]+$"),
        ],
        states={
            Step.LANGUAGE: [on(choose_language, r"^r:lang:[a-z]{2}$")],
            Step.KIND: [on(choose_kind, r"^r:kind:(association|company)$")],
            Step.NAME: [MessageHandler(text, answer_name)],
            Step.DESCRIPTION: [MessageHandler(text, answer_description)],
            Step.LOCATION: [
                MessageHandler(text, answer_location),
                on(choose_remote, r"^r:remote$"),
            ],
            Step.NEEDS: picking,
            Step.NEED_GUESS: guessing,
            Step.NEED_DETAILS: details,
            Step.OFFERS: picking,
            Step.OFFER_GUESS: guessing,
            Step.OFFER_DETAILS: details,
            Step.CONTACT: [MessageHandler(text, answer_contact)],
            Step.EMAIL: [MessageHandler(text, answer_email), on(skip, r"^r:skip$")],
            Step.PHONE: [
                MessageHandler(text | filters.CONTACT, answer_phone),
                on(skip, r"^r:skip$"),
            ],
            Step.CONSENT: [on(agree, r"^r:agree$")],
            Step.SUMMARY: [
                on(edit_field, r"^r:edit:[a-z]+$"),
                on(confirm, r"^r:confirm$"),
                on(discard, r"^r:discard$"),
            ],
        },
        fallbacks=[
            # Order matters: the first match wins.
            CommandHandler("cancel", cancel),
            CommandHandler("start", resume),
            CommandHandler("help", help_midway),
            CommandHandler("language", language_midway),
            on(back, r"^r:back$"),
            on(cancel_answer, r"^r:cancel:(yes|no)$"),
            on(switch_language, r"^r:lang:[a-z]{2}$"),
            on(stale_button, r"^(r|p):"),
            MessageHandler(filters.COMMAND, finish_first),
            MessageHandler(filters.UpdateType.MESSAGE, not_understood),
        ],
    )
