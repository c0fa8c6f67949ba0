"""Where things stand in a typed phrase: tokens, separators, prepositions, word forms.

Used by `core.taxonomy` to read what someone asks for: which words say what the thing is, which
say what it is *for*, where a sentence lists several things, and whether two spellings are
forms of one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import normalise
from core.words import STOP_WORDS, stem, word_set

# Where a sentence lists several things: « un logo et un site internet », "laptops, a van",
# « formation excel + un ordi ». « ou » / "or" too: alternatives are each worth keeping.
SEPARATOR = re.compile(r"\s*(?:[,;+&/\n]|\bet\b|\band\b|\bainsi que\b|\bou\b|\bor\b)\s*", re.I)
WORD = re.compile(r"\w+")
# Words after which the rest of a phrase says what the thing is *for*, not what it is:
# « une base de données pour nos bénévoles », "laptops for our training centre".
PURPOSE_WORDS = word_set(
    "pour afin destine destines destinee destinees aupres for to towards so whom"
)
# Words that say how something is given, not what: a segment of only these (« gratuitement »,
# "pro bono", "free of charge") is not a thing of its own, it belongs to the one before.
MANNER_WORDS = word_set(
    "pro bono gratuit gratuits gratuite gratuites gratuitement gracieusement benevolement"
    " benevole free charge volunteer basis cost costs no"
)
# English prepositions end a noun phrase: its head is the last noun before them.
PREPOSITIONS = word_set("of for to with on about in from at by")
# French prepositions open a complement: « traduction de notre site », « accès à un public ».
COMPLEMENTS = word_set("de d du des a au aux en sur avec chez par dans")
# Function words that tell the languages apart (the reader of a French phrase looks at its
# first noun, of an English one at the last noun of a compound: « logiciel de compta »,
# "accounting software").
ENGLISH_HINTS = word_set("the an and for our we of with to some need needs looking help")
FRENCH_HINTS = word_set("le la les un une des de du d l et pour notre nos avec besoin au aux en")


@dataclass(frozen=True, slots=True)
class Part:
    """One thing a sentence asks for: the person's words for it and the likely categories.

    `candidates` are category ids, most likely first, with their scores. `sure` means the bot
    may file it under the first one without asking.
    """

    words: str
    candidates: tuple[tuple[str, float], ...]
    sure: bool

    @property
    def category(self) -> str | None:
        return self.candidates[0][0] if self.candidates else None

    def same_thing(self, other: Part) -> bool:
        """Two segments name the same thing: the same best category, or one is unsure and the
        other's (sure) category is among its candidates (« imprimerie : flyers et affiches »)."""
        if self.category == other.category:
            return True
        mine = {c for c, _ in self.candidates}
        theirs = {c for c, _ in other.candidates}
        return (not self.sure and other.category in mine) or (
            not other.sure and self.category in theirs
        )


@dataclass(frozen=True, slots=True)
class Reading:
    """What the bot reads in a typed message: one part per thing asked for."""

    text: str
    parts: tuple[Part, ...]

    @property
    def sure(self) -> bool:
        """One thing, clearly in one category: filed without a question."""
        return len(self.parts) == 1 and self.parts[0].sure


@dataclass(slots=True)
class Token:
    norm: str
    raw: str
    start: int
    end: int


# Everyday words that are not typos of the taxonomy's words, however close they look.
COMMON = word_set(
    "salarie salaries salariee salariees enfants jeunesse personnes famille quartier ville"
    " village maison samedi dimanche soiree semaine annee mois matin projet projets equipe"
    " equipes membres adherents public publics besoin besoins service services"
)


def stems_of(term: str) -> tuple[str, ...]:
    """A term's content stems in order (stop words dropped), as a phrase is read."""
    return tuple(stem(t.norm) for t in tokenise(term) if is_content(t.norm, t.raw))


def is_content(norm: str, raw: str) -> bool:
    """A word that says something: not a stop word, unless written as an acronym (« CA »,
    "IT": « ça », "it")."""
    if len(norm) < 2:
        return False
    return norm not in STOP_WORDS or (raw.isupper() and len(raw) <= 4)


def inflected(typed: str, written: str) -> bool:
    """The same word, give or take a plural or feminine ending (« bureaux », « bureau »; not
    « donne », « données »)."""
    return typed == written or _base(typed) == _base(written)


def _base(word: str) -> str:
    for ending in ("es", "s", "x", "e"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


def alike(typed: str, written: str) -> bool:
    """Two words with the same stem that are forms of one word, not a stemmer's accident
    (« ordinateurs » and « ordinateur », not « migrer » and « migrants », « don » and
    « données »): they start alike for six letters, or differ by a plural or feminine ending."""
    common = 0
    for a, b in zip(typed, written, strict=False):
        if a != b:
            break
        common += 1
    return common >= 6 or inflected(typed, written)


def tokenise(text: str) -> list[Token]:
    found: list[Token] = []
    for match in WORD.finditer(text):
        for norm in normalise(match.group()).split():
            found.append(Token(norm, match.group(), match.start(), match.end()))
    return found


def split_segments(
    text: str, tokens: list[Token], kept: list[tuple[int, int]]
) -> list[list[Token]]:
    """The tokens between separators (the separators' own words dropped), except separators
    inside the `kept` spans or between brackets: "skills-based volunteering (IT, finance)" is
    one thing."""
    kept = [*kept, *_bracketed(text)]
    cuts = [
        (m.start(), m.end())
        for m in SEPARATOR.finditer(text)
        if not any(start < m.start() and m.end() < end for start, end in kept)
    ]
    segments: list[list[Token]] = [[]]
    for token in tokens:
        inside = False
        while cuts and token.start >= cuts[0][0]:
            if token.start < cuts[0][1]:
                inside = True
                break
            cuts.pop(0)
            if segments[-1]:
                segments.append([])
        if inside:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(token)
    return [s for s in segments if s]


def _bracketed(text: str) -> list[tuple[int, int]]:
    """The spans between brackets, brackets included (an unclosed one runs to the end)."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    for at, char in enumerate(text):
        if char == "(":
            opened.append(at)
        elif char == ")" and opened:
            start = opened.pop()
            if not opened:
                spans.append((start, at + 1))
    if opened:
        spans.append((opened[0], len(text) + 1))
    return spans


def words_of(text: str, segments: list[list[Token]], members: list[int]) -> str:
    """The person's words for a group of segments, as typed: consecutive ones in one piece
    (with the bracket closing the last word, if any: "volunteering (IT, finance)")."""
    runs: list[list[int]] = []
    for index in sorted(members):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    pieces = []
    for run in runs:
        start, end = segments[run[0]][0].start, segments[run[-1]][-1].end
        # Brackets opened in the piece close it: "(IT, finance" reads "(IT, finance)".
        while (
            text[start:end].count("(") > text[start:end].count(")")
            and text[end:].lstrip()[:1] == ")"
        ):
            end = text.index(")", end) + 1
        pieces.append(text[start:end])
    return " … ".join(pieces)
