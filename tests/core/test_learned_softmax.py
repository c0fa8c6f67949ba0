"""The softmax reader (core.softmax), compared with Naive Bayes by cross-validation, reads like
it: each label's probability, most likely first, nothing when too little is known."""

from __future__ import annotations

import math

from core.learned import VAGUE, NaiveBayes, features
from tests.heldout.softmax import train

DOCUMENTS = [
    (features(["compta"]), ("accounting",)),
    (features(["comptable", "bilan"]), ("accounting",)),
    (features(["ordinateur"]), ("it_equipment",)),
    (features(["ordis", "portables"]), ("it_equipment",)),
    (features(["aide"]), ()),
]


def test_it_reads_what_it_was_trained_on_with_probabilities_that_sum_to_one() -> None:
    model = train(DOCUMENTS)
    posterior = model.posterior(features(["ordi"]))
    assert posterior[0][0] == "it_equipment"
    assert math.isclose(sum(p for _, p in posterior), 1.0)
    assert model.posterior(features(["comptabilite"]))[0][0] == "accounting"
    assert model.posterior(features(["aide"]))[0][0] == VAGUE


def test_it_says_nothing_of_words_it_never_saw() -> None:
    assert train(DOCUMENTS).posterior(features(["zzz"])) == []


def test_it_is_less_sure_than_naive_bayes_on_an_unseen_mix() -> None:
    found = features(["compta", "ordinateur", "portables"])
    softmax, bayes = train(DOCUMENTS).posterior(found), NaiveBayes(DOCUMENTS).posterior(found)
    assert softmax[0][1] < bayes[0][1]
