"""Picking needs and offers: families of categories with ticks, words typed in the person's
own words (filed at once when the bot is sure, else « did you mean…? »), and the words asked
for each category picked without any."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from core.i18n import Html
from core.models import WORDS_ONLY, Direction, Draft, Item, Pending
from core.text import normalise, shorten
from core.validation import (
    MAX_DETAIL,
    MAX_ITEMS_PER_SIDE,
    InvalidInput,
    clean_text,
    has_contact_details,
    looks_like_name,
)
from handlers.context import Context, Services, answer_query
from handlers.form import says_label
from handlers.registration_ask import (
    advance,
    ask,
    load,
    next_detail,
    refused,
    several_things,
)
from handlers.registration_buttons import (
    Done,
    DropGuess,
    DropWords,
    Families,
    Family,
    FileWords,
    Guess,
    OtherCategory,
    Tick,
    WordsOnly,
)
from handlers.registration_questions import WORDS_IN_BUTTON, words_key
from handlers.registration_steps import (
    CONFIRM,
    DETAILS,
    DONE,
    GUESS_STEP,
    GUESSING,
    NO,
    PICK_STEP,
    PICKING,
    TABLE,
    Step,
)


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


def words_to_keep(draft: Draft, direction: Direction, svc: Services) -> Html | None:
    """Words still waiting for a category are kept as they are (nothing typed is lost
    silently), and the person is told: what was kept in words only, and what did not fit."""
    notices: list[Html] = []
    t, lang = svc.t, draft.language
    while draft.pending:
        words = draft.pending.pop(0).words
        if _add(draft.items(direction), Item(WORDS_ONLY, words)):
            notices.append(t(lang, "pick.kept_words", words=words))
        else:
            notices.append(t(lang, "pick.not_kept_full", max=MAX_ITEMS_PER_SIDE, words=words))
    return Html("\n".join(notices)) if notices else None


async def open_family(update: Update, ctx: Context, pressed: Family) -> Step:
    """Shows one family's categories with ticks."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    draft.family = pressed.family if ctx.services.taxonomy.has_family(pressed.family) else None
    return await ask(update, ctx, step, draft)


async def list_families(update: Update, ctx: Context, _: Families) -> Step:
    """Goes back from one family to the list of families."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    draft.family = None
    return await ask(update, ctx, step, draft)


async def toggle_category(update: Update, ctx: Context, pressed: Tick) -> Step:
    """Adds or removes one category from the needs (or offers); shows the ticks again. Words
    waiting for a category ("another category") go to the one ticked; unticking a category
    keeps the words typed for it."""
    svc = ctx.services
    step, draft = await load(update, ctx)
    category, lang = pressed.category, draft.language
    if not svc.taxonomy.has_category(category) or step not in PICKING:
        await answer_query(update, svc.t(lang, "button.expired"), alert=True)
        return step
    if pressed.about != (draft.pending[0].number if draft.pending else None):
        # A list shown for other words than those asked about now (or none): an earlier copy.
        await answer_query(update, svc.t.plain(lang, "button.earlier_step"))
        return await ask(update, ctx, step, draft)
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
    return await ask(update, ctx, step, draft)


async def _after_guess(update: Update, ctx: Context, direction: Direction, draft: Draft) -> Step:
    """The next pending words are asked about, or the list of needs (offers) comes back."""
    draft.family = None
    if draft.pending:
        return await ask(update, ctx, GUESS_STEP[direction], draft)
    return await ask(update, ctx, PICK_STEP[direction], draft)


async def choose_guess(update: Update, ctx: Context, pressed: Guess) -> Step:
    """Files the words asked about under the category tapped; asks about the next ones."""
    svc = ctx.services
    step, draft = await load(update, ctx)
    category = pressed.category
    if (
        step not in GUESSING
        or _answered(draft, pressed.about)
        or not svc.taxonomy.has_category(category)
    ):
        await answer_query(update, svc.t.plain(draft.language, "button.earlier_step"))
        return await ask(update, ctx, step, draft)
    direction = GUESSING[step]
    pending = draft.pending.pop(0)
    if not _add(draft.items(direction), Item(category, pending.words)):
        draft.pending.insert(0, pending)
        notice = svc.t(draft.language, "pick.too_many", max=MAX_ITEMS_PER_SIDE)
        await answer_query(update)
        return await ask(update, ctx, step, draft, notice=notice)
    await answer_query(update)
    return await _after_guess(update, ctx, direction, draft)


async def other_category(update: Update, ctx: Context, pressed: OtherCategory) -> Step:
    """Shows every family so the words asked about can be filed under another category."""
    step, draft = await load(update, ctx)
    if step not in GUESSING or _answered(draft, pressed.about):
        await answer_query(update, ctx.services.t.plain(draft.language, "button.earlier_step"))
        return await ask(update, ctx, step, draft)
    await answer_query(update)
    draft.family = None
    return await ask(update, ctx, PICK_STEP[GUESSING[step]], draft)


async def keep_words(update: Update, ctx: Context, pressed: WordsOnly) -> Step:
    """Keeps the words asked about as they are, without a category; asks about the next ones."""
    svc = ctx.services
    step, draft = await load(update, ctx)
    direction = GUESSING.get(step) or PICKING.get(step)
    if direction is None or _answered(draft, pressed.about):
        await answer_query(update, svc.t.plain(draft.language, "button.earlier_step"))
        return await ask(update, ctx, step, draft)
    pending = draft.pending.pop(0)
    if not _add(draft.items(direction), Item(WORDS_ONLY, pending.words)):
        draft.pending.insert(0, pending)
        await answer_query(update)
        notice = svc.t(draft.language, "pick.too_many", max=MAX_ITEMS_PER_SIDE)
        return await ask(update, ctx, step, draft, notice=notice)
    await answer_query(update)
    return await _after_guess(update, ctx, direction, draft)


async def drop_words(update: Update, ctx: Context, pressed: DropWords) -> Step:
    """Removes an item kept in words only (its ✖️ button under the families), if it is still
    the one the button was shown for."""
    step, draft = await load(update, ctx)
    if await _kept_alone(update, ctx, step, draft, pressed) is not None:
        draft.items(PICKING[step]).pop(pressed.index)
    return await ask(update, ctx, step, draft)


async def file_words(update: Update, ctx: Context, pressed: FileWords) -> Step:
    """🏷️ beside an item kept in words only: its words wait for a category, and the one ticked
    next receives them (as with "another category"); « keep my words only » puts them back."""
    step, draft = await load(update, ctx)
    words = await _kept_alone(update, ctx, step, draft, pressed)
    if words is not None:
        draft.items(PICKING[step]).pop(pressed.index)
        draft.pending[:0] = _numbered(draft, [Pending(words, ())])
        draft.family = None
    return await ask(update, ctx, step, draft)


async def _kept_alone(
    update: Update, ctx: Context, step: Step, draft: Draft, pressed: DropWords | FileWords
) -> str | None:
    """The words of the item kept in words only a ✖️ or 🏷️ button was shown for, if it is still
    there (else the person is told the button belongs to an earlier step)."""
    items = draft.items(PICKING[step]) if step in PICKING else []
    found = items[pressed.index] if pressed.index < len(items) else None
    if found is None or not found.words_only or pressed.words != words_key(found.detail):
        await answer_query(update, ctx.services.t.plain(draft.language, "button.earlier_step"))
        return None
    await answer_query(update)
    return found.detail


async def done_picking(update: Update, ctx: Context, _: object) -> Step:
    """Closes the needs (or offers) list, words still asked about kept as they are (✅ Done
    pressed on the list above "did you mean…?"); asks details for each category chosen
    without words, then moves on."""
    svc = ctx.services
    step, draft = await load(update, ctx)
    direction = PICKING.get(step) or GUESSING.get(step)
    if direction is None:
        await answer_query(update, svc.t.plain(draft.language, "button.earlier_step"))
        return await ask(update, ctx, step, draft)
    step = PICK_STEP[direction]
    kept = words_to_keep(draft, direction, svc)
    if step is Step.OFFERS and not draft.needs and not draft.offers:
        notice = svc.t(draft.language, "pick.need_something")
        if update.callback_query is None:  # « fini » typed: no button to show an alert on
            return await ask(update, ctx, step, draft, notice=notice)
        await answer_query(update, notice, alert=True)
        return step
    await answer_query(update)
    return await advance(update, ctx, step, draft, notice=kept)


def _answered(draft: Draft, about: int | None) -> bool:
    """Nothing is asked about any more, or the button pressed belongs to an earlier question
    (a copy shown before a command, whose words were answered since): it must not answer the
    words asked about now. A yes or no typed (`about` None) answers the current question."""
    if not draft.pending:
        return True
    return about is not None and about != draft.pending[0].number


def _numbered(draft: Draft, asked: list[Pending]) -> list[Pending]:
    """The questions to come, each given its number."""
    numbered = []
    for pending in asked:
        draft.asked += 1
        numbered.append(replace(pending, number=draft.asked))
    return numbered


def _contact_details(text: str, *, some_category: bool) -> bool:
    """An e-mail address or a phone number, or only a person's name (no category read in it:
    "Tom Martin", not "Secours Populaire")."""
    return has_contact_details(text) or (not some_category and looks_like_name(text))


async def drop_guess(update: Update, ctx: Context, pressed: DropGuess) -> Step:
    """Throws away the words asked about (🗑️ Drop it, or « non » typed); asks about the next
    ones, or shows the list again."""
    svc = ctx.services
    step, draft = await load(update, ctx)
    if step not in GUESSING or _answered(draft, pressed.about):
        await answer_query(update, svc.t.plain(draft.language, "button.earlier_step"))
        return await ask(update, ctx, step, draft)
    dropped = draft.pending.pop(0)
    await answer_query(update)
    notice = svc.t(draft.language, "guess.dropped", words=dropped.words)
    draft.family = None
    following = step if draft.pending else PICK_STEP[GUESSING[step]]
    return await ask(update, ctx, following, draft, notice=notice)


async def typed_item(update: Update, ctx: Context, typed: str | None) -> Step:
    """Reads a need or offer typed in the person's own words. One thing clearly in one category
    is added with those words; otherwise each thing is asked about ("did you mean…?"). « fini »,
    « skip »… press ✅ Done; at "did you mean…?" a yes taps the likeliest category, and other
    words are added after the ones asked about, which are never lost."""
    svc = ctx.services
    step, draft = await load(update, ctx)
    t, lang = svc.t, draft.language
    try:
        text = clean_text(typed, max_length=MAX_DETAIL)
    except InvalidInput as problem:
        text = several_things(svc, typed, problem)
        if not text:
            return await refused(update, ctx, step, draft, typed=typed, problem=problem)
    asking = step in GUESSING and bool(draft.pending)
    if says_label(text, "", DONE) or (not asking and says_label(text, "", CONFIRM)):
        if not asking:
            # « fini », and « oui », « valider »… with nothing asked about: ✅ Done.
            return await done_picking(update, ctx, Done())
        # Words still asked about: « fini » settles nothing and is no need.
        notice = t(lang, "guess.settle_first", words=draft.pending[0].words)
        return await ask(update, ctx, step, draft, notice=notice)
    if asking and says_label(text, "", NO):
        # « non » to "did you mean…?": 🗑️ Drop it.
        return await drop_guess(update, ctx, DropGuess())
    if asking and says_label(text, "", CONFIRM):
        likeliest = next(iter(draft.pending[0].candidates), None)
        if likeliest is not None and svc.taxonomy.has_category(likeliest):
            return await choose_guess(update, ctx, Guess(likeliest))
        notice = t(lang, "guess.settle_first", words=draft.pending[0].words)
        return await ask(update, ctx, step, draft, notice=notice)
    if not normalise(text):  # « 🙏🙏 », « ?! »: no word to file or to match by
        return await ask(update, ctx, step, draft, notice=t(lang, "pick.words_please"))
    direction = PICKING.get(step) or GUESSING[step]
    reading = svc.taxonomy.read(text)
    some_category = reading.sure or any(part.candidates for part in reading.parts)
    if _contact_details(text, some_category=some_category):
        # Needs and offers are public: an e-mail, a phone number or a name typed ahead would
        # be shown to everyone, while contact details go only to partners both sides agreed to.
        return await ask(update, ctx, step, draft, notice=t(lang, "pick.contact_later"))
    draft.family = None
    if reading.sure:
        category = reading.parts[0].category
        assert category is not None
        if not _add(draft.items(direction), Item(category, text)):
            # The side is full: say plainly that these words were not added, quoting them.
            notice = t(lang, "pick.too_many_typed", max=MAX_ITEMS_PER_SIDE, words=text)
            return await ask(update, ctx, step, draft, notice=notice)
        label = svc.taxonomy.category(category).label(lang)
        notice = t(lang, "pick.recognised", category=label, words=text)
        following = GUESS_STEP[direction] if draft.pending else PICK_STEP[direction]
        return await ask(update, ctx, following, draft, notice=notice)
    asked = [Pending(p.words, tuple(c for c, _ in p.candidates)) for p in reading.parts]
    question: Html | None = None
    if not asked:
        asked = [Pending(text, ())]
        question = t(lang, "pick.not_recognised")
    elif len(asked) > 1:
        question = t(lang, "pick.several", count=len(asked))
    asked = _numbered(draft, asked)
    if asking:
        # Typed instead of tapping: the new words wait their turn behind the ones asked about.
        draft.pending.extend(asked)
        question = t(lang, "guess.after", words=text, words_asked=draft.pending[0].words)
    else:
        draft.pending[:0] = asked
    return await ask(update, ctx, GUESS_STEP[direction], draft, notice=question)


async def answer_detail(update: Update, ctx: Context, typed: str | None) -> Step:
    """Stores the person's own words for one chosen category; asks the next one."""
    step, draft = await load(update, ctx)
    try:
        text = clean_text(typed, max_length=TABLE[step].max_len or MAX_DETAIL)
    except InvalidInput as problem:
        return await refused(update, ctx, step, draft, typed=typed, problem=problem)
    if has_contact_details(text):
        notice = ctx.services.t(draft.language, "pick.contact_later")
        return await ask(update, ctx, step, draft, notice=notice)
    items = draft.items(DETAILS[step])
    cursor = min(draft.detail_cursor, len(items) - 1)
    items[cursor] = Item(items[cursor].category, text)
    return await next_detail(update, ctx, step, draft, cursor + 1)
