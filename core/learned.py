"""A small learned reader: multinomial Naive Bayes over stems and character n-grams.

The rules of `core.taxonomy` know the words of the vocabulary; people also write with words it
does not know, or knows for another category. This model is trained on labelled examples typed
by people (`core/data/examples.toml`, see its header) and on the vocabulary's own terms, and
gives each category (and *vague*: too vague to file) a probability. The taxonomy uses it to
break ties, to ask rather than file when it strongly disagrees with the rules, and to propose
categories when the rules find nothing; never to file alone.

Features of a phrase: the stems of its content words (as the taxonomy reads them, typos
corrected) and the character 4-grams of each word (so « ordis », « ordinateur » and a typo
share evidence). Pure Python, trained once per process in about 0.15 s.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from core.words import stem

if TYPE_CHECKING:
    from core.vocabulary import Category

EXAMPLES_FILE = Path(__file__).with_name("data") / "examples.toml"
VAGUE = "vague"  # the class of phrases too vague to file
GRAM = 5
GRAM_WEIGHT = 0.5  # a word's n-grams together weigh half a stem
ALPHA = 0.1  # additive smoothing


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    categories: tuple[str, ...]  # () when too vague to file


def features(words: Sequence[str]) -> dict[str, float]:
    """A phrase's features from its normalised content words."""
    found: dict[str, float] = {}
    for word in words:
        found["s:" + stem(word)] = found.get("s:" + stem(word), 0.0) + 1.0
        padded = f"<{word}>"
        grams = [padded[i : i + GRAM] for i in range(max(1, len(padded) - GRAM + 1))]
        for gram in grams:
            found["g:" + gram] = found.get("g:" + gram, 0.0) + GRAM_WEIGHT * 4 / max(4, len(grams))
    return found


Document = tuple[dict[str, float], tuple[str, ...]]  # a phrase's features and its labels


class Reader(Protocol):
    def posterior(self, found: dict[str, float]) -> list[tuple[str, float]]:
        """Each label's probability, most likely first; [] when too little is known."""


Learner = Callable[[list[Document]], Reader]  # NaiveBayes, or core.softmax.train


class NaiveBayes:
    def __init__(self, documents: Iterable[tuple[dict[str, float], tuple[str, ...]]]) -> None:
        counts: dict[str, dict[str, float]] = {}
        docs: dict[str, float] = {}
        for found, categories in documents:
            labels = categories or (VAGUE,)
            share = 1.0 / len(labels)
            for label in labels:
                docs[label] = docs.get(label, 0.0) + share
                bucket = counts.setdefault(label, {})
                for feature, n in found.items():
                    bucket[feature] = bucket.get(feature, 0.0) + n * share
        vocabulary = {f for c in counts.values() for f in c}
        total_docs = sum(docs.values())
        self._prior = {c: math.log(n / total_docs) for c, n in docs.items()}
        self._log: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        for label, bucket in counts.items():
            denominator = sum(bucket.values()) + ALPHA * len(vocabulary)
            self._log[label] = {f: math.log((n + ALPHA) / denominator) for f, n in bucket.items()}
            self._unseen[label] = math.log(ALPHA / denominator)
        self._known = frozenset(vocabulary)

    def posterior(self, found: dict[str, float]) -> list[tuple[str, float]]:
        """Each label's probability, most likely first; [] when no feature is known."""
        known = {f: n for f, n in found.items() if f in self._known}
        if not any(f.startswith("s:") for f in known) and len(known) < 3:
            return []
        scores = {
            label: prior
            + sum(n * self._log[label].get(f, self._unseen[label]) for f, n in known.items())
            for label, prior in self._prior.items()
        }
        top = max(scores.values())
        weights = {label: math.exp(s - top) for label, s in scores.items()}
        total = sum(weights.values())
        return sorted(((c, w / total) for c, w in weights.items()), key=lambda kv: -kv[1])


def load_examples(path: Path = EXAMPLES_FILE) -> tuple[Example, ...]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    return tuple(Example(raw["text"], tuple(raw["cats"])) for raw in data["examples"])


@cache
def examples() -> tuple[Example, ...]:
    return load_examples()


def documents(
    read: Callable[[str], dict[str, float]],
    trained_on: Iterable[Example],
    categories: Iterable[Category],
) -> list[Document]:
    """Training documents: people's labelled phrases and the vocabulary's own terms."""
    found = [(read(e.text), e.categories) for e in trained_on]
    return found + [
        (read(term.lstrip("~*")), (cat.id,))
        for cat in categories
        for term in (cat.fr, cat.en, *cat.fr_terms, *cat.en_terms)
    ]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How the model's word weighs against the rules' (`blend`); chosen by k-fold
    cross-validation over the training material (`tests/heldout/crossval.py`)."""

    doubt: float = 0.05  # the rules' sure category, below this while another leads: ask
    confirm: float = 0.3  # the rules' unsure first category, this likely: file it
    propose: float = 0.35  # nothing found by the rules: the model's categories this likely shown
    alone: float = 2.0  # nothing sure from the rules: the model's first this likely is filed
    ahead: float = 1.0  # rules and model together this far ahead of the next category
    vague: float = 0.3  # this likely too vague: ask, whatever the rules say
    model_weight: float = 1.0  # in the order of the buttons: a certain model is the rules' best


THRESHOLDS = Thresholds()


def blend(
    ranked: Sequence[tuple[str, float]],
    sure: bool,
    posterior: Sequence[tuple[str, float]],
    limits: Thresholds = THRESHOLDS,
) -> tuple[list[tuple[str, float]], bool]:
    """The rules' categories (`ranked`, best first, a negative score resting on weak terms
    only) and whether to file, weighed with the model's `posterior`: the categories to show,
    best first, and whether to file the first without asking."""
    chances = dict(posterior)
    leader, certainty = posterior[0] if posterior else (VAGUE, 0.0)
    vague = chances.get(VAGUE, 0.0) >= limits.vague
    if not ranked:  # the model alone
        if not posterior or certainty < limits.propose:
            return [], False
        shown = [(c, round(p, 3)) for c, p in posterior if c != VAGUE and p >= limits.propose]
        alone = bool(shown) and leader != VAGUE and certainty >= limits.alone and not vague
        return shown, alone
    best = abs(ranked[0][1])
    mine = chances.get(ranked[0][0], 0.0)
    if posterior and sure and leader != ranked[0][0] and mine < limits.doubt:
        sure = False
    mixed = {c: abs(s) / best for c, s in ranked}
    for category, chance in posterior:
        if category != VAGUE:
            mixed[category] = mixed.get(category, 0.0) + limits.model_weight * chance
    order = sorted(mixed.items(), key=lambda kv: (-kv[1], kv[0]))
    if posterior and not sure:
        runner_up = order[1][1] if len(order) > 1 else 0.0
        if (
            leader == ranked[0][0] == order[0][0]
            and ranked[0][1] > 0
            and (len(ranked) == 1 or abs(ranked[1][1]) < best)  # the rules are not torn
            and mine >= limits.confirm
            and order[0][1] >= limits.ahead * runner_up
        ):
            sure = True
        elif leader != VAGUE and certainty >= limits.alone:  # the model is sure enough alone
            order.sort(key=lambda kv: kv[0] != leader)
            return [(c, round(s, 3)) for c, s in order], not vague
    if vague:
        sure = False
    if sure:  # the rules' category stays first
        order.sort(key=lambda kv: kv[0] != ranked[0][0])
    return [(c, round(s, 3)) for c, s in order], sure
