"""The buttons of the registration's questions (core/buttons.py: the data formats of buttons
already sent are kept)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.buttons import Callback
from core.models import OrgKind


@dataclass(frozen=True, slots=True)
class Lang(Callback, prefix="r:lang"):
    code: str


@dataclass(frozen=True, slots=True)
class Kind(Callback, prefix="r:kind"):
    kind: OrgKind


@dataclass(frozen=True, slots=True)
class Remote(Callback, prefix="r:remote"):
    pass


@dataclass(frozen=True, slots=True)
class Family(Callback, prefix="r:fam"):
    family: str


@dataclass(frozen=True, slots=True)
class Families(Callback, prefix="r:fams"):
    pass


@dataclass(frozen=True, slots=True)
class Tick(Callback, prefix="r:tog"):
    category: str
    about: int | None = None  # the question whose words it files (`Pending.number`), if any


@dataclass(frozen=True, slots=True)
class Done(Callback, prefix="r:done"):
    pass


@dataclass(frozen=True, slots=True)
class WordsOnly(Callback, prefix="r:words"):
    about: int | None = None  # the question (`Pending.number`) it answers


@dataclass(frozen=True, slots=True)
class DropWords(Callback, prefix="r:drop"):
    index: int
    words: str | None = None  # a digest of the words it removes (registration_questions)


@dataclass(frozen=True, slots=True)
class FileWords(Callback, prefix="r:file"):
    """🏷️ beside words kept alone: the category ticked next receives them."""

    index: int
    words: str  # a digest of the words (as on ✖️)


@dataclass(frozen=True, slots=True)
class Guess(Callback, prefix="r:as"):
    category: str
    about: int | None = None  # the question (`Pending.number`); None: « oui » typed


@dataclass(frozen=True, slots=True)
class DropGuess(Callback, prefix="r:forget"):
    about: int | None = None


@dataclass(frozen=True, slots=True)
class OtherCategory(Callback, prefix="r:other"):
    about: int | None = None


@dataclass(frozen=True, slots=True)
class Skip(Callback, prefix="r:skip"):
    pass


@dataclass(frozen=True, slots=True)
class Back(Callback, prefix="r:back"):
    pass


@dataclass(frozen=True, slots=True)
class Trim(Callback, prefix="r:trim"):
    pass


@dataclass(frozen=True, slots=True)
class Agree(Callback, prefix="r:agree"):
    pass


@dataclass(frozen=True, slots=True)
class EditField(Callback, prefix="r:edit"):
    field: str


@dataclass(frozen=True, slots=True)
class ProfileEdit(Callback, prefix="p:edit"):
    """/profile's ✏️ buttons (handlers.commands): they open the registration in edit mode."""

    field: str


@dataclass(frozen=True, slots=True)
class Confirm(Callback, prefix="r:confirm"):
    pass


@dataclass(frozen=True, slots=True)
class Discard(Callback, prefix="r:discard"):
    pass


@dataclass(frozen=True, slots=True)
class CancelAnswer(Callback, prefix="r:cancel"):
    answer: Literal["yes", "no"]
