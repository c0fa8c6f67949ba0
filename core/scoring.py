"""How well one organisation answers another: item scores, reasons and the full explanation.

Two items match when they share a *concept* (the category picked, or the one their own words
point to), more when their own words agree; or through their words alone when those are close
enough. Among many organisations, a concept that many share (funding, volunteers) counts less
than a rare one, and two organisations that describe the same world fit better. `explain_pair`
scores a whole pair with every reason; `core.match_index` uses the same rules, vectorised, to
find the best candidates among many.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz

from core.geo import Place, distance_km, place_of
from core.models import Direction, Item, Organisation
from core.taxonomy import TAXONOMY
from core.text import normalise
from core.vocabulary import IN_PERSON
from core.words import cosine, shared_words, stems


@dataclass(frozen=True, slots=True)
class Weights:
    category: float = 1.0  # the same category picked on both sides
    guessed: float = 0.8  # a category read from the user's own words
    likely: float = 0.5  # the likeliest category of words kept alone (the bot had asked)
    detail: float = 0.5  # at most this much more when both sides' words are alike
    win_win: float = 1.5  # multiplier when each side answers a need of the other
    same_city: float = 0.5
    same_region: float = 0.12
    remote: float = 0.05
    recency: float = 0.1  # for a profile confirmed today, fading to 0 ...
    recency_days: float = 180.0  # ... over this many days
    # A concept that many organisations share tells less (funding, volunteers): it counts by
    # (its idf / the mean idf of the concepts) ** rarity, among the organisations matched.
    rarity: float = 0.5
    # Organisations that describe the same world (malvoyants, Belval, vélos) fit better: up to
    # this much more, by the TF-IDF cosine of their descriptions (each word weighed by how
    # few of the organisations' descriptions use it).
    described: float = 1.0
    # Both sides' own words (stemmed, stop words out): at most this much more per reason, by
    # their TF-IDF cosine; on their own (no category shared) from this cosine up.
    words: float = 0.6
    words_alone: float = 0.5
    # Help given in person (IN_PERSON) counts fully up to `near_km`, fading to `far` at
    # `far_km` and beyond; `unknown_place` when either place is unknown.
    near_km: float = 10.0
    far_km: float = 100.0
    far: float = 0.4
    unknown_place: float = 0.75


class Population(Protocol):
    """What the organisations being matched say about how telling a word or a concept is (the
    index, `core.match_index.MatchIndex`)."""

    def idf(self, word: str) -> float:
        """Rarer words (stems) count more."""

    def rarity(self, concept: str) -> float:
        """A concept's weight, under 1 when many organisations share it, over 1 when few do."""

    def described_idf(self, word: str) -> float:
        """Rarer words (stems) of the descriptions count more."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One item of the reader's answered by one item of the candidate's.

    `direction` is the reader's item's: NEED means "their offer answers your need".
    """

    direction: Direction
    mine: Item
    theirs: Item
    score: float
    words: tuple[str, ...] = ()  # the reader's words that the other side's words share


@dataclass(frozen=True, slots=True)
class Candidate:
    org_id: int
    score: float
    reasons: tuple[Reason, ...]
    win_win: bool
    same_city: bool
    same_region: bool
    distance_km: float | None = None
    in_person: bool = False  # a reason is help given in person: the distance matters


@lru_cache(maxsize=65536)
def _guess(detail: str) -> str | None:
    return TAXONOMY.guess(detail) if detail else None


@lru_cache(maxsize=65536)
def _normalised(text: str) -> str:
    return normalise(text)


# Words kept alone stand for this many of their likeliest categories: the first buttons of the
# question the person left unanswered (on the retired held-out sets' pairs: 62 → 64 of 66 in
# each other's top 3, recall@5 0.81 → 0.92 on v1, tuning set unchanged).
LIKELY = 2
# ... when the reader gives them at least this probability. "we can help out with stuff" reads
# as too vague (its buttons were legal, accounting, IT at 4% each): kept in words, it stands for
# nothing, where it used to answer someone's need for an accountant (seen in a sandbox session;
# the 162 tuning pairs are unchanged, 146 in each other's top 3; a floor of 0.2 would lose 7).
LIKELY_FLOOR = 0.1


@lru_cache(maxsize=65536)
def _likely(detail: str) -> tuple[str, ...]:
    reading = TAXONOMY.read(detail)
    if not reading.parts:
        return ()
    return tuple(c for c, p in reading.parts[0].candidates[:LIKELY] if p >= LIKELY_FLOOR)


def concepts(item: Item, weights: Weights = Weights()) -> dict[str, float]:
    """The concepts an item stands for, with how surely: its category, and its words' category."""
    # An item kept in words only stands for what its words most likely say (the bot was not
    # sure enough to file it), and matches by its words too. Words whose category is not sure,
    # filed by the person under a category their words make less likely (tapped, or moved in
    # /profile), also stand for the likelier ones: « des bureaux » filed as premises still says
    # desks (a sandbox session saw a match vanish after such a move). A category the words
    # make likeliest adds nothing: a near miss is not a match.
    found = {} if item.words_only else {item.category: weights.category}
    guessed = _guess(item.detail)
    if guessed is not None and guessed not in found:
        found[guessed] = weights.guessed
    elif guessed is None and item.detail:
        for likely in _likely(item.detail):
            if likely == item.category:
                break
            found.setdefault(likely, weights.likely)
    return found


def item_score(
    mine: Item,
    theirs: Item,
    weights: Weights = Weights(),
    population: Population | None = None,
) -> float:
    """How well two items meet: through a shared concept (the rarer, the more), more when their
    words agree; or through their words alone when those are close enough (a strong textual
    fit). Without a `population`, every concept and word counts the same."""
    a, b = concepts(mine, weights), concepts(theirs, weights)
    rarity = population.rarity if population is not None else (lambda _: 1.0)
    shared = max((a[c] * b[c] * rarity(c) for c in a.keys() & b.keys()), default=0.0)
    idf = population.idf if population is not None else None
    words = cosine(stems(mine.detail), stems(theirs.detail), idf) if mine.detail else 0.0
    if shared == 0.0:
        return weights.words * words if words >= weights.words_alone else 0.0
    if mine.detail and theirs.detail:
        alike = fuzz.token_set_ratio(_normalised(mine.detail), _normalised(theirs.detail)) / 100
        shared += weights.detail * alike
    return shared + weights.words * words


def in_person(item: Item) -> bool:
    """Help given in person (a team-building day, premises, a van): distance matters."""
    return bool(IN_PERSON & concepts(item).keys())


def proximity(km: float | None, weights: Weights = Weights()) -> float:
    """How much help given in person counts at this distance."""
    if km is None:
        return weights.unknown_place
    if km <= weights.near_km:
        return 1.0
    if km >= weights.far_km:
        return weights.far
    share = (km - weights.near_km) / (weights.far_km - weights.near_km)
    return 1.0 - share * (1.0 - weights.far)


def _context_factor(
    a: Place, b: Place, confirmed_at: datetime, now: datetime, weights: Weights
) -> tuple[float, bool, bool]:
    same_city = a.city is not None and a.city == b.city
    same_region = same_city or (a.region is not None and a.region == b.region)
    factor = 1.0
    if same_city:
        factor += weights.same_city
    elif same_region:
        factor += weights.same_region
    if a.remote or b.remote:
        factor += weights.remote
    age_days = max(0.0, (now - confirmed_at).total_seconds() / 86400)
    factor += weights.recency * max(0.0, 1 - age_days / weights.recency_days)
    return factor, same_city, same_region


def explain_pair(
    reader: Organisation,
    other: Organisation,
    now: datetime,
    weights: Weights = Weights(),
    population: Population | None = None,
) -> Candidate:
    """The full score of `other` for `reader`, with every reason, best first."""
    here, there = place_of(reader.location), place_of(other.location)
    km = distance_km(here, there)
    reasons: list[Reason] = []
    totals = {Direction.NEED: 0.0, Direction.OFFER: 0.0}
    face_to_face = False
    for direction, mine, theirs in (
        (Direction.NEED, reader.needs, other.offers),
        (Direction.OFFER, reader.offers, other.needs),
    ):
        for item in mine:
            best, partner, near = 0.0, None, False
            for candidate in theirs:
                score = item_score(item, candidate, weights, population)
                together = in_person(item) or in_person(candidate)
                if score and together:
                    score *= proximity(km, weights)
                if score > best:
                    best, partner, near = score, candidate, together
            if partner is not None:
                words = shared_words(item.detail, partner.detail) if partner.detail else ()
                reasons.append(Reason(direction, item, partner, best, words))
                totals[direction] += best
                face_to_face = face_to_face or near
    win_win = totals[Direction.NEED] > 0 and totals[Direction.OFFER] > 0
    base = (totals[Direction.NEED] + totals[Direction.OFFER]) * (weights.win_win if win_win else 1)
    factor, same_city, same_region = _context_factor(here, there, other.confirmed_at, now, weights)
    if base and reader.description and other.description:
        told = population.described_idf if population is not None else None
        alike = cosine(stems(reader.description), stems(other.description), told)
        factor *= 1 + weights.described * alike
    reasons.sort(key=lambda r: -r.score)
    return Candidate(
        other.id,
        base * factor,
        tuple(reasons),
        win_win,
        same_city,
        same_region,
        distance_km=km,
        in_person=face_to_face,
    )
