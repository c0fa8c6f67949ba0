"""The learned reader (core/learned.py): what it reads, and that its fast reading is exactly
scikit-learn's."""

from __future__ import annotations

import math
from typing import Any

import pytest

from core.learned import (
    VAGUE,
    Evidence,
    Gate,
    TextReader,
    char_grams,
    compiled,
    documents,
    examples,
    fit,
    gate,
    train,
    word_grams,
)
from core.taxonomy import TAXONOMY
from core.text import normalise

DOCUMENTS = [
    ("compta", ("accounting",)),
    ("comptable bilan", ("accounting",)),
    ("ordinateur", ("it_equipment",)),
    ("ordis portables", ("it_equipment",)),
    ("aide", ()),
]


def test_it_reads_what_it_was_trained_on_with_probabilities_that_sum_to_one() -> None:
    reader = train(DOCUMENTS)
    posterior = reader.posterior("ordi")
    assert posterior[0][0] == "it_equipment"
    assert math.isclose(sum(p for _, p in posterior), 1.0)
    assert reader.posterior("comptabilite")[0][0] == "accounting"
    assert reader.posterior("aide")[0][0] == VAGUE


def test_it_says_nothing_of_a_short_word_it_never_saw() -> None:
    assert train(DOCUMENTS).posterior("zzz") == []


@pytest.fixture(scope="module")
def trained() -> tuple[Any, Any, TextReader]:
    """scikit-learn's pipeline and model on the real examples, and our reader of them."""
    pipeline, model = fit(documents(examples(), TAXONOMY.categories))
    return pipeline, model, TextReader(compiled(pipeline, model))


PHRASES = [
    "la compta",
    "on galère avec nos fiches de paie, qqn pr nous aider ?",
    "formation excel + un ordi portable",
    "ordinatuers portbles",
    "a van for saturday's food collection 🚚",
    "zz",
    "l'été   2 x 3",
]


@pytest.mark.parametrize("phrase", PHRASES)
def test_our_analysers_are_scikit_learns(trained: tuple[Any, Any, TextReader], phrase: str) -> None:
    chars, words = (v.build_analyzer() for _, v in trained[0].transformer_list)
    text = normalise(phrase)
    assert char_grams(text) == chars(text)
    assert word_grams(text) == words(text)


def test_the_fast_reading_is_scikit_learns(trained: tuple[Any, Any, TextReader]) -> None:
    """`posterior` redoes `predict_proba` by hand for speed: same figures, to rounding, on the
    phrases above and on every 25th training phrase."""
    pipeline, model, reader = trained
    texts = [normalise(p) for p in PHRASES] + [normalise(e.text) for e in examples()[::25]]
    slow = model.predict_proba(pipeline.transform(texts))
    labels = [str(c) for c in model.classes_]
    read = 0
    for text, row in zip(texts, slow, strict=True):
        if fast := dict(reader.posterior(text)):
            read += 1
            assert max(abs(fast[c] - p) for c, p in zip(labels, row, strict=True)) < 1e-12
    assert read >= len(texts) - 2


def test_the_gate_never_files_weak_words_alone() -> None:
    """However sure the reader, weak words only (« un coup de main ») are asked about."""
    certain = Gate(rules_weight=0.0, bias=50.0, weights={}, threshold=0.5)
    found = Evidence([("volunteers", -0.35)], False, [("volunteers", 0.99), ("hr", 0.01)])
    assert certain.decide(found) == ([("volunteers", 0.99), ("hr", 0.01)], False)
    strong = Evidence([("volunteers", 1.0)], True, found.posterior)
    assert certain.decide(strong)[1]


def test_the_reader_alone_proposes_nothing_for_a_phrase_that_names_nothing() -> None:
    vague = Evidence([], False, [(VAGUE, 0.7), ("hr", 0.3)])
    assert gate().decide(vague) == ([], False)
    clear = Evidence([], False, [("hr", 0.7), (VAGUE, 0.2), ("it", 0.1)])
    order, _ = gate().decide(clear)
    assert [c for c, _ in order] == ["hr"]


def test_the_committed_gate_is_learned() -> None:
    """core/data/gate.toml is written by tests/heldout/gate.py: a threshold a chance can reach."""
    learned = gate()
    assert learned.weights
    assert 0.5 < learned.threshold < 1.0
