"""Whom a new organisation's arrival notifies, at the notification threshold: how many
notifications per newcomer, and how many labelled partners among them.

Over the profiles of the matching's tuning material (the retired held-out sets and the pair
pools): each organisation in turn is the newcomer, and
`MatchIndex.strong_matches` says whom it notifies, as handlers/notifications.py does. The
round-5 weights (no rarity of concepts, no descriptions, the same town ×1.25) run beside the
current ones as the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.match_index import MatchIndex
from core.scoring import Weights
from tests.heldout.evaluate import (
    NOW,
    PAIR_POOLS,
    RETIRED_SETS,
    load_heldout,
    profile_orgs,
)

SETS = (*RETIRED_SETS.values(), *PAIR_POOLS)
ROUND_5 = replace(Weights(), rarity=0.0, same_city=0.25, described=0.0)
HEADER = (
    "| weights | threshold | notifications per newcomer | labelled partners notified |\n"
    "|---|---:|---:|---:|"
)


@dataclass(frozen=True, slots=True)
class Notifying:
    name: str
    threshold: float
    per_newcomer: float
    partners: int  # (newcomer, partner) sides where the partner is notified
    sides: int

    def row(self) -> str:
        return (
            f"| {self.name} | {self.threshold} | {self.per_newcomer:.2f} "
            f"| {self.partners} / {self.sides} ({self.partners / self.sides:.0%}) |"
        )


def run(name: str, weights: Weights, threshold: float) -> Notifying:
    notified = newcomers = partners = sides = 0
    for path in SETS:
        held = load_heldout(path)
        orgs = profile_orgs(held.profiles)
        index = MatchIndex(weights=weights)
        index.upsert_many(orgs.values())
        partner: dict[str, set[str]] = {}
        for pair in held.pairs:
            partner.setdefault(pair.association, set()).add(pair.company)
            partner.setdefault(pair.company, set()).add(pair.association)
        for key, org in orgs.items():
            found = {i for i, _ in index.strong_matches(org, now=NOW, threshold=threshold)}
            notified += len(found)
            newcomers += 1
            for other in partner.get(key, ()):
                sides += 1
                partners += orgs[other].id in found
    return Notifying(name, threshold, notified / newcomers, partners, sides)


def main(threshold: float = 2.0) -> list[Notifying]:
    return [
        run(name, weights, t)
        for name, weights in (("round 5 (baseline)", ROUND_5), ("current", Weights()))
        for t in (threshold - 0.5, threshold, threshold + 0.5)
    ]
