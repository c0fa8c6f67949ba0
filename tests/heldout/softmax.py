"""A better-calibrated learned reader, kept for comparison: softmax regression with L2, in numpy.

Same features and same answer as `core.learned.NaiveBayes` (each label's probability, most
likely first), but fitted to the labels directly (cross-entropy, L2-regularised, L-BFGS) rather
than multiplying the features' likelihoods as if they were independent, so its probabilities
are far better calibrated. Round 4 of issue 10 compared the two by 5-fold cross-validation
(`python -m tests.heldout.crossval --softmax`, BENCHMARKS.md): alone it is the better reader,
blended with the rules it was not, so the taxonomy still uses Naive Bayes; pass
`learner=tests.heldout.softmax.train` to a `Taxonomy` to try it (trains in about 5 s). It is
experiment code, kept beside the evaluation, not in the product.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from core.learned import VAGUE, Document

L2 = 3e-5  # weight of the L2 penalty (chosen by cross-validation: the best log-likelihood)
ITERATIONS = 300

Floats = npt.NDArray[np.float64]


class Softmax:
    def __init__(
        self,
        features: Iterable[str],
        labels: Iterable[str],
        weights: Floats,
        bias: Floats,
        temperature: float = 1.0,
    ) -> None:
        self._index = {f: i for i, f in enumerate(features)}
        self.labels = tuple(labels)
        self.weights, self.bias, self.temperature = weights, bias, temperature

    def posterior(self, found: dict[str, float]) -> list[tuple[str, float]]:
        """Each label's probability, most likely first; [] when too little is known."""
        known = [(self._index[f], n, f) for f, n in found.items() if f in self._index]
        if not any(f.startswith("s:") for _, _, f in known) and len(known) < 3:
            return []
        rows = [i for i, _, _ in known]
        values = np.array([n for _, n, _ in known])
        scores = (values @ self.weights[rows] + self.bias) / self.temperature
        chances = np.exp(scores - scores.max())
        chances /= chances.sum()
        order = np.argsort(-chances, kind="stable")
        return [(self.labels[i], float(chances[i])) for i in order]


class _Sparse:
    """The documents as a sparse matrix, with the two products training needs."""

    def __init__(self, documents: list[Document], index: dict[str, int]) -> None:
        rows, cols, values = [], [], []
        for row, (found, _) in enumerate(documents):
            for feature, n in found.items():
                rows.append(row)
                cols.append(index[feature])
                values.append(n)
        self.rows, self.cols = np.array(rows), np.array(cols)
        self.values = np.array(values)
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.rows) != 0])
        self.by_feature = np.argsort(self.cols, kind="stable")
        sorted_cols = self.cols[self.by_feature]
        self.feature_starts = np.flatnonzero(np.r_[True, np.diff(sorted_cols) != 0])

    def times(self, weights: Floats) -> Floats:  # X @ W
        return np.add.reduceat(weights[self.cols] * self.values[:, None], self.starts)

    def transposed_times(self, g: Floats) -> Floats:  # X.T @ G
        contributions = g[self.rows] * self.values[:, None]
        return np.add.reduceat(contributions[self.by_feature], self.feature_starts)


def train(
    documents: Iterable[Document],
    l2: float = L2,
    iterations: int = ITERATIONS,
    temperature: float = 1.0,
) -> Softmax:
    """Fits the weights by L-BFGS on the mean cross-entropy plus `l2`/2 ‖W‖²; a document with
    several labels shares its weight among them, one with none is *vague*."""
    kept = [(found, labels or (VAGUE,)) for found, labels in documents if found]
    features = sorted({f for found, _ in kept for f in found})
    labels = sorted({label for _, ls in kept for label in ls})
    index, label_index = (
        {f: i for i, f in enumerate(features)},
        {c: i for i, c in enumerate(labels)},
    )
    x = _Sparse(kept, index)
    y = np.zeros((len(kept), len(labels)))
    for row, (_, ls) in enumerate(kept):
        for label in ls:
            y[row, label_index[label]] += 1.0 / len(ls)
    shape = (len(features), len(labels))
    size = shape[0] * shape[1]

    def loss(theta: Floats) -> tuple[float, Floats]:
        weights, bias = theta[:size].reshape(shape), theta[size:]
        scores = x.times(weights) + bias
        scores -= scores.max(axis=1, keepdims=True)
        log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        value = -(y * log_p).sum() / len(kept) + l2 / 2 * float((weights**2).sum())
        g = (np.exp(log_p) - y) / len(kept)
        grad_w = x.transposed_times(g) + l2 * weights
        return value, np.concatenate([grad_w.ravel(), g.sum(axis=0)])

    theta = _lbfgs(loss, np.zeros(size + len(labels)), iterations)
    return Softmax(features, labels, theta[:size].reshape(shape), theta[size:], temperature)


def _lbfgs(
    loss: object, theta: Floats, iterations: int, memory: int = 10, tolerance: float = 1e-6
) -> Floats:
    """Limited-memory BFGS with a backtracking (Armijo) line search."""
    f = loss  # typed loosely: (theta) -> (value, gradient)
    value, grad = f(theta)  # type: ignore[operator]
    steps: list[tuple[Floats, Floats, float]] = []
    for _ in range(iterations):
        direction = -grad
        alphas = []
        for s, y, rho in reversed(steps):
            alpha = rho * float(s @ direction)
            direction -= alpha * y
            alphas.append(alpha)
        if steps:
            s, y, _ = steps[-1]
            direction *= float(s @ y) / float(y @ y)
        for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
            direction += (alpha - rho * float(y @ direction)) * s
        slope = float(grad @ direction)
        if slope >= 0:
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0 if steps else min(1.0, 1.0 / float(np.abs(grad).sum()))
        while True:
            candidate = theta + step * direction
            new_value, new_grad = f(candidate)  # type: ignore[operator]
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step /= 2
        s, y = candidate - theta, new_grad - grad
        if float(s @ y) > 1e-10:
            steps = [*steps[-(memory - 1) :], (s, y, 1.0 / float(s @ y))]
        done = abs(value - new_value) < tolerance * max(1.0, abs(value))
        theta, value, grad = candidate, new_value, new_grad
        if done:
            break
    return theta
