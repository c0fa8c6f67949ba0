"""Tuning phrases v3 (`tests/tuning_phrases.toml`): 655 phone-typed needs and offers labelled by
hand by someone who never saw the classifier. Tuning material, like the retired set v1.

To keep an honest check against over-fitting it, a fixed random 20% of it (seed below) is a
*dev split*: figures are reported on the train split and on the dev split separately, and only
the train split's failures are printed for tuning (`python -m tests.heldout.evaluate`).
"""

from __future__ import annotations

import random
import tomllib
from functools import cache
from pathlib import Path

from core.models import Direction
from tests.heldout.evaluate import Labelled

V3_FILE = Path(__file__).parent.parent / "tuning_phrases.toml"
DEV_SHARE, DEV_SEED = 0.2, 20261124


@cache
def v3_items() -> tuple[Labelled, ...]:
    with V3_FILE.open("rb") as file:
        data = tomllib.load(file)
    return tuple(
        Labelled(
            Direction(raw["dir"]),
            raw["lang"],
            raw["text"],
            tuple(frozenset(part) for part in raw["expect"] if part),
        )
        for raw in data["items"]
    )


@cache
def _dev_indices() -> frozenset[int]:
    count = len(v3_items())
    return frozenset(random.Random(DEV_SEED).sample(range(count), round(DEV_SHARE * count)))


def v3_split() -> tuple[tuple[Labelled, ...], tuple[Labelled, ...]]:
    """(train, dev): the dev split is a fixed random 20%, never read for tuning."""
    dev = _dev_indices()
    items = v3_items()
    train = tuple(item for i, item in enumerate(items) if i not in dev)
    return train, tuple(items[i] for i in sorted(dev))
