"""Telegram's HTML parse mode, as strictly as the real server applies it.

Telegram accepts a small set of tags, requires every `<`, `>` and `&` of plain text to be
escaped, and counts a message's length in UTF-16 code units after the markup is removed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    }
)  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class HtmlError(ValueError):
    """The text does not parse; the message matches Telegram's wording."""


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: characters beyond U+FFFF (most emoji) count two."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass(frozen=True)
class Parsed:
    text: str

    @property
    def utf16_length(self) -> int:
        return utf16_length(self.text)


def _offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def parse(source: str) -> Parsed:
    """The plain text of an HTML-formatted message, or HtmlError as Telegram would say it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            match = _TAG.match(source, i)
            if match is None:
                raise HtmlError(
                    f"Can't parse entities: unclosed start tag at byte offset {_offset(source, i)}"
                )
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                raise HtmlError(
                    f'Can\'t parse entities: unsupported start tag "{name}" at byte offset '
                    f"{_offset(source, i)}"
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlError(
                        f"Can't parse entities: can't find end tag corresponding to start tag \""
                        f'{stack[-1] if stack else name}"'
                    )
                stack.pop()
            else:
                if name == "a" and "href=" not in attributes:
                    pass  # Telegram tolerates an anchor without href (it becomes plain text)
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(source, i)
            if match is None:
                raise HtmlError(
                    "Can't parse entities: unsupported HTML entity at byte offset "
                    f"{_offset(source, i)}"
                )
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise HtmlError(
                f"Can't parse entities: unexpected end tag at byte offset {_offset(source, i)}"
            )
        else:
            out.append(char)
            i += 1
    if stack:
        raise HtmlError(
            f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return Parsed("".join(out))
