"""People's own words, made comparable: tokens, stop words, stems.

Needs and offers are typed in French or English (often both in one profile, often without
accents). To compare them, a text becomes a sequence of *stems*: normalised (lower case, no
accents, no punctuation), without stop words, each word reduced by the Snowball stemmers
(PyStemmer) of both languages in turn, so that « ordinateurs » and « ordinateur », "laptops"
and "laptop", « bénévoles » and « benevole » meet. We do not know which language a phrase is
in, and need not: the same function is applied to both sides.

Pure and cached: the same phrase is stemmed once per process.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

import Stemmer

from core.text import normalise

_FRENCH = Stemmer.Stemmer("french")
_ENGLISH = Stemmer.Stemmer("english")


# Function words of both languages, and the fillers people put around a need ("nous
# cherchons", "we are looking for", "besoin de"): they say nothing about what is exchanged.
def word_set(words: str) -> frozenset[str]:
    """A set of words written as one string (long lists read better that way)."""
    return frozenset(words.split())


STOP_WORDS = word_set(
    """
    a à au aux avec ce ces cet cette ci d dans de des du elle en et eux il ils je l la le les
    leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous on ou où par pas peu
    plus pour qu que qui s sa se ses si son sur ta te tes toi ton tu un une vos votre vous y
    tres tout toute toutes tous bien aussi encore etc ca cela ceci comme chez sans sous vers
    est sont sera etre avoir avons ont ai as aurions aimerions voudrions souhaitons
    besoin besoins cherche cherchons recherche recherchons recherchez souhaite souhaiterions
    propose proposons proposer offre offrons offrir pouvons peut peux faire fait quelqu
    quelque quelques un peu asso association associations entreprise societe structure
    the an and or of to in on at by for from with without into our ours we us you your
    their them they it its this that these those is are be been being was were have has had
    do does did can could would should will shall may might some any all more most much
    very also just need needs needed needing looking look seek seeking want wants would like
    offer offers offering provide providing propose please help ie eg etc non profit nonprofit
    charity company
    """
)


# Words that say how help is given, not what: they are no evidence that two needs meet
# (« conseil juridique » and « conseil en communication » share nothing).
GENERIC = word_set(
    """
    conseil conseils aide aides aider soutien appui accompagnement accompagner expertise
    gestion service services don dons pret mise disposition nouveau nouvelle nouveaux besoin
    advice help support assistance expert expertise service services new management donation
    """
)


def _stem(word: str) -> str:
    return str(_FRENCH.stemWord(_ENGLISH.stemWord(word)))


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """One normalised word's stem, the same whichever language it is in."""
    return _stem(word)


@lru_cache(maxsize=131072)
def _normalised(word: str) -> str:
    return normalise(word)


def tokens(text: str) -> list[str]:
    """The normalised words of a text, stop words included (positions matter to the reader)."""
    return normalise(text).split()


def _telling(word: str) -> bool:
    return len(word) > 2 and not word.isdigit() and word not in STOP_WORDS and word not in GENERIC


@lru_cache(maxsize=65536)
def stems(text: str) -> tuple[str, ...]:
    """The distinct stems of the words of a text that tell what it is about, in order."""
    seen: dict[str, None] = {}
    for word in tokens(text):
        if _telling(word):
            seen.setdefault(stem(word), None)
    return tuple(seen)


_PUNCTUATION = ".,;:!?()«»\"'"


def _typed(raw: str) -> str:
    return raw.strip(_PUNCTUATION)


def _accented(word: str) -> bool:
    """The word as typed carries accents (« journée », not « journee »)."""
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", word))


def _display(raw: str, theirs: str) -> str:
    """`raw` as the reader typed it, or the other side's spelling of the same word when the
    reader left out its accents: « journee » reads « journée » if they typed it so."""
    word = _typed(raw)
    if _accented(word):
        return word
    key = _normalised(word)
    keys = {stem(part) for part in key.split()}
    same_stem = None
    for other in map(_typed, theirs.split()):
        if not _accented(other):
            continue
        if _normalised(other) == key:
            return other
        if same_stem is None and {stem(part) for part in _normalised(other).split()} == keys:
            same_stem = other
    return same_stem or word


@lru_cache(maxsize=65536)
def shared_words(mine: str, theirs: str) -> tuple[str, ...]:
    """The words of `mine`, in order, whose stems also appear in `theirs`, each shown as one
    side typed it (accents kept: the reader's spelling, or theirs when the reader's has none).
    Words are compared by their keys (normalised, stemmed), never shown as keys."""
    other = set(stems(theirs))
    if not other:
        return ()
    found: dict[str, None] = {}
    for raw in mine.split():
        if any(_telling(part) and stem(part) in other for part in _normalised(raw).split()):
            found.setdefault(_display(raw, theirs), None)
    return tuple(w for w in found if w)


def cosine(
    a: tuple[str, ...], b: tuple[str, ...], idf: Callable[[str], float] | None = None
) -> float:
    """TF-IDF cosine of two sets of stems (each counts once, weighted by `idf`, 1 without)."""
    if not a or not b:
        return 0.0
    weight = idf or (lambda _: 1.0)
    shared = sum(weight(s) ** 2 for s in set(a) & set(b))
    if not shared:
        return 0.0
    norm_a = sum(weight(s) ** 2 for s in a) ** 0.5
    norm_b = sum(weight(s) ** 2 for s in b) ** 0.5
    return float(shared / (norm_a * norm_b))
