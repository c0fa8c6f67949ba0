"""Matching speed at 1k, 10k and 100k organisations, against brute force in the same run.

Synthetic organisations: half associations, half companies, three needs and three offers each,
categories drawn from the taxonomy and words from a vocabulary of real phrasings, descriptions
from real profiles, towns from the networks' areas. The brute force baseline is what the
issue names: rapidfuzz `process.cdist` of the reader's texts against every stored text, then
the best per organisation.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from rapidfuzz import fuzz, process

from core.matching import MatchIndex
from core.models import Contact, Item, Location, Organisation, OrgKind, OrgStatus
from core.taxonomy import TAXONOMY
from tests.heldout.evaluate import PAIR_POOLS, RETIRED_FILE, RETIRED_V2_FILE, load_heldout
from tests.matching_set import NEEDS, OFFERS

NOW = datetime(2026, 11, 22, tzinfo=UTC)
TOWNS = ("Strasbourg", "Metz", "Nancy", "Colmar", "Mulhouse", "Paris", "Lyon", "Lille",
         "Luxembourg", "Bruxelles", "67000", "57000", "Alsace", "")  # fmt: skip
WORDS = [w for _, _, w in NEEDS + OFFERS] + [""] * 20
# Descriptions as organisations write them (the retired sets' and the pair pools' profiles).
DESCRIPTIONS = [
    p.description
    for path in (RETIRED_FILE, RETIRED_V2_FILE, *PAIR_POOLS)
    for p in load_heldout(path).profiles
] + [""] * 10


def synthetic(count: int, seed: int = 1) -> list[Organisation]:
    rng = random.Random(seed)
    categories = [c.id for c in TAXONOMY.categories]

    def items() -> tuple[Item, ...]:
        return tuple(Item(c, rng.choice(WORDS)) for c in rng.sample(categories, 3))

    orgs = []
    for org_id in range(1, count + 1):
        town = rng.choice(TOWNS)
        confirmed = NOW - timedelta(days=rng.uniform(0, 400))
        orgs.append(
            Organisation(
                id=org_id,
                kind=OrgKind.COMPANY if org_id % 2 else OrgKind.ASSOCIATION,
                name=f"Organisation {org_id}",
                description=rng.choice(DESCRIPTIONS),
                location=Location(town, remote=not town),
                needs=items(),
                offers=items(),
                contact=Contact("x"),
                owner_user_id=org_id,
                owner_username=None,
                language="fr",
                status=OrgStatus.ACTIVE,
                created_at=confirmed,
                updated_at=confirmed,
                confirmed_at=confirmed,
                consented_at=confirmed,
            )
        )
    return orgs


def brute_force(reader: Organisation, texts: list[str], owners: np.ndarray, k: int) -> list[int]:
    """rapidfuzz cdist of the reader's texts against every stored text, best per organisation."""
    mine = [i.detail or i.category for i in (*reader.needs, *reader.offers)]
    scores = process.cdist(mine, texts, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=1)
    best = scores.max(axis=0)
    per_org = np.zeros(int(owners.max()) + 1, dtype=np.uint16)
    np.maximum.at(per_org, owners, best)
    return [int(i) for i in np.argsort(-per_org)[:k]]


@dataclass(frozen=True)
class SpeedRow:
    orgs: int
    build_s: float
    memory_mb: float
    top10_p50_ms: float
    top10_p95_ms: float
    notify_p50_ms: float
    brute_p50_ms: float

    def row(self) -> str:
        return (
            f"| {self.orgs:,} | {self.build_s:.1f} | {self.memory_mb:.0f} | "
            f"{self.top10_p50_ms:.1f} | {self.top10_p95_ms:.1f} | {self.notify_p50_ms:.1f} | "
            f"{self.brute_p50_ms:,.0f} | {self.brute_p50_ms / self.top10_p50_ms:,.0f}× |"
        )


def measure(count: int, queries: int = 200, brute_queries: int = 5) -> SpeedRow:
    gc.collect()
    tracemalloc.start()
    orgs = synthetic(count)
    started = time.perf_counter()
    index = MatchIndex()
    index.upsert_many(orgs)
    build = time.perf_counter() - started
    memory = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    rng = random.Random(2)
    readers = rng.sample(orgs, min(queries, count))
    top_times, notify_times = [], []
    for reader in readers:
        started = time.perf_counter()
        index.top(reader, now=NOW, k=10)
        top_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        index.strong_matches(reader, now=NOW, threshold=2.5)
        notify_times.append(time.perf_counter() - started)
    texts = [i.detail or i.category for o in orgs for i in (*o.needs, *o.offers)]
    owners = np.repeat(np.array([o.id for o in orgs]), 6)
    brute_times = []
    for reader in readers[:brute_queries]:
        started = time.perf_counter()
        brute_force(reader, texts, owners, 10)
        brute_times.append(time.perf_counter() - started)
    quantiles = statistics.quantiles(top_times, n=20)
    return SpeedRow(
        orgs=count,
        build_s=build,
        memory_mb=memory,
        top10_p50_ms=statistics.median(top_times) * 1000,
        top10_p95_ms=quantiles[18] * 1000,
        notify_p50_ms=statistics.median(notify_times) * 1000,
        brute_p50_ms=statistics.median(brute_times) * 1000,
    )


def main(sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> list[SpeedRow]:
    return [measure(size) for size in sizes]
