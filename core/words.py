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


def _stem(word: str) -> str:
    return str(_FRENCH.stemWord(_ENGLISH.stemWord(word)))


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """One normalised word's stem, the same whichever language it is in."""
    return _stem(word)


def tokens(text: str) -> list[str]:
    """The normalised words of a text, stop words included (positions matter to the reader)."""
    return normalise(text).split()


@lru_cache(maxsize=65536)
def stems(text: str) -> tuple[str, ...]:
    """The distinct stems of a text's content words, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in tokens(text):
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        seen.setdefault(stem(word), None)
    return tuple(seen)


def shared_words(mine: str, theirs: str) -> tuple[str, ...]:
    """The words of `mine` (as typed, in order) whose stems also appear in `theirs`."""
    other = set(stems(theirs))
    found: dict[str, None] = {}
    for raw in mine.split():
        word = normalise(raw)
        for part in word.split():
            if part not in STOP_WORDS and len(part) >= 2 and stem(part) in other:
                found.setdefault(raw.strip(".,;:!?()«»\"'"), None)
                break
    return tuple(w for w in found if w)


def cosine(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Cosine of two sets of stems (each stem counts once): 1 when they are the same."""
    if not a or not b:
        return 0.0
    shared = len(set(a) & set(b))
    return float(shared / (len(a) * len(b)) ** 0.5)
