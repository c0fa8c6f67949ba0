"""Text helpers shared by the domain and the handlers: normalisation for matching, and the
measuring, splitting and shortening that keep messages within Telegram's limits.

Telegram counts a message's length in UTF-16 code units (an emoji outside the Basic
Multilingual Plane counts 2) of the text *after* its HTML is parsed: tags count nothing and
`&lt;` counts 1. Everything here measures that way. Pure: no telegram import.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from core.i18n import Html

# Telegram's limits (Bot API: sendMessage, sendPhoto/sendDocument caption, InlineKeyboardButton).
MAX_MESSAGE = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes, UTF-8
MAX_BUTTONS = 100  # inline buttons in one message
# Telegram does not document a limit for a button's label, but phones show about this much.
MAX_BUTTON_LABEL = 40
ELLIPSIS = "…"

_NON_WORD = re.compile(r"[^0-9a-z]+")
# A tag (opening or closing, attributes included) or an entity, as Telegram's HTML mode has them.
_MARKUP = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>"
    r"|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);"
)


def normalise(text: str) -> str:
    """Lower-case, drop accents and punctuation, collapse spaces: 'Site Web !' → 'site web'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", no_marks).strip()


# --- measuring ------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters beyond U+FFFF (most emoji) count two."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass(frozen=True, slots=True)
class _Token:
    """A piece of HTML source: a tag (`tag` is its name) or one visible character."""

    source: str
    visible: str = ""
    tag: str = ""
    closing: bool = False

    @property
    def units(self) -> int:
        return utf16_len(self.visible)


def _tokens(source: str) -> list[_Token]:
    out: list[_Token] = []
    position = 0
    for match in _MARKUP.finditer(source):
        out.extend(_Token(char, char) for char in source[position : match.start()])
        raw = match.group(0)
        if match.group(2):
            out.append(_Token(raw, tag=match.group(2).lower(), closing=bool(match.group(1))))
        else:
            out.append(_Token(raw, html.unescape(raw)))
        position = match.end()
    out.extend(_Token(char, char) for char in source[position:])
    return out


def visible_text(source: str) -> str:
    """The text a reader sees once Telegram has parsed the HTML (tags gone, entities decoded)."""
    return "".join(token.visible for token in _tokens(source))


def visible_len(source: str) -> int:
    """The length Telegram checks against its limits: UTF-16 units of the visible text."""
    return utf16_len(visible_text(source))


# --- shortening -----------------------------------------------------------------------------


def shorten(text: str, limit: int) -> str:
    """Plain (not yet escaped) user text cut to at most `limit` UTF-16 units, with "…" when cut.

    For names and words quoted in lists, where one long entry must not crowd out the others.
    Escape the result afterwards (the translator does): escaping does not change what is seen.
    """
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for char in text:
        used += utf16_len(char)
        if used > room:
            break
        kept.append(char)
    # A cut right after a joiner or variation selector would leave half an emoji sequence.
    while kept and (kept[-1] in "\u200d\ufe0f" or kept[-1].isspace()):
        kept.pop()
    return "".join(kept) + ELLIPSIS if limit >= utf16_len(ELLIPSIS) else ""


# --- splitting ------------------------------------------------------------------------------


def _opening(stack: list[_Token]) -> str:
    return "".join(token.source for token in stack)


def _closing(stack: list[_Token]) -> str:
    return "".join(f"</{token.tag}>" for token in reversed(stack))


def _walk(stack: list[_Token], tokens: Sequence[_Token]) -> list[_Token]:
    """The tags still open after `tokens`, starting with `stack` open."""
    opened = list(stack)
    for token in tokens:
        if token.tag and token.closing:
            if opened and opened[-1].tag == token.tag:
                opened.pop()
        elif token.tag:
            opened.append(token)
    return opened


def _cut(tokens: list[_Token], start: int, limit: int) -> int:
    """Where the part beginning at `start` ends: after the last paragraph break that keeps it at
    least half full, else after the last line break, else after the last space, else as much
    as fits (a single over-long word)."""
    units, end = 0, start
    paragraph = line = space = None
    seen_text = False
    while end < len(tokens):
        token = tokens[end]
        if units + token.units > limit:
            break
        units += token.units
        end += 1
        if token.visible == "\n" and seen_text:
            line = end
            if end - 2 >= start and tokens[end - 2].visible == "\n" and units >= limit // 2:
                paragraph = end
        elif token.visible.isspace() and seen_text and units >= limit // 2:
            space = end
        elif token.visible and not token.visible.isspace():
            seen_text = True
    if end == len(tokens):
        return end
    for choice in (paragraph, line, space):
        if choice is not None:
            return choice
    # Not even one visible character fits (limit 1 and an emoji): take it anyway rather than
    # loop; callers use limits far above any single character.
    return max(end, start + 1)


def split_html(source: str | Sequence[str], limit: int = MAX_MESSAGE) -> list[Html]:
    """Telegram HTML cut into messages of at most `limit` visible UTF-16 units each.

    `source` is one text or a list of blocks (joined by line breaks). Cuts fall between
    paragraphs, else lines, else words, and only a word longer than a whole message is cut
    inside. Never inside a tag or an entity; tags open at a cut are closed at the end of one
    part and opened again at the start of the next, so every part parses on its own. The
    parts' visible texts put end to end are the source's visible text (a part made only of
    blank space is left out, as Telegram refuses an empty message).
    """
    text = source if isinstance(source, str) else "\n".join(source)
    if visible_len(text) <= limit:
        return [Html(text)]
    tokens = _tokens(text)
    parts: list[Html] = []
    stack: list[_Token] = []
    start = 0
    while start < len(tokens):
        end = _cut(tokens, start, limit)
        piece = tokens[start:end]
        after = _walk(stack, piece)
        if any(not token.visible.isspace() for token in piece if token.visible):
            body = "".join(token.source for token in piece)
            parts.append(Html(_opening(stack) + body + _closing(after)))
        stack, start = after, end
    return parts


def pack(blocks: Sequence[str], limit: int, *, max_items: int | None = None) -> list[range]:
    """Consecutive blocks grouped into pages whose blocks, joined by line breaks, stay within
    `limit` visible units (and `max_items` blocks): which blocks go in which message or page.

    A block longer than `limit` on its own gets a page of its own (shorten it beforehand).
    """
    pages: list[range] = []
    first, used = 0, 0
    for index, block in enumerate(blocks):
        size = visible_len(block)
        full = max_items is not None and index - first >= max_items
        if index > first and (used + 1 + size > limit or full):
            pages.append(range(first, index))
            first, used = index, 0
        used += size if index == first else 1 + size
    if first < len(blocks):
        pages.append(range(first, len(blocks)))
    return pages
