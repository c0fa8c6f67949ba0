"""The form engine shared by the bot's conversations (registration, record, event form).

Each conversation declares ONE table of steps: `StepTable = {Step.X: StepSpec(...)}`. What a
step leads to, where « back » goes, what kind of answer it takes, whether it can be skipped,
its length limit and the draft field it fills are read from that table by the handlers'
wiring, the back button, the questions and the diagram: `mermaid()` renders the table, and a
test compares it with the conversation's `.mmd` file, so the drawing cannot drift.

A conversation's answers are a typed draft (a dataclass), stored as JSON with its step before
each question is sent (`FormStore`), through pydantic's `TypeAdapter`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from core.buttons import Callback
from core.i18n import Html
from core.text import normalise
from handlers.context import Context, asking, edit_or_reply, form_gone, reply
from storage import conversations
from storage.db import Database

S = TypeVar("S", bound=StrEnum)
D = TypeVar("D")
B = TypeVar("B", bound=Callback)


class Input(StrEnum):
    """What a step takes: typed text, a number, buttons only, or Telegram's shared contact."""

    TEXT = "text"
    NUMBER = "number"
    BUTTONS = "buttons"
    CONTACT = "contact"


@dataclass(frozen=True, slots=True)
class Arrow:
    """Another way out of a step, drawn in the diagram (`to` is a step or a node's name)."""

    to: str
    label: str = ""
    dotted: bool = False


@dataclass(frozen=True, slots=True)
class StepSpec(Generic[S]):
    """One step of a conversation.

    `next` is where an accepted answer leads (None: the handler decides, e.g. the end);
    `says` labels that arrow in the diagram; `also` lists the step's other ways out.
    """

    next: S | None
    back: S | None = None
    input: Input = Input.TEXT
    optional: bool = False
    max_len: int | None = None
    min_len: int = 1
    field: str | None = None
    says: str = ""
    also: tuple[Arrow, ...] = ()
    # How a typed answer becomes the field's value (None: the text, cleaned, within max_len).
    # It raises core.validation.InvalidInput to refuse the answer.
    clean: Callable[[str], object] | None = None


StepTable = Mapping[S, StepSpec[S]]


def text_steps(table: StepTable[S]) -> frozenset[S]:
    """The steps answered by typing (text or a number)."""
    return frozenset(s for s, spec in table.items() if spec.input in (Input.TEXT, Input.NUMBER))


def backs(table: StepTable[S]) -> dict[S, S]:
    return {s: spec.back for s, spec in table.items() if spec.back is not None}


# --- answers ----------------------------------------------------------------------------------


def says_label(typed: str, label: str, synonyms: Iterable[str] = ()) -> bool:
    """Typed text that means pressing the button `label`: the same words whatever the case,
    accents, punctuation or emoji ("association" for "🤲 Association"), or one of `synonyms`."""
    words = normalise(typed)
    return bool(words) and (words == normalise(label) or words in map(normalise, synonyms))


def label_pressed(
    typed: str | None,
    markup: InlineKeyboardMarkup,
    synonyms: Mapping[str, Iterable[str]] | None = None,
) -> str | None:
    """The data of the button in `markup` whose label (or one of its `synonyms`, by button
    data) `typed` says, if any."""
    if not typed:
        return None
    synonyms = synonyms or {}
    for row in markup.inline_keyboard:
        for button in row:
            data = button.callback_data
            if isinstance(data, str) and says_label(typed, button.text, synonyms.get(data, ())):
                return data
    return None


# Code points that belong to the character before them: cutting just before one would break
# an emoji (skin tone, ZWJ sequence, keycap) or an accented letter.
def _attached(char: str) -> bool:
    return (
        unicodedata.category(char) in ("Mn", "Me", "Cf")
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


# Short words that lead to the next one, dropped from the end of a cut answer.
_LEADING = frozenset(
    ("du", "de", "des", "d'", "la", "le", "les", "l'", "un", "une", "et", "ou", "pour", "à",
     "au", "aux", "en", "sur", "avec", "par", "of", "the", "and", "or", "for", "to", "a", "an",
     "in", "on", "with", "by", "at", "from")
)  # fmt: skip
_HANGING = " ,;:-–—/([{«“\"'+&"
_LAST_WORD = re.compile(r"\S+$")


def trim(text: str, limit: int) -> str:
    """The start of `text` within `limit` characters: cut at a space when one is near the end,
    never inside an emoji or an accented letter (Python counts code points, so a UTF-16 pair
    is never split)."""
    if len(text) <= limit:
        return text
    cut = limit
    # Step back while the character at `cut` belongs to the one before it (a skin tone, a
    # variation selector, or anything after a zero-width joiner), so the emoji stays whole.
    while cut > 0 and (_attached(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    space = text.rfind(" ", 0, cut + 1)
    if space < cut * 2 // 3:
        return text[:cut].rstrip()
    # Cut at a word: the words that only lead to the next one go too (« … pour les réunions
    # du », "a room for the"), with any punctuation left hanging.
    kept = text[:space].rstrip()
    while (found := _LAST_WORD.search(kept)) is not None:
        before, word = kept[: found.start()].rstrip(), found.group().rstrip(_HANGING)
        if word and word.casefold() not in _LEADING:
            return kept[: found.start()] + word
        if not before:
            break
        kept = before
    return kept


Pressed = Callable[[Update, Any, B], Awaitable[object]]


def on(button: type[B], callback: Pressed[B]) -> CallbackQueryHandler[Any, object]:
    """The handler of one kind of button: `callback` gets the pressed button, parsed."""

    async def pressed(update: Update, ctx: Any) -> object:
        query = update.callback_query
        parsed = button.parse(query.data if query is not None else None)
        assert parsed is not None  # the pattern matched
        return await callback(update, ctx, parsed)

    return CallbackQueryHandler(pressed, pattern=button.pattern())


def route(
    callback: Callable[..., Any], button: type[Callback]
) -> CallbackQueryHandler[Any, object]:
    """The handler of one kind of button whose `callback` reads the press itself (it may also
    be called with a typed label's data)."""
    return CallbackQueryHandler(callback, pattern=button.pattern())


def _node(name: str) -> str:
    return name.upper()


def _arrow(source: str, target: str, label: str, *, dotted: bool = False) -> str:
    link = "-.->" if dotted else "-->"
    return f"    {source} {link}{f'|{label}|' if label else ''} {target}"


def mermaid(
    table: StepTable[S],
    *,
    comments: Iterable[str] = (),
    entries: Iterable[str] = (),
) -> str:
    """The conversation as a Mermaid flowchart: entries, each step's ways out, then « back ».

    `comments` become `%%` lines at the top; `entries` are lines drawn before the table's
    arrows (how the conversation starts).
    """
    lines = [f"%% {line}" if line else "%%" for line in comments]
    lines.append("flowchart TD")
    lines.extend(f"    {entry}" for entry in entries)
    lines.append("")
    for step, spec in table.items():
        if spec.next is not None:
            lines.append(_arrow(_node(step.name), _node(spec.next.name), spec.says))
        lines.extend(
            _arrow(_node(step.name), arrow.to, arrow.label, dotted=arrow.dotted)
            for arrow in spec.also
        )
    lines.append("")
    for step, spec in table.items():
        if spec.back is not None:
            lines.append(_arrow(_node(step.name), _node(spec.back.name), "back", dotted=True))
    return "\n".join(lines) + "\n"


def ids(update: Update) -> tuple[int, int]:
    """The chat and the person a conversation's row belongs to."""
    assert update.effective_chat is not None
    assert update.effective_user is not None
    return update.effective_chat.id, update.effective_user.id


class FormStore(Generic[S, D]):
    """Where one conversation keeps its step and typed draft (the `conversations` table)."""

    def __init__(
        self,
        name: str,
        steps: type[S],
        draft: type[D],
        *,
        upgrade: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        """`upgrade` turns answers stored by an older version into the draft's current shape."""
        self.name = name
        self._steps = steps
        self._adapter: TypeAdapter[D] = TypeAdapter(draft)
        self._upgrade = upgrade

    async def load(self, db: Database, update: Update) -> tuple[S, D] | None:
        chat_id, user_id = ids(update)
        found = await conversations.load_data(db, self.name, chat_id, user_id)
        if found is None or found[0] not in {step.value for step in self._steps}:
            return None
        try:
            data = self._upgrade(found[1]) if self._upgrade else found[1]
            return self._steps(found[0]), self._adapter.validate_python(data)
        except ValidationError:
            # Answers saved by an older version in a shape this one cannot read: start over
            # rather than fail at every message.
            return None

    async def save(self, db: Database, update: Update, step: S, draft: D, now: datetime) -> None:
        chat_id, user_id = ids(update)
        data = self._adapter.dump_python(draft, mode="json")
        assert isinstance(data, dict)
        await conversations.save_data(
            db,
            self.name,
            chat_id=chat_id,
            user_id=user_id,
            state=step.value,
            data=data,
            now=now,
        )

    async def current(self, update: Update, ctx: Context) -> tuple[S, D] | None:
        """The step and draft; None, once the person is told so, when they are gone (erased
        by /delete while the form was open)."""
        found = await self.load(ctx.services.db, update)
        if found is None:
            await form_gone(update, ctx)
        return found

    async def forget(self, db: Database, update: Update) -> None:
        chat_id, user_id = ids(update)
        await conversations.delete(db, self.name, chat_id, user_id)

    async def ask(
        self,
        update: Update,
        ctx: Context,
        step: S,
        draft: D,
        question: tuple[Html, InlineKeyboardMarkup | None],
        *,
        notice: Html | None = None,
        edit: bool = False,
    ) -> S:
        """Save the draft at `step`, then ask its `question` (after a `notice`, if any): as an
        edit of the message whose button was pressed when `edit`, else as a new message. The
        stored and the handler's steps stay equal even if Telegram cannot take the question."""
        svc = ctx.services
        await self.save(svc.db, update, step, draft, svc.clock())
        text, markup = question
        async with asking(step):
            if notice is not None:
                await reply(update, notice)
            if edit and notice is None:
                await edit_or_reply(update, text, markup)
            else:
                await reply(update, text, markup)
        return step
