"""The buttons of matching: a match card's, an interest request's, and the hidden list's.

Declared once with the button codec (core/buttons.py); the data formats are those already sent
(cards in old messages keep working).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.buttons import Callback


@dataclass(frozen=True, slots=True)
class Interested(Callback, prefix="m:i"):
    """👍 Interested, on a match card."""

    org: int


@dataclass(frozen=True, slots=True)
class NotForUs(Callback, prefix="m:n"):
    """🙅 Not for us, on a match card: never suggested again."""

    org: int


@dataclass(frozen=True, slots=True)
class MoreMatches(Callback, prefix="m:more"):
    """Show more matches (older messages may carry a number, ignored)."""

    after: int | None = None


@dataclass(frozen=True, slots=True)
class Unhide(Callback, prefix="m:u"):
    """↩️ Undo a « not for us » / restore a hidden organisation."""

    org: int


@dataclass(frozen=True, slots=True)
class HiddenList(Callback, prefix="m:h"):
    """🙈 The organisations hidden by « not for us »."""


@dataclass(frozen=True, slots=True)
class RequestAnswer(Callback, prefix="q"):
    """Accept (a) or decline (d) an interest request."""

    answer: Literal["a", "d"]
    interest: int


@dataclass(frozen=True, slots=True)
class Restore(Callback, prefix="m:r"):
    """↩️ on one organisation of the hidden list: restore it, and show the list again."""

    org: int
