"""Growable numpy columns: the storage of `core.match_index.MatchIndex`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

_GROWTH = 1.5


@dataclass
class Column:
    """A numpy array that grows by amortised doubling."""

    dtype: npt.DTypeLike
    data: npt.NDArray[Any] = field(init=False)
    size: int = 0

    def __post_init__(self) -> None:
        self.data = np.zeros(16, dtype=self.dtype)

    def append(self, value: Any) -> None:
        if self.size == len(self.data):
            self._grow(self.size + 1)
        self.data[self.size] = value
        self.size += 1

    def extend(self, values: Sequence[Any]) -> None:
        """Append many values in one numpy copy (the bulk load's fast path)."""
        end = self.size + len(values)
        if end > len(self.data):
            self._grow(end)
        self.data[self.size : end] = np.asarray(values, dtype=self.dtype)
        self.size = end

    def _grow(self, needed: int) -> None:
        grown = np.zeros(max(needed, int(len(self.data) * _GROWTH) + 16), dtype=self.dtype)
        grown[: self.size] = self.data[: self.size]
        self.data = grown

    def view(self) -> npt.NDArray[Any]:
        return self.data[: self.size]


@dataclass
class Posting:
    slots: Column = field(default_factory=lambda: Column(np.int32))
    weights: Column = field(default_factory=lambda: Column(np.float32))


_Key = TypeVar("_Key")
# New postings gathered before they are stored in one go: key → (slots, weights).
Gathered = dict[_Key, tuple[list[int], list[float]]]


def store(postings: dict[_Key, Posting], gathered: Gathered[_Key]) -> None:
    """Append the gathered postings to theirs, one numpy copy per posting."""
    for key, (slots, weights) in gathered.items():
        posting = postings.get(key)
        if posting is None:
            posting = postings[key] = Posting()
        posting.slots.extend(slots)
        posting.weights.extend(weights)


def best(score: npt.NDArray[np.float64], keep: int) -> npt.NDArray[np.intp]:
    """The slots of the `keep` best scores, in no order."""
    if keep >= len(score):
        return np.arange(len(score))
    return np.argpartition(-score, keep - 1)[:keep]


def cosines(postings: Sequence[Posting], words: int, slots: int) -> npt.NDArray[np.float64] | None:
    """Per slot, the cosine of binary vectors between a text of `words` distinct words and the
    texts posted (each posting's weight 1 / √(their words)), from the postings of its words;
    None when none of its words is posted."""
    if not postings:
        return None
    found = np.concatenate([p.slots.view() for p in postings])
    weights = np.concatenate([p.weights.view() for p in postings])
    overlap = np.bincount(found, weights=weights, minlength=slots) / math.sqrt(words)
    return np.minimum(overlap, 1.0)
