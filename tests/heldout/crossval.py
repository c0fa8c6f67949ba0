"""k-fold cross-validation of the reader over the training material (never the held-out set).

Each fold's phrases are read by a taxonomy whose learned reader was trained on the other folds
only (and the vocabulary's terms), with the rules and thresholds under test. This is how the
thresholds of `core.learned.Thresholds` were chosen: the best strict accuracy with silent
misfilings at most `SILENT`. Run: `python -m tests.heldout.crossval [--tune] [--softmax]`
(figures only; `--softmax` compares the logistic regression of `core.softmax` with Naive Bayes).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from core.learned import THRESHOLDS, Learner, NaiveBayes, Thresholds
from core.taxonomy import Taxonomy
from core.validation import MAX_DETAIL, clean_text
from tests.heldout.evaluate import Filing, Labelled
from tests.heldout.softmax import train
from tests.heldout.training import as_examples, folds, material


@dataclass(frozen=True, slots=True)
class Figures:
    phrases: int
    accuracy: float  # strict: things filed right / things asked for
    after_question: float
    misfiled: float  # silent misfilings / phrases
    asked: float  # phrases asked about / phrases

    def __str__(self) -> str:
        return (
            f"{self.phrases} phrases: strict {self.accuracy:.1%}, after the question "
            f"{self.after_question:.1%}, silent misfilings {self.misfiled:.1%}, asked "
            f"{self.asked:.1%}"
        )


def figures(filings: Sequence[Filing]) -> Figures:
    parts = sum(f.parts for f in filings)
    return Figures(
        phrases=len(filings),
        accuracy=sum(f.found for f in filings) / parts,
        after_question=sum(f.found_after_question for f in filings) / parts,
        misfiled=sum(f.misfiled for f in filings) / len(filings),
        asked=sum(f.asked for f in filings) / len(filings),
    )


class CrossValidation:
    """The folds' taxonomies, trained once; readings redone for each set of thresholds."""

    def __init__(
        self, items: tuple[Labelled, ...] | None = None, learner: Learner = NaiveBayes
    ) -> None:
        self.folds = [
            (Taxonomy(trained_on=as_examples(fold), learner=learner), test)
            for fold, test in folds(items or material())
        ]

    def filings(self, limits: Thresholds = THRESHOLDS) -> list[Filing]:
        found: list[Filing] = []
        for taxonomy, test in self.folds:
            taxonomy.thresholds = limits
            found += [
                Filing(item, taxonomy.read(clean_text(item.text, max_length=MAX_DETAIL)))
                for item in test
            ]
        return found

    def run(self, limits: Thresholds = THRESHOLDS) -> Figures:
        return figures(self.filings(limits))


GRID = {
    "doubt": (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
    "confirm": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    "alone": (0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 2.0),
    "ahead": (1.0, 1.2, 1.5, 2.0),
    "vague": (0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
    "propose": (0.2, 0.35, 0.5),
}
# The softmax reader's best thresholds found by `tune` (round 4); it never reached SILENT.
SOFTMAX_BEST = Thresholds(doubt=0.5, confirm=0.8, propose=0.2, alone=2.0, ahead=2.0, vague=0.1)
SILENT = 0.02  # the most silent misfilings allowed in cross-validation (the goal)


def tune(cv: CrossValidation, start: Thresholds = THRESHOLDS, rounds: int = 1) -> Thresholds:
    """Coordinate search over `GRID`: the best strict accuracy with silent misfilings at most
    `SILENT` (ties: fewer silent misfilings)."""

    def value(f: Figures) -> tuple[bool, float, float]:
        return (
            f.misfiled <= SILENT,
            f.accuracy if f.misfiled <= SILENT else -f.misfiled,
            -f.misfiled,
        )

    best, score = start, value(cv.run(start))
    for _ in range(rounds):
        for name, choices in GRID.items():
            for choice in choices:
                trial = replace(best, **{name: choice})
                result = cv.run(trial)
                if value(result) > score:
                    best, score = trial, value(result)
                    print(f"  {name}={choice}: {result}", flush=True)
    return best


def main() -> None:
    cv = CrossValidation()
    print("naive Bayes, current thresholds:", cv.run())
    if "--tune" in sys.argv:
        print("naive Bayes tuned:", tuned := tune(cv, rounds=2))
        print(cv.run(tuned))
    if "--softmax" in sys.argv:  # the logistic regression of core.softmax, compared
        softmax = CrossValidation(learner=train)
        print("softmax, naive Bayes's thresholds:", softmax.run())
        print("softmax, its best found:", softmax.run(SOFTMAX_BEST))
        if "--tune" in sys.argv:
            print("softmax tuned:", tuned := tune(softmax, rounds=2))
            print(softmax.run(tuned))
    for field in fields(Thresholds):
        print(field.name, getattr(THRESHOLDS, field.name))


if __name__ == "__main__":
    main()
