"""The learned reader, and the gate that decides whether to file without asking.

The rules of `core.taxonomy` know the words of the vocabulary; people also write with words it
does not know, or knows for another category. Two learned pieces help it:

- **the reader** (`TextReader`): a logistic regression (scikit-learn, trained by SGD) over the
  character n-grams of each word (so « ordis », « ordinateur » and a typo share evidence) and
  the words and word pairs of the phrase, TF-IDF weighted. It is trained on labelled examples
  typed by people (`core/data/examples.toml`, see its header) and on the vocabulary's own
  terms, and gives each category (and *vague*: too vague to file) a probability. Trained once
  per process, in a few seconds (or read back from a cache, see bot/warmup.py).
- **the gate** (`Gate`, `core/data/gate.toml`): the categories are ranked by the reader's
  probability plus the rules' share; the gate then weighs a few signals (how far the first is
  ahead, whether the rules and the reader agree, how vague the phrase reads…) into the chance
  that the first category is right, and files without asking only above its threshold. Its
  weights and threshold are learned by k-fold cross-validation over the training material
  (`tests/heldout/gate.py`): the threshold keeps silent misfilings under the issue's 2%.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from core import text as text_module
from core.text import normalise

if TYPE_CHECKING:
    from core.vocabulary import Category

DATA = Path(__file__).with_name("data")
EXAMPLES_FILE = DATA / "examples.toml"
GATE_FILE = DATA / "gate.toml"
VAGUE = "vague"  # the class of phrases too vague to file
PROPOSE = 0.2  # nothing found by the rules: the reader's categories this likely are shown
SEED = 20261124
READ_CACHE = 20_000  # phrases whose reading is kept


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    categories: tuple[str, ...]  # () when too vague to file


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the rules and the learned reader make of a phrase, before the gate."""

    ranked: list[tuple[str, float]]  # the rules' categories, best first (negative: weak terms)
    rules_sure: bool  # the rules alone would file the first
    posterior: list[tuple[str, float]]  # the learned reader's probabilities, best first

    @property
    def names_a_thing(self) -> bool:
        """The rules know a word of it, or the reader's likeliest reading is a category (not
        "too vague"): a segment of a sentence that names a thing of its own."""
        return bool(self.ranked) or (bool(self.posterior) and self.posterior[0][0] != VAGUE)


Document = tuple[str, tuple[str, ...]]  # a phrase (normalised) and its labels


class Reader(Protocol):
    def posterior(self, text: str) -> list[tuple[str, float]]:
        """Each label's probability, most likely first; [] when too little is known."""


Learner = Callable[[list[Document]], Reader]


CHAR_GRAMS, WORD_GRAMS = (2, 5), (1, 2)
WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def char_grams(text: str) -> list[str]:
    """scikit-learn's `char_wb` analyser: the n-grams of each word padded with spaces."""
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(CHAR_GRAMS[0], CHAR_GRAMS[1] + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a short word counts once
                break
    return grams


def word_grams(text: str) -> list[str]:
    """scikit-learn's `word` analyser: the words (two letters or more), then word pairs."""
    tokens = WORD_TOKEN.findall(text.lower())
    pairs = [" ".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)]
    return tokens + pairs if WORD_GRAMS == (1, 2) else tokens


@dataclass(frozen=True, slots=True)
class Compiled:
    """What reading needs of a trained reader, in plain data (no scikit-learn object): kept
    by the bot beside its database and read back at a restart, then read with numpy alone."""

    labels: tuple[str, ...]
    chars: dict[str, int]  # character n-gram → column
    words: dict[str, int]  # word or word pair → column, after the characters'
    idf: Any  # one per column
    weights: Any  # one row per column, one column per label
    intercept: Any  # one per label


def fit(documents: Iterable[Document]) -> tuple[Any, Any]:
    """scikit-learn's pipeline and model, trained (a few seconds)."""
    # Imported here: scikit-learn takes most of a second to import, paid where training runs.
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
    from sklearn.linear_model import SGDClassifier  # noqa: PLC0415
    from sklearn.pipeline import make_union  # noqa: PLC0415

    texts: list[str] = []
    labels: list[str] = []
    for text, categories in documents:
        for label in categories or (VAGUE,):
            texts.append(text)
            labels.append(label)
    pipeline = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_GRAMS, sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=WORD_GRAMS, sublinear_tf=True),
    )
    # One binary model per label, two at a time (the same weights as one at a time; training
    # on 27k phrases takes about 10 s instead of 15 on two cores).
    model = SGDClassifier(
        loss="log_loss", alpha=1e-5, max_iter=100, tol=1e-4, random_state=SEED, n_jobs=2
    )
    with warnings.catch_warnings():  # a few epochs more would not change the order
        warnings.simplefilter("ignore")
        model.fit(pipeline.fit_transform(texts), labels)
    return pipeline, model


def compiled(pipeline: Any, model: Any) -> Compiled:
    chars, words = (v for _, v in pipeline.transformer_list)
    return Compiled(
        labels=tuple(str(label) for label in model.classes_),
        chars={str(g): int(c) for g, c in chars.vocabulary_.items()},
        words={str(g): int(c) + len(chars.vocabulary_) for g, c in words.vocabulary_.items()},
        idf=np.concatenate([chars.idf_, words.idf_]),
        weights=np.ascontiguousarray(model.coef_.T),
        intercept=model.intercept_.copy(),
    )


def save_compiled(found: Compiled, path: Path) -> None:
    """Writes a compiled reader as plain arrays (numpy's .npz, no pickled object)."""
    with path.open("wb") as file:
        np.savez(
            file,
            labels=np.array(found.labels),
            chars=np.array(list(found.chars)),
            char_columns=np.fromiter(found.chars.values(), np.int64),
            words=np.array(list(found.words)),
            word_columns=np.fromiter(found.words.values(), np.int64),
            idf=found.idf,
            weights=found.weights,
            intercept=found.intercept,
        )


def load_compiled(path: Path) -> Compiled:
    with np.load(path, allow_pickle=False) as data:
        return Compiled(
            labels=tuple(str(label) for label in data["labels"]),
            chars=dict(zip(data["chars"].tolist(), data["char_columns"].tolist(), strict=True)),
            words=dict(zip(data["words"].tolist(), data["word_columns"].tolist(), strict=True)),
            idf=data["idf"],
            weights=np.ascontiguousarray(data["weights"]),
            intercept=data["intercept"],
        )


def compile_reader(documents: list[Document]) -> Compiled:
    """Trains and compiles a reader (what the bot runs in a thread at start-up)."""
    return compiled(*fit(documents))


def train(documents: list[Document]) -> TextReader:
    return TextReader(compile_reader(documents))


class TextReader:
    """Logistic regression over TF-IDF character n-grams (within words) and words.

    scikit-learn trains it (`fit`); a phrase is then read with the trained vocabulary, IDF and
    weights and the same arithmetic (`predict_proba` of a one-vs-rest logistic regression), in
    a tenth of a millisecond instead of the pipeline's three (tests/core/test_learned.py checks
    that both agree, analysers included).
    """

    def __init__(self, found: Compiled) -> None:
        self._labels = list(found.labels)
        self._blocks = ((char_grams, found.chars), (word_grams, found.words))
        self._idf, self._weights, self._intercept = found.idf, found.weights, found.intercept
        self._words = frozenset(w for w in found.words if " " not in w)
        self._read: dict[str, list[tuple[str, float]]] = {}  # a phrase is read several times

    def posterior(self, text: str) -> list[tuple[str, float]]:
        """Each label's probability, most likely first; [] when no word of it was ever seen
        and it is short (a typo of a known word is still read through its n-grams)."""
        if (found := self._read.get(text)) is None:
            found = self._posterior(text)
            if len(self._read) < READ_CACHE:
                self._read[text] = found
        return list(found)

    def _posterior(self, text: str) -> list[tuple[str, float]]:
        words = text.split()
        if not words or (not any(w in self._words for w in words) and len(text) < 4):
            return []
        scores = self._intercept.copy()
        for analyse, vocabulary in self._blocks:
            counts = Counter(g for g in analyse(text) if g in vocabulary)
            if not counts:
                continue
            columns = [vocabulary[g] for g in counts]
            values = (1.0 + np.log(np.fromiter(counts.values(), float))) * self._idf[columns]
            values /= np.linalg.norm(values)
            scores += values @ self._weights[columns]
        chances = 1.0 / (1.0 + np.exp(-scores))
        chances /= chances.sum()
        return sorted(
            ((label, float(p)) for label, p in zip(self._labels, chances, strict=True)),
            key=lambda kv: -kv[1],
        )


def load_examples(path: Path = EXAMPLES_FILE) -> tuple[Example, ...]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    return tuple(Example(raw["text"], tuple(raw["cats"])) for raw in data["examples"])


@cache
def examples() -> tuple[Example, ...]:
    return load_examples()


def recipe(trained_on: Sequence[Example] | None, categories: Iterable[Category]) -> str:
    """What a reader trained on these examples (None: `EXAMPLES_FILE`) and categories depends
    on, worked out without reading the 27k examples (a third of a second): the file's bytes
    (or the examples given), the categories' terms, and the code that makes documents and
    features of them (this module, `core.text`). A restart finds its trained reader by it."""
    if trained_on is None:
        found = _digest(EXAMPLES_FILE)
    else:
        found = json.dumps([[e.text, e.categories] for e in trained_on])
    terms = [[c.id, c.fr, c.en, *c.fr_terms, *c.en_terms] for c in categories]
    code = [_digest(Path(__file__)), _digest(Path(text_module.__file__ or ""))]
    return hashlib.sha256(json.dumps([found, terms, code]).encode()).hexdigest()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def documents(trained_on: Iterable[Example], categories: Iterable[Category]) -> list[Document]:
    """Training documents: people's labelled phrases and the vocabulary's own terms."""
    found = [(normalise(e.text), e.categories) for e in trained_on]
    return found + [
        (normalise(term.lstrip("~*")), (cat.id,))
        for cat in categories
        for term in (cat.fr, cat.en, *cat.fr_terms, *cat.en_terms)
    ]


# --- the gate -----------------------------------------------------------------------------------

SIGNALS = (
    "share",  # the first category's share of the ranking's total
    "margin",  # how far it is ahead of the second, as a share of the total
    "reader",  # the reader's probability of it
    "reader_first",  # it is the reader's own first
    "rules_first",  # it is the rules' own first
    "rules_score",  # the rules' score of their first (capped)
    "rules_sure",  # the rules alone would file it
    "rules_none",  # the rules found nothing
    "rules_weak",  # the rules found weak words only (« un coup de main »)
    "vague",  # the reader's probability that the phrase is too vague to file
)


def signals(found: Evidence, order: Sequence[tuple[str, float]]) -> dict[str, float]:
    """What the gate weighs about the first category of `order`."""
    ranked, rules_sure, posterior = found.ranked, found.rules_sure, found.posterior
    chances = dict(posterior)
    first = order[0][0]
    total = sum(s for _, s in order) or 1.0
    second = order[1][1] if len(order) > 1 else 0.0
    readers_first = next((c for c, _ in posterior if c != VAGUE), None)
    return {
        "share": order[0][1] / total,
        "margin": (order[0][1] - second) / total,
        "reader": chances.get(first, 0.0),
        "reader_first": float(readers_first == first),
        "rules_first": float(bool(ranked) and ranked[0][0] == first),
        "rules_score": min(max(ranked[0][1], 0.0), 3.0) if ranked else 0.0,
        "rules_sure": float(rules_sure and ranked[0][0] == first),
        "rules_none": float(not ranked),
        "rules_weak": float(bool(ranked) and ranked[0][1] < 0),
        "vague": chances.get(VAGUE, 0.0),
    }


@dataclass(frozen=True, slots=True)
class Gate:
    """The ranking's mix, and a logistic regression over `SIGNALS` whose chance must reach
    `threshold` to file without asking."""

    rules_weight: float = 0.5
    bias: float = 0.0
    weights: Mapping[str, float] | None = None
    threshold: float = 2.0  # above any chance: always ask (before the gate is learned)

    def rank(
        self, ranked: Sequence[tuple[str, float]], posterior: Sequence[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """The categories, best first: the reader's probability plus the rules' share of
        their best (a negative score rests on weak terms only)."""
        best = abs(ranked[0][1]) if ranked else 1.0
        mixed = {c: self.rules_weight * abs(s) / best for c, s in ranked}
        for category, chance in posterior:
            if category != VAGUE:
                mixed[category] = mixed.get(category, 0.0) + chance
        return sorted(mixed.items(), key=lambda kv: (-kv[1], kv[0]))

    def chance(self, found: Mapping[str, float]) -> float:
        weights = self.weights or {}
        z = self.bias + sum(weights.get(name, 0.0) * value for name, value in found.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def order(self, found: Evidence) -> list[tuple[str, float]]:
        """The categories to show, best first ([]: nothing recognised)."""
        if found.ranked:
            return self.rank(found.ranked, found.posterior)
        # The reader alone: what it finds likely, unless the phrase most likely names nothing.
        if not found.posterior or found.posterior[0][0] == VAGUE:
            return []
        return self.rank([], [(c, p) for c, p in found.posterior if p >= PROPOSE])

    def decide(self, found: Evidence) -> tuple[list[tuple[str, float]], bool]:
        """The categories to show, best first, and whether to file the first without asking."""
        order = self.order(found)
        if not order:
            return [], False
        found_signals = signals(found, order)
        # Weak words alone are never filed without a question, however likely.
        sure = not found_signals["rules_weak"] and self.chance(found_signals) >= self.threshold
        return [(c, round(s, 3)) for c, s in order], sure


def load_gate(path: Path = GATE_FILE) -> Gate:
    with path.open("rb") as file:
        data = tomllib.load(file)
    return Gate(
        rules_weight=float(data["rules_weight"]),
        bias=float(data["bias"]),
        weights={name: float(data["weights"][name]) for name in SIGNALS},
        threshold=float(data["threshold"]),
    )


@cache
def gate() -> Gate:
    return load_gate() if GATE_FILE.exists() else Gate()
