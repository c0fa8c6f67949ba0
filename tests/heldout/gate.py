"""Learns the gate of `core.learned` (`core/data/gate.toml`) by k-fold cross-validation over the
training material (never the held-out set).

Each fold's phrases are read by a taxonomy whose learned reader was trained on the other folds
only. For every one-thing phrase this gives the rules' and the reader's evidence as the bot
would see it on a phrase it never met. Then:

1. `rules_weight`: the mix of rules and reader whose first category is most often right;
2. the gate's weights: a logistic regression over `core.learned.SIGNALS`, predicting whether
   that first category is right;
3. its threshold: with each phrase's chance predicted by a gate fitted on the other folds, the
   lowest threshold that keeps silent misfilings (filed, wrong) at most `SILENT`.

Run: `python -m tests.heldout.gate` (prints the figures; `--write` writes the file).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from core.learned import GATE_FILE, SIGNALS, Evidence, Gate, signals
from core.phrases import tokenise
from core.taxonomy import Taxonomy
from core.validation import MAX_DETAIL, clean_text
from tests.heldout.evaluate import Labelled
from tests.heldout.training import as_examples, folds, material

SILENT = 0.02  # silent misfilings allowed over one-thing phrases (the whole set stays under)
RULES_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)
ALWAYS_ASK = Gate(threshold=2.0)


@dataclass(frozen=True, slots=True)
class Seen:
    item: Labelled
    evidence: Evidence


def gather(items: tuple[Labelled, ...] | None = None) -> list[Seen]:
    """Every one-thing phrase's evidence, read by a taxonomy that never trained on it."""
    seen: list[Seen] = []
    for train, test in folds(items or material()):
        taxonomy = Taxonomy(trained_on=as_examples(train), gate=ALWAYS_ASK)
        for item in test:
            if item.multi:
                continue
            tokens = tokenise(" ".join(clean_text(item.text, max_length=MAX_DETAIL).split()))
            if tokens:
                seen.append(Seen(item, taxonomy.evidence(tokens)))
    return seen


def right(item: Labelled, category: str) -> bool:
    return not item.vague and category in item.acceptable


def first_right(seen: list[Seen], gate: Gate) -> float:
    hits = 0
    for s in seen:
        order = gate.order(s.evidence)
        hits += bool(order) and right(s.item, order[0][0])
    return hits / len(seen)


def learn(seen: list[Seen], silent: float = SILENT) -> tuple[Gate, str]:
    weight = max(RULES_WEIGHTS, key=lambda w: first_right(seen, Gate(rules_weight=w)))
    mix = Gate(rules_weight=weight)
    rows, labels, fileable = [], [], []
    for s in seen:
        order = mix.order(s.evidence)
        found = signals(s.evidence, order) if order else dict.fromkeys(SIGNALS, 0.0)
        rows.append([found[name] for name in SIGNALS])
        labels.append(bool(order) and right(s.item, order[0][0]))
        fileable.append(bool(order) and not found["rules_weak"])
    model = LogisticRegression(C=1.0, max_iter=5000)
    chances = cross_val_predict(model, rows, labels, cv=5, method="predict_proba")[:, 1]
    n, wrong, good, threshold = len(seen), 0, 0, 1.0
    for k in sorted(range(n), key=lambda k: -chances[k]):
        if not fileable[k]:
            continue
        if labels[k]:
            good += 1
        else:
            wrong += 1
        if wrong / n > silent:
            break
        threshold = float(chances[k])
    model.fit(rows, labels)
    gate = Gate(
        rules_weight=weight,
        bias=float(model.intercept_[0]),
        weights={name: float(w) for name, w in zip(SIGNALS, model.coef_[0], strict=True)},
        threshold=round(threshold, 4),
    )
    filed = sum(1 for k in range(n) if fileable[k] and chances[k] >= threshold)
    right_filed = sum(1 for k in range(n) if fileable[k] and chances[k] >= threshold and labels[k])
    report = (
        f"{n} one-thing phrases: first category right {first_right(seen, mix):.1%} "
        f"(rules weight {weight}); filed without asking {filed / n:.1%}, of which right "
        f"{right_filed / max(1, filed):.1%}; silent misfilings {(filed - right_filed) / n:.1%}"
    )
    return gate, report


def write(gate: Gate, path: Path = GATE_FILE) -> None:
    weights = gate.weights or {}
    lines = [
        "# The gate of core/learned.py: whether to file a phrase's first category without",
        "# asking. Learned by k-fold cross-validation over the training material by",
        "# tests/heldout/gate.py (never the held-out set). Pure data: regenerate, do not edit.",
        f"rules_weight = {gate.rules_weight}",
        f"bias = {gate.bias:.6f}",
        f"threshold = {gate.threshold}",
        "",
        "[weights]",
        *(f"{name} = {weights[name]:.6f}" for name in SIGNALS),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    gate, report = learn(gather())
    print(report)
    print(gate)
    if "--write" in sys.argv:
        write(gate)
        print("written", GATE_FILE)


if __name__ == "__main__":
    main()
