"""k-fold cross-validation of the reader over the training material (never the held-out set).

Each fold's phrases are read by a taxonomy whose learned reader was trained on the other folds
only (and the vocabulary's terms), with the committed gate (`core/data/gate.toml`, learned over
the same folds by `tests/heldout/gate.py`: its nine weights saw these phrases' evidence, so the
figures are slightly kind). Run: `python -m tests.heldout.crossval` (figures only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.learned import Gate, gate
from core.taxonomy import Taxonomy
from core.validation import MAX_DETAIL, clean_text
from tests.heldout.evaluate import Filing, Labelled
from tests.heldout.training import as_examples, folds, material


@dataclass(frozen=True, slots=True)
class Figures:
    phrases: int
    accuracy: float  # strict: things filed right / things asked for
    after_question: float
    first_proposal: float  # the reader's top-1, whatever the gate decided
    misfiled: float  # silent misfilings / phrases
    asked: float  # phrases asked about / phrases

    def __str__(self) -> str:
        return (
            f"{self.phrases} phrases: strict {self.accuracy:.1%}, after the question "
            f"{self.after_question:.1%}, first proposal {self.first_proposal:.1%}, silent "
            f"misfilings {self.misfiled:.1%}, asked {self.asked:.1%}"
        )


def figures(filings: Sequence[Filing]) -> Figures:
    parts = sum(f.parts for f in filings)
    return Figures(
        phrases=len(filings),
        accuracy=sum(f.found for f in filings) / parts,
        after_question=sum(f.found_after_question for f in filings) / parts,
        first_proposal=sum(f.found_first for f in filings) / parts,
        misfiled=sum(f.misfiled for f in filings) / len(filings),
        asked=sum(f.asked for f in filings) / len(filings),
    )


class CrossValidation:
    """The folds' taxonomies, trained once."""

    def __init__(self, items: tuple[Labelled, ...] | None = None, rule: Gate | None = None) -> None:
        self.folds = [
            (Taxonomy(trained_on=as_examples(fold), gate=rule or gate()), test)
            for fold, test in folds(items or material())
        ]

    def filings(self) -> list[Filing]:
        return [
            Filing(item, taxonomy.read(clean_text(item.text, max_length=MAX_DETAIL)))
            for taxonomy, test in self.folds
            for item in test
        ]

    def run(self) -> Figures:
        return figures(self.filings())


def main() -> None:
    print("cross-validation:", CrossValidation().run())


if __name__ == "__main__":
    main()
