"""The button codec: every kind of button's callback data is declared once, as a dataclass.

    @dataclass(frozen=True, slots=True)
    class NudgeAnswer(Callback, prefix="nd"):
        nudge: int
        answer: Literal["met", "later"]

    NudgeAnswer(4, "met").data          → "nd:4:met"
    NudgeAnswer.pattern()               → "^nd:(?P<nudge>\\d{1,18}):(?P<answer>met|later)$"
    NudgeAnswer.parse("nd:4:met")       → NudgeAnswer(nudge=4, answer="met")
    NudgeAnswer.parse("nd:x:met")       → None (stale, forged or another button)

The handler is registered with `pattern=NudgeAnswer.pattern()` and reads the pressed button
with `NudgeAnswer.parse(data)`; nothing else builds or splits callback data
(tests/test_buttons.py checks the handlers and the wiring for it).

The data stays short and durable: a nudge button must still work months later, so the ids are
the database's and the codec keeps no state (python-telegram-bot's `arbitrary_callback_data`
keeps an in-memory cache, which a restart or its size limit would empty).

Field types: `int` (a non-negative id), `str` (a short code: letters, digits, `_` and `-`),
a `Literal` of strings or a `StrEnum` (one of its values), and `int | None` as the last field
(an optional id, left out of the data when None). Telegram allows 64 bytes of data.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from dataclasses import fields
from typing import Any, ClassVar, Self

MAX_DATA_BYTES = 64
_INT = r"\d{1,18}"
_CODE = r"[A-Za-z0-9_-]{1,40}"


class Callback:
    """Base of every button kind; subclasses are frozen dataclasses given a `prefix`."""

    prefix: ClassVar[str]

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is None:  # dataclass(slots=True) makes the class again, prefix inherited
            return
        if not re.fullmatch(r"[a-z]+(:[a-z]+)*", prefix):
            raise ValueError(f"bad button prefix {prefix!r}")
        cls.prefix = prefix

    @property
    def data(self) -> str:
        parts = [self.prefix]
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None:
                continue
            text = value.value if isinstance(value, enum.Enum) else str(value)
            if ":" in text or not text:
                raise ValueError(f"{type(self).__name__}.{f.name} cannot be {text!r}")
            parts.append(text)
        data = ":".join(parts)
        if len(data.encode()) > MAX_DATA_BYTES or not re.fullmatch(self.pattern(), data):
            raise ValueError(f"{data!r} is not a valid {type(self).__name__}")
        return data

    @classmethod
    def pattern(cls) -> str:
        """The regular expression the handler is registered with (named groups)."""
        return _pattern(cls)

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The pressed button, or None when the data is not one of these (stale or forged)."""
        if data is None:
            return None
        found = re.fullmatch(cls.pattern(), data)
        if found is None:
            return None
        values: dict[str, object] = {}
        for name, kind in _field_types(cls):
            raw = found.group(name)
            values[name] = None if raw is None else _convert(kind, raw)
        return cls(**values)


def _field_types(cls: type[Callback]) -> list[tuple[str, object]]:
    hints = typing.get_type_hints(cls)
    return [(f.name, hints[f.name]) for f in fields(cls)]  # type: ignore[arg-type]


def _optional(kind: object) -> object | None:
    """`X` when `kind` is `X | None`."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(kind)) == 2:
            inner: object = args[0]
            return inner
    return None


def _regex(kind: object) -> str:
    if kind is int:
        return _INT
    if kind is str:
        return _CODE
    if typing.get_origin(kind) is typing.Literal:
        return "|".join(re.escape(str(v)) for v in typing.get_args(kind))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "|".join(re.escape(str(m.value)) for m in kind)
    raise TypeError(f"a button field cannot be {kind!r}")


def _convert(kind: object, raw: str) -> object:
    inner = _optional(kind)
    if inner is not None:
        kind = inner
    if kind is int:
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(raw)
    return raw


_PATTERNS: dict[type[Callback], str] = {}


def _pattern(cls: type[Callback]) -> str:
    if cls in _PATTERNS:
        return _PATTERNS[cls]
    regex = "^" + re.escape(cls.prefix)
    declared = _field_types(cls)
    for position, (name, kind) in enumerate(declared):
        inner = _optional(kind)
        if inner is not None:
            if position != len(declared) - 1:
                raise TypeError(f"{cls.__name__}.{name}: only the last field may be optional")
            regex += f"(?::(?P<{name}>{_regex(inner)}))?"
        else:
            regex += f":(?P<{name}>{_regex(kind)})"
    _PATTERNS[cls] = regex + "$"
    return _PATTERNS[cls]
