"""Reading what people type: the things a phrase asks for and their likely categories.

The categories and their words are data (`core.vocabulary`); where words stand in a phrase is
`core.phrases`. `Taxonomy.read` finds the terms of a typed phrase (stemmed, accent-folded, typos
read as the known word they are close to), weighs them by where they stand (the head of the
phrase decides; what the thing is *for* counts less), splits sentences that ask for several
things, and says whether the best category is clearly ahead (`sure`) or the bot should ask.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from rapidfuzz import fuzz, process

from core import learned
from core.learned import Evidence, Example, Gate
from core.phrases import (
    COMMON,
    COMPLEMENTS,
    ENGLISH_HINTS,
    FRENCH_HINTS,
    MANNER_WORDS,
    PREPOSITIONS,
    PURPOSE_WORDS,
    Part,
    Reading,
    Token,
    alike,
    inflected,
    is_content,
    split_segments,
    stems_of,
    tokenise,
    words_of,
)
from core.text import normalise
from core.vocabulary import CATEGORIES, FAMILIES, IN_PERSON, Category, Family
from core.words import STOP_WORDS, stem

__all__ = [
    "CATEGORIES",
    "FAMILIES",
    "IN_PERSON",
    "TAXONOMY",
    "Category",
    "Family",
    "Part",
    "Reading",
    "Taxonomy",
    "stems_of",
]


# How a term counts: the head of the phrase fully, another word of it less, a word of its
# purpose least; a word in a complement (after « de », "of") half; a weak term a third; a word
# that only shares the term's stem, or is read through a typo, a little less. A *generic* term
# (« stratégie », « bilan », "awareness") gives way to any other: « bilan environnemental ».
HEAD, OTHER, COMPLEMENT, PURPOSE = 1.0, 0.7, 0.5, 0.4
WEAK, STEM_ONLY, TYPO = 0.35, 0.9, 0.8
# Sure enough to file without asking: a strong term as written (not only its stem, not read
# through a typo: then « Vous voulez dire… ? » is the natural question) at the head of the
# phrase or with others, and this far ahead of the next category.
SURE = 0.95
MARGIN = 1.5
# Categories shown as "did you mean…?": at most this many, at least this share of the best.
SUGGESTIONS = 3
SUGGEST_SHARE = 0.3
# A typo is read as the nearest known word (same first letter) at or above this rapidfuzz ratio.
TYPO_RATIO, LONG_TYPO_RATIO = 85.0, 80.0  # a long word has room for a longer typo
# A typo this clear (a letter off in a word this long, nothing else as close) is read as the
# word itself, and may be filed without asking.
CLEAR_TYPO_LENGTH, CLEAR_TYPO_RATIO = 6, 90.0


@dataclass(frozen=True, slots=True)
class _Term:
    category: str
    stems: tuple[str, ...]
    words: tuple[str, ...]  # normalised, as written
    weak: bool
    generic: bool
    lang: str  # "fr", "en" or "" when the word is the same in both


@dataclass(frozen=True, slots=True)
class _Word:
    """A content word of a phrase, and where it stands."""

    norm: str
    stem: str
    typo: bool  # read as the known word it is close to
    purpose: bool  # after « pour », "for": what the thing is for
    phrase: int  # how many prepositions come before it
    start: int  # where it is in the text
    end: int


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    length: int
    term: _Term
    exact: bool  # the words as the term writes them, not only the same stems


class Taxonomy:
    """Look-ups over the categories, built once."""

    def __init__(
        self,
        families: tuple[Family, ...] = FAMILIES,
        categories: tuple[Category, ...] = CATEGORIES,
        *,
        trained_on: tuple[Example, ...] | None = None,  # None: core/data/examples.toml
        gate: Gate | None = None,  # None: core/data/gate.toml
        learner: learned.Learner = learned.train,
    ) -> None:
        self.families, self.categories = families, categories
        self._trained_on, self._learner, self._gate = trained_on, learner, gate
        self._by_id = {c.id: c for c in categories}
        self._families_by_id = {f.id: f for f in families}

    @property
    def gate(self) -> Gate:
        return self._gate or learned.gate()

    def category(self, category_id: str) -> Category:
        return self._by_id[category_id]

    def family(self, family_id: str) -> Family:
        return self._families_by_id[family_id]

    def has_category(self, category_id: str) -> bool:
        return category_id in self._by_id

    def has_family(self, family_id: str) -> bool:
        return family_id in self._families_by_id

    def in_family(self, family_id: str) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.family == family_id)

    @cached_property
    def _vocabulary(self) -> dict[tuple[str, ...], list[_Term]]:
        """Terms by their first stem."""
        by_first: dict[tuple[str, ...], list[_Term]] = {}
        for cat in self.categories:
            fr = dict.fromkeys((cat.fr, *cat.fr_terms))  # in order: the same reading every run
            en = dict.fromkeys((cat.en, *cat.en_terms))
            plain_fr = {t.lstrip("~*").casefold() for t in fr}
            plain_en = {t.lstrip("~*").casefold() for t in en}
            for term, lang in [*((t, "fr") for t in fr), *((t, "en") for t in en)]:
                weak = term.startswith("~")
                generic = term.startswith("*")
                plain = term.lstrip("~*")
                both = plain.casefold() in plain_fr and plain.casefold() in plain_en
                key = stems_of(plain)
                written = tuple(t.norm for t in tokenise(plain) if is_content(t.norm, t.raw))
                if key:
                    entry = _Term(cat.id, key, written, weak, generic, "" if both else lang)
                    by_first.setdefault(key[:1], []).append(entry)
        return by_first

    @cached_property
    def _known_words(self) -> tuple[frozenset[str], list[str]]:
        """Stems the terms are made of, and the terms' words as typed (to correct typos)."""
        by_first = self._vocabulary
        known = frozenset(s for terms in by_first.values() for t in terms for s in t.stems)
        words = sorted(
            {
                w
                for cat in self.categories
                for t in (cat.fr, cat.en, *cat.synonyms)
                for w in normalise(t).split()
                if len(w) >= 4 and w not in STOP_WORDS
            }
        )
        return known, words

    def _correct(self, word: str) -> tuple[str, str, bool]:
        """A word as read (its form and stem), through a typo when it is close to a known word
        ("grafisme"); the typo is *doubtful* unless one letter or so is off in a long word,
        with no other known word nearly as close (« comtabilité », « formaton »): that one is
        read as the word itself."""
        stemmed = stem(word)
        known, words = self._known_words
        if stemmed in known or len(word) < 5 or word in COMMON:
            return word, stemmed, False
        cutoff = TYPO_RATIO if len(word) < 7 else LONG_TYPO_RATIO
        found = process.extract(word, words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=2)
        if not found or found[0][0][0] != word[0]:
            return word, stemmed, False
        best, score = found[0][0], found[0][1]
        runner_up = found[1][1] if len(found) > 1 and stem(found[1][0]) != stem(best) else 0.0
        if len(word) >= CLEAR_TYPO_LENGTH and score >= CLEAR_TYPO_RATIO and runner_up < score - 5:
            return best, stem(best), False
        return word, stem(best), True

    def _scores(self, tokens: list[Token]) -> dict[str, float]:
        """Each category's evidence in a run of tokens (one segment of a sentence); negative
        when it rests on weak terms only."""
        words = self._words(tokens)
        english = sum(t.norm in ENGLISH_HINTS for t in tokens)
        french = sum(t.norm in FRENCH_HINTS for t in tokens)
        hits = self._hits(words)
        english += sum(h.term.lang == "en" for h in hits)
        french += sum(h.term.lang == "fr" for h in hits)
        # The head: the first term in French (« logiciel de compta »); in English, the last
        # term of the first phrase before a preposition ("accounting software", "translation
        # of our brochure").
        # What a phrase is *for* counts less, unless nothing before says what it is (« besoin
        # d'aide pour notre base de données »).
        if not any(not words[h.start].purpose for h in hits):
            words = [replace(w, purpose=False) for w in words]
        specific = [h for h in hits if not h.term.generic]
        strong = [h for h in specific if not h.term.weak]
        heads = next(
            (found for group in (strong, specific, hits) if (found := _outside(group, words))),
            [],
        )
        head_at: int | None = None
        first = min((words[h.start].phrase for h in heads), default=0)
        if heads and english > french:
            head_at = max(h.start for h in heads if words[h.start].phrase == first)
        elif heads:
            head_at = min(h.start for h in heads)
        evidence: dict[str, list[float]] = {}
        for hit in hits:
            word = words[hit.start]
            if word.purpose:
                weight = PURPOSE
            elif hit.start == head_at:
                weight = HEAD
            elif word.phrase != first or (hit.term.generic and specific):
                weight = COMPLEMENT
            else:
                weight = OTHER
            weight *= WEAK if hit.term.weak else 1.0
            weight *= 1.0 if hit.exact else STEM_ONLY
            weight *= TYPO if any(w.typo for w in words[hit.start : hit.start + hit.length]) else 1
            evidence.setdefault(hit.term.category, []).append(-weight if hit.term.weak else weight)
        scores: dict[str, float] = {}
        for category, weights in evidence.items():
            values = sorted((abs(w) for w in weights), reverse=True)
            # Several words for the same thing reinforce it, a little.
            score = values[0] + 0.2 * sum(values[1:])
            scores[category] = score if any(w > 0 for w in weights) else -score
        return scores

    def _words(self, tokens: list[Token]) -> list[_Word]:
        """The content words of a run of tokens, with where each stands."""
        words: list[_Word] = []
        purpose = False
        phrase = 0
        for token in tokens:
            if token.norm in PURPOSE_WORDS and words:
                purpose = True
            if (token.norm in PREPOSITIONS or token.norm in COMPLEMENTS) and words:
                phrase += 1
            if not is_content(token.norm, token.raw):
                continue
            form, stemmed, typo = self._correct(token.norm)
            words.append(_Word(form, stemmed, typo, purpose, phrase, token.start, token.end))
        return words

    def _hits(self, words: list[_Word]) -> list[_Hit]:
        """The terms found in a run of words. A longer term hides the shorter ones inside it
        (« conseil juridique » over « conseil »); at the same place, the word as written hides
        one that only shares its stem (« imprimante » is a printer, not « imprimer »)."""
        stems = [w.stem for w in words]
        found: list[_Hit] = []
        for i, word in enumerate(words):
            for term in self._vocabulary.get((word.stem,), ()):
                n = len(term.stems)
                if tuple(stems[i : i + n]) == term.stems:
                    typed = tuple(w.norm for w in words[i : i + n])
                    exact = all(map(inflected, typed, term.words))
                    close = zip(words[i : i + n], term.words, strict=True)
                    if exact or all(w.typo or alike(w.norm, t) for w, t in close):
                        found.append(_Hit(i, n, term, exact))
        found.sort(key=lambda h: (-h.length, h.start, not h.exact))
        covered: set[int] = set()
        kept: list[_Hit] = []
        for hit in found:
            span = set(range(hit.start, hit.start + hit.length))
            same = [k for k in kept if (k.start, k.length) == (hit.start, hit.length)]
            if span & covered and not same:
                continue
            if same and (any(k.exact for k in same) and not hit.exact):
                continue
            if any(k.term.category == hit.term.category for k in same):
                continue
            covered |= span
            kept.append(hit)
        return kept

    trained = property(lambda self: "_model" in self.__dict__)  # the learned reader is ready

    def use(self, reader: learned.Reader) -> None:
        """Read with this learned reader (the bot trains it in a thread, or reads it back)."""
        self.__dict__["_model"] = reader

    @cached_property
    def _model(self) -> learned.Reader:
        """The learned reader, trained on people's labelled phrases and the terms themselves."""
        return self._learner(self.documents())

    def documents(self) -> list[learned.Document]:
        """What the learned reader trains on: people's labelled phrases and the terms."""
        return learned.documents(self._trained_on or learned.examples(), self.categories)

    def recipe(self) -> str:
        """What its learned reader's training depends on (`learned.recipe`)."""
        return learned.recipe(self._trained_on or None, self.categories)

    def evidence(self, tokens: list[Token]) -> Evidence:
        """What the rules and the learned reader make of a phrase, before the gate."""
        scores = self._scores(tokens)
        posterior = self._model.posterior(" ".join(t.norm for t in tokens))
        ranked = sorted(scores.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
        best = abs(ranked[0][1]) if ranked else 0.0
        second = abs(ranked[1][1]) if len(ranked) > 1 else 0.0
        sure = bool(ranked) and ranked[0][1] >= SURE and best >= MARGIN * second
        return Evidence(ranked, sure, posterior)

    def _part(self, text: str, tokens: list[Token], found: Evidence | None = None) -> Part | None:
        order, sure = self.gate.decide(found or self.evidence(tokens))
        if not order:
            return None
        top = order[0][1]
        candidates = tuple((c, s) for c, s in order[:SUGGESTIONS] if s >= SUGGEST_SHARE * top)
        return Part(text, candidates, sure)

    def read(self, text: str) -> Reading:
        """What someone means by their own words: the things asked for, each with its likely
        categories and whether the best is clearly ahead. Nothing recognised: no parts."""
        cleaned = " ".join(text.split())
        tokens = tokenise(cleaned)
        if not tokens:
            return Reading(cleaned, ())
        whole = self._part(cleaned, tokens)
        # A term that holds a separator is not cut: « fruits et légumes », "lunch and learn".
        words = self._words(tokens)
        kept = [
            (words[h.start].start, words[h.start + h.length - 1].end)
            for h in self._hits(words)
            if h.length > 1
        ]
        segments = split_segments(cleaned, tokens, kept)
        if len(segments) > 1:
            parts = self._split(cleaned, segments)
            if len(parts) > 1:
                return Reading(cleaned, tuple(parts))
        return Reading(cleaned, (whole,) if whole is not None else ())

    def _split(self, text: str, segments: list[list[Token]]) -> list[Part]:
        """One part per segment that names a thing of its own; a segment naming nothing, or
        the same thing as another, joins it (« conseil juridique et RGPD » is one need)."""
        groups: list[tuple[list[int], Part]] = []
        loose: list[int] = []
        for index, segment in enumerate(segments):
            seen = self.evidence(segment)
            manner = all(t.norm in MANNER_WORDS or t.norm in STOP_WORDS for t in segment)
            part = self._part("", segment, seen) if seen.names_a_thing and not manner else None
            if part is None:
                # Words that name nothing belong with what comes before (or after).
                if groups:
                    groups[-1][0].append(index)
                else:
                    loose.append(index)
                continue
            for members, other in groups:
                if part.same_thing(other):
                    members.append(index)
                    break
            else:
                groups.append(([*loose, index], part))
                loose = []
        parts: list[Part] = []
        for members, _ in groups:
            tokens = [t for i in members for t in segments[i]]
            found = self._part(words_of(text, segments, members), tokens)
            if found is not None:
                parts.append(found)
        return parts

    def guess(self, text: str) -> str | None:
        """The category a user most likely means by their own words, or None if unsure."""
        reading = self.read(text)
        return reading.parts[0].category if reading.sure else None


def _outside(hits: list[_Hit], words: list[_Word]) -> list[_Hit]:
    """The hits before any word of purpose."""
    return [h for h in hits if not words[h.start].purpose]


TAXONOMY = Taxonomy()
