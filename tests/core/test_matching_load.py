"""Loading the match index in bulk and in the background gives the same matches."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from core.matching import Candidate, MatchIndex
from core.models import Item, Location, Organisation, OrgKind, OrgStatus
from core.taxonomy import TAXONOMY
from tests.matching_set import NEEDS, OFFERS, _org

NOW = datetime(2026, 11, 1, tzinfo=UTC)
TOWNS = ("Strasbourg", "Metz", "Paris", "Luxembourg", "67000", "Alsace", "")
WORDS = [words for _, _, words in NEEDS + OFFERS] + [""] * 10


def organisations(count: int, seed: int = 7) -> list[Organisation]:
    """Associations and companies with random needs, offers, towns and ages."""
    rng = random.Random(seed)
    categories = [c.id for c in TAXONOMY.categories]

    def items() -> tuple[Item, ...]:
        return tuple(Item(c, rng.choice(WORDS)) for c in rng.sample(categories, 3))

    found = []
    for org_id in range(1, count + 1):
        kind = OrgKind.COMPANY if org_id % 2 else OrgKind.ASSOCIATION
        org = _org(org_id, kind, now=NOW - timedelta(days=rng.uniform(0, 300)))
        town = rng.choice(TOWNS)
        found.append(replace(org, needs=items(), offers=items(), location=Location(town, not town)))
    return found


def ranking(index: MatchIndex, reader: Organisation) -> list[Candidate]:
    return index.top(reader, now=NOW, k=10)


def test_upsert_many_builds_the_same_index_as_one_upsert_each() -> None:
    """Including organisations edited and paused within the same batch."""
    orgs = organisations(600)
    rng = random.Random(1)
    stream = (
        orgs
        + [replace(o, status=OrgStatus.PAUSED) for o in rng.sample(orgs, 40)]
        + [replace(o, needs=o.offers, offers=o.needs) for o in rng.sample(orgs, 40)]
    )
    one_by_one, bulk = MatchIndex(), MatchIndex()
    for org in stream:
        one_by_one.upsert(org)
    bulk.upsert_many(stream)
    assert len(bulk) == len(one_by_one)
    for reader in rng.sample(orgs, 60):
        assert ranking(bulk, reader) == ranking(one_by_one, reader)
        assert bulk.strong_matches(reader, now=NOW, threshold=2.0) == (
            one_by_one.strong_matches(reader, now=NOW, threshold=2.0)
        )


def test_an_edit_made_during_a_background_load_is_not_overwritten() -> None:
    """A profile changed, paused or added while the stored copies are being loaded keeps the
    state the edit gave it, whichever page the stale copy comes in."""
    orgs = organisations(300)
    edited = replace(orgs[10], offers=(Item("legal", "statuts"),))
    index = MatchIndex()
    index.start_loading()
    index.upsert(edited)
    index.remove(orgs[20].id)  # paused meanwhile
    for start in range(0, len(orgs), 100):
        index.load(orgs[start : start + 100])
    index.finish_loading()

    expected = MatchIndex()
    expected.upsert_many(o for o in orgs if o.id not in {edited.id, orgs[20].id})
    expected.upsert(edited)
    assert index.get(edited.id) == edited
    assert orgs[20].id not in index
    for reader in orgs[:40]:
        assert ranking(index, reader) == ranking(expected, reader)
