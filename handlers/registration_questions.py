"""What each registration question shows: its text and its buttons (or, at the phone step,
Telegram's keyboard), read from the step table (registration_steps.TABLE)."""

from __future__ import annotations

import hashlib

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from core.i18n import LANGUAGES, Html
from core.models import Direction, Draft, OrgKind
from core.text import shorten
from core.validation import MAX_ITEMS_PER_SIDE
from handlers.context import Services
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
    Remote,
    Skip,
    Tick,
    Trim,
    WordsOnly,
)
from handlers.registration_steps import (
    DETAILS,
    EDITABLE,
    GUESSING,
    PICKING,
    TABLE,
    Step,
    last_channel,
    opening,
)
from handlers.render import profile_card, selection_block

# How much of words kept alone a "remove" button quotes (Telegram shows about 40 characters).
WORDS_IN_BUTTON = 30
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def _button(svc: Services, lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(svc.t(lang, key), callback_data=data)


def words_key(words: str) -> str:
    """A short digest of an item's words (on its ✖️ button): a ✖️ of an earlier copy of the
    list, whose items have moved since, removes nothing else."""
    return hashlib.sha256(words.encode()).hexdigest()[:8]


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
            about = WordsOnly(draft.pending[0].number).data
            rows.append([_button(svc, lang, "button.words_only", about)])
            where = t(lang, "pick.assign_hint", words=draft.pending[0].words)
        else:
            for index, item in enumerate(draft.items(direction)):
                if item.words_only:
                    words = shorten(item.detail, WORDS_IN_BUTTON)
                    label = t.plain(lang, "button.drop_words", words=words)
                    drop = DropWords(index, words_key(item.detail))
                    file = FileWords(index, words_key(item.detail))
                    rows.append(
                        [
                            InlineKeyboardButton(label, callback_data=drop.data),
                            InlineKeyboardButton(
                                t.plain(lang, "button.file_words"), callback_data=file.data
                            ),
                        ]
                    )
            nav = _nav_row(svc, step, draft)
            nav.append(_button(svc, lang, "button.done", Done().data))
            rows.append(nav)
            where = t(lang, "pick.families_hint")
    else:
        family = tx.family(draft.family)
        for category in tx.in_family(family.id):
            mark = "✅" if category.id in chosen else "▫️"
            label = f"{mark} {category.label(lang)}"
            tick = Tick(category.id, draft.pending[0].number if draft.pending else None)
            rows.append([InlineKeyboardButton(label, callback_data=tick.data)])
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
    about = pending.number  # an earlier copy's buttons answer nothing else
    rows.extend(
        [
            InlineKeyboardButton(
                f"👉 {tx.category(c).label(lang)}", callback_data=Guess(c, about).data
            )
        ]
        for c in pending.candidates
        if tx.has_category(c)
    )
    rows.append([_button(svc, lang, "button.other_category", OtherCategory(about).data)])
    rows.append([_button(svc, lang, "button.words_only", WordsOnly(about).data)])
    rows.append([_button(svc, lang, "guess.drop", DropGuess(about).data)])
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
