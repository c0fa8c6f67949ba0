"""How fast the bot reads a typed phrase (issue 10): training the learned reader once, and one
reading by the hand-written arithmetic of `core.learned.TextReader` against scikit-learn's own
pipeline (`transform` + `predict_proba`), the baseline, in the same run."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from core.learned import TextReader, compiled, documents, examples, fit
from core.taxonomy import TAXONOMY
from core.text import normalise

HEADER = (
    "| examples | training s | reading p50 µs (ours) | reading p50 µs (scikit-learn) "
    "| scikit-learn / ours | whole phrase read p50 ms |\n|---:|---:|---:|---:|---:|---:|"
)


@dataclass(frozen=True, slots=True)
class Reading:
    examples: int
    training_s: float
    ours_us: float
    sklearn_us: float
    phrase_ms: float

    def row(self) -> str:
        return (
            f"| {self.examples} | {self.training_s:.2f} | {self.ours_us:.0f} "
            f"| {self.sklearn_us:.0f} | {self.sklearn_us / self.ours_us:.0f}× "
            f"| {self.phrase_ms:.2f} |"
        )


def _p50(call: object, texts: list[str]) -> float:
    assert callable(call)
    times = []
    for text in texts:
        start = time.perf_counter()
        call(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(phrases: int = 2000) -> Reading:
    trained = examples()
    start = time.perf_counter()
    pipeline, model = fit(documents(trained, TAXONOMY.categories))
    reader = TextReader(compiled(pipeline, model))
    training = time.perf_counter() - start
    # Phrases the reader never read before (no cache): each example with a word added.
    texts = [normalise(f"{e.text} svp {n}") for n, e in enumerate(trained[:phrases])]
    ours = _p50(reader.posterior, texts)
    sklearn = _p50(lambda t: model.predict_proba(pipeline.transform([t])), texts)
    TAXONOMY.read("x")  # trained before timing
    whole = _p50(TAXONOMY.read, [f"{e.text} merci {n}" for n, e in enumerate(trained[:phrases])])
    return Reading(len(trained), training, ours * 1e6, sklearn * 1e6, whole * 1e3)
