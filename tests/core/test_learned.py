"""The learned reader (core/learned.py): what it reads, and that its fast reading is exactly
scikit-learn's."""

from __future__ import annotations

import math

import pytest

from core.learned import VAGUE, Evidence, Gate, TextReader, examples, gate
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
    reader = TextReader(DOCUMENTS)
    posterior = reader.posterior("ordi")
    assert posterior[0][0] == "it_equipment"
    assert math.isclose(sum(p for _, p in posterior), 1.0)
    assert reader.posterior("comptabilite")[0][0] == "accounting"
    assert reader.posterior("aide")[0][0] == VAGUE


def test_it_says_nothing_of_a_short_word_it_never_saw() -> None:
    assert TextReader(DOCUMENTS).posterior("zzz") == []


@pytest.mark.parametrize(
    "phrase",
    [
        "la compta",
        "on galère avec nos fiches de paie, qqn pr nous aider ?",
        "formation excel + un ordi portable",
        "ordinatuers portbles",
        "a van for saturday's food collection 🚚",
        "zz",
    ],
)
def test_the_fast_reading_is_scikit_learns(phrase: str) -> None:
    """`posterior` redoes `predict_proba` by hand for speed: same figures, to rounding."""
    TAXONOMY.read("x")  # trained
    reader = TAXONOMY._model
    assert isinstance(reader, TextReader)
    text = normalise(phrase)
    fast = dict(reader.posterior(text))
    if not fast:
        return
    slow = reader.model.predict_proba(reader.pipeline.transform([text]))[0]
    assert all(
        math.isclose(fast[str(label)], p, abs_tol=1e-12)
        for label, p in zip(reader.model.classes_, slow, strict=True)
    )


def test_the_reading_of_every_training_phrase_is_scikit_learns_too() -> None:
    TAXONOMY.read("x")
    reader = TAXONOMY._model
    assert isinstance(reader, TextReader)
    texts = [normalise(e.text) for e in examples()[::25]]
    slow = reader.model.predict_proba(reader.pipeline.transform(texts))
    labels = [str(c) for c in reader.model.classes_]
    for text, row in zip(texts, slow, strict=True):
        if fast := dict(reader.posterior(text)):
            assert max(abs(fast[c] - p) for c, p in zip(labels, row, strict=True)) < 1e-12


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
