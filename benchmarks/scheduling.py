"""Speed-meeting scheduling: time, rounds against the lower bound, priority against the
exact optimum (an independent integer programme solved by HiGHS through scipy)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from core.speedmeeting import lower_bound, priorities, schedule
from tests.core.test_speedmeeting import exact_optimum


@dataclass(frozen=True)
class Row:
    name: str
    meetings: int
    rounds: int
    bound: int
    seconds: float
    priority: int
    optimum: int
    optimum_seconds: float

    def row(self) -> str:
        return (
            f"| {self.name} | {self.meetings:,} | {self.rounds} | {self.bound} | "
            f"{self.seconds:.2f} | {self.priority:,} | {self.optimum:,} | "
            f"{self.priority / self.optimum:.4f} | {self.optimum_seconds:.1f} |"
        )


def _event(
    size: int, wish_share: float, seed: int
) -> tuple[list[int], list[int], dict[tuple[int, int], int]]:
    rng = random.Random(seed)
    companies = list(range(1, size + 1))
    associations = list(range(100_001, 100_001 + size))
    wishes = {(c, a) for c in companies for a in associations if rng.random() < wish_share}
    wishes |= {(a, c) for c in companies for a in associations if rng.random() < wish_share}
    scores = {(c, a): rng.uniform(0, 5) for c in companies for a in associations}
    return companies, associations, priorities(companies, associations, wishes, scores)


def measure(name: str, size: int, rounds: int, tables: int, wish_share: float) -> Row:
    companies, associations, priority = _event(size, wish_share, seed=size)
    started = time.perf_counter()
    plan = schedule(companies, associations, priority, rounds=rounds, tables=tables)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    optimum = exact_optimum(priority, rounds, tables)
    optimum_seconds = time.perf_counter() - started
    pairs = [(m.company, m.association) for m in plan.meetings]
    return Row(
        name, len(pairs), plan.rounds, lower_bound(pairs, tables), seconds,
        plan.total_priority, optimum, optimum_seconds,
    )  # fmt: skip


def main() -> list[Row]:
    return [
        # Everyone wished to meet everyone; 30 tables, 30 rounds of 7 minutes.
        measure("30 × 30, full wishes, 30 tables, 30 rounds", 30, 30, 30, 1.0),
        # Two hours at 7 minutes: 17 rounds; not everyone can meet everyone.
        measure("30 × 30, 40% wishes, 20 tables, 17 rounds", 30, 17, 20, 0.4),
        measure("300 × 300, 10% wishes, 100 tables, 15 rounds", 300, 15, 100, 0.1),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.row())
