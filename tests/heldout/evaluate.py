"""How the bot files what people type: the held-out sets (issue 10) and the tuning material.

Pure functions, used by `make bench --only quality` and by tests/core/test_heldout.py. These
sets are measured (and the tuning phrases v3 and v5, see `main`):

- **held-out v16** and **v17** (`heldout_v16.toml`, `heldout_v17.toml`), each written by
  someone who never saw the classifier, switching persona every ~20 phrases, committed before
  any change to it. Measuring only, at most three times, and only in aggregate: never print
  their phrases or which of them fail, never tune on them (see their headers);
- **retired v1** (`heldout_items.toml`): the first held-out set, measured about nine times
  while tuning, now tuning material like the tuning set;
- **retired v2, v4, v6, v10, v11, v14, v15** (`heldout_v2.toml`…): each retired after 3
  measurements, now tuning material too (what was measured on them is in BENCHMARKS.md);
- **tuning** (`tests/matching_set.py`);
- **pair pools** (`pairs_tuning_[abc].toml`): profiles and partner pairs only, written to tune
  the matching (the rarity of concepts, descriptions, the same town).

`python -m tests.heldout.evaluate` prints the tuning material's figures and failures (never the
held-out sets'), for tuning.

A typed phrase goes through exactly what registration does with it (handlers/registration.py,
`typed_item`): `clean_text`, then `svc.taxonomy.read` (the app's taxonomy is `TAXONOMY`), which
finds the things the phrase asks for (`parts`), each with its likely categories and whether the
best one is clearly ahead (`sure`). Registration then:

- files a phrase with one sure part under its category, without a question (*silently*);
- for a phrase with several parts, asks about each part with its category as the first button
  (one tap confirms it); such a sure part counts as *filed* under that proposal for accuracy,
  as if the person always tapped the first button;
- for a part that is not sure (or a phrase where nothing is recognised), asks "did you mean…?"
  with the likely categories: the part is asked about, and not counted as filed.

Per phrase, the outcome is:

- **filed right**: every filed category acceptable for one of the things it asks for;
- **silently misfiled** (the issue's definition: wrong category, no question asked): filed
  without any question under a category acceptable for none of the things it asks for (for a
  phrase too vague for any category, being filed at all is a misfiling);
- **wrong first proposal**: asked about, but a first button proposed a category acceptable for
  none of them (not silent: the person sees it and can tap another);
- **asked**: some question was asked (right for a vague phrase).

**Accuracy** counts the things asked for: a sentence with three needs counts three, each found
when one of its acceptable categories was filed; a vague phrase counts one, found when nothing
was filed. **Accuracy after the question** also counts as found a thing asked about whose right
category was among the buttons of its question (one tap away): what the person ends up with
when they tap the right button. Each question settles one thing: a part offering the right
category for two things asked for counts once. **First proposal right** counts as found a
thing asked about whose right category is the first button of its question: the reader's
top-1 accuracy, whatever the gate decided (between strict accuracy and accuracy after the
question).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from core.matching import MatchIndex
from core.models import (
    WORDS_ONLY,
    Contact,
    Direction,
    Item,
    Location,
    Organisation,
    OrgKind,
    OrgStatus,
)
from core.taxonomy import TAXONOMY, Reading
from core.validation import MAX_DETAIL, clean_text
from tests import matching_set

HELDOUT_V16_FILE = Path(__file__).with_name("heldout_v16.toml")  # measured, never tuned on
HELDOUT_V17_FILE = Path(__file__).with_name("heldout_v17.toml")  # measured, never tuned on
HELD_OUT_SETS = {"v16": HELDOUT_V16_FILE, "v17": HELDOUT_V17_FILE}
HELD_OUT = tuple(HELD_OUT_SETS.values())
# Profiles and partner pairs only (no phrases), written to tune the matching: three pools of 38
# profiles with 13 pairs each, by someone who never saw the code.
PAIR_POOLS = tuple(Path(__file__).with_name(f"pairs_tuning_{pool}.toml") for pool in "abc")
RETIRED_FILE = Path(__file__).with_name("heldout_items.toml")  # set v1, now tuning material
RETIRED_V2_FILE = Path(__file__).with_name("heldout_v2.toml")  # set v2, now tuning material
RETIRED_V4_FILE = Path(__file__).with_name("heldout_v4.toml")  # set v4, now tuning material
RETIRED_V6_FILE = Path(__file__).with_name("heldout_v6.toml")  # set v6, now tuning material
RETIRED_V10_FILE = Path(__file__).with_name("heldout_v10.toml")  # set v10, now tuning material
RETIRED_V11_FILE = Path(__file__).with_name("heldout_v11.toml")  # set v11, now tuning material
RETIRED_V14_FILE = Path(__file__).with_name("heldout_v14.toml")  # set v14, now tuning material
RETIRED_V15_FILE = Path(__file__).with_name("heldout_v15.toml")  # set v15, now tuning material
RETIRED_SETS = {
    "v1": RETIRED_FILE,
    "v2": RETIRED_V2_FILE,
    "v4": RETIRED_V4_FILE,
    "v6": RETIRED_V6_FILE,
    "v10": RETIRED_V10_FILE,
    "v11": RETIRED_V11_FILE,
    "v14": RETIRED_V14_FILE,
    "v15": RETIRED_V15_FILE,
}
NOW = datetime(2026, 11, 24, tzinfo=UTC)
_ANYWHERE = Location(remote=True)
TOP = 3  # a labelled partner should be in the other's top 3

# Topics of the tuning set that are not category ids.
_TUNING_TOPICS = {"photo": "photo_video", "csr": "csr_strategy"}


@dataclass(frozen=True, slots=True)
class Labelled:
    """One typed phrase and what a careful person would file it under."""

    direction: Direction
    lang: str  # "fr", "en", "lb"; "" when not labelled (the tuning set)
    text: str
    # One set of acceptable category ids per thing asked for; () when too vague to file.
    expect: tuple[frozenset[str], ...]

    @property
    def vague(self) -> bool:
        return not self.expect

    @property
    def multi(self) -> bool:
        return len(self.expect) > 1

    @property
    def acceptable(self) -> frozenset[str]:
        return frozenset(c for part in self.expect for c in part)


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    kind: OrgKind
    name: str
    description: str
    location: str
    needs: tuple[str, ...]
    offers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pair:
    association: str
    company: str
    kind: str
    why: str


@dataclass(frozen=True, slots=True)
class HeldOut:
    items: tuple[Labelled, ...]
    profiles: tuple[Profile, ...]
    pairs: tuple[Pair, ...]


@cache
def load_heldout(path: Path) -> HeldOut:
    with path.open("rb") as file:
        data = tomllib.load(file)
    # Too vague to file is written `expect = []` in v1 and `expect = [[]]` in v2.
    items = tuple(
        Labelled(
            Direction(raw["dir"]),
            raw["lang"],
            raw["text"],
            tuple(frozenset(part) for part in raw["expect"] if part),
        )
        for raw in data["items"]
    )
    profiles = tuple(
        Profile(
            raw["id"],
            OrgKind(raw["kind"]),
            raw["name"],
            raw["description"],
            raw["location"],
            tuple(raw["needs"]),
            tuple(raw["offers"]),
        )
        for raw in data["profile"]
    )
    pairs = tuple(
        Pair(raw["association"], raw["company"], raw["kind"], raw["why"]) for raw in data["pair"]
    )
    return HeldOut(items, profiles, pairs)


def tuning_items() -> tuple[Labelled, ...]:
    """The tuning set's phrases (tests/matching_set.py), as if each had been typed.

    The category some of them picked by button is ignored: what is measured is the words.
    """
    return tuple(
        Labelled(direction, "", words, (frozenset({_TUNING_TOPICS.get(topic, topic)}),))
        for direction, rows in (
            (Direction.NEED, matching_set.NEEDS),
            (Direction.OFFER, matching_set.OFFERS),
        )
        for topic, _picked, words in rows
    )


def read_typed(text: str) -> Reading:
    """What registration reads in typed words (`typed_item`)."""
    return TAXONOMY.read(clean_text(text, max_length=MAX_DETAIL))


def file_typed(text: str) -> str | None:
    """The category registration files a one-thing phrase under, or None when it asks."""
    reading = read_typed(text)
    return reading.parts[0].category if reading.sure else None


# --- classification -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filing:
    item: Labelled
    reading: Reading

    @property
    def filed(self) -> tuple[str, ...]:
        """The categories filed (or proposed for a one-tap confirmation) without a doubt."""
        return tuple(p.category for p in self.reading.parts if p.sure and p.category)

    @property
    def asked(self) -> bool:
        return not self.reading.sure

    @property
    def misfiled(self) -> bool:
        """Filed under a wrong category without any question."""
        return self.reading.sure and any(c not in self.item.acceptable for c in self.filed)

    @property
    def wrong_proposal(self) -> bool:
        """Asked about, with a wrong category as a first button."""
        return self.asked and any(c not in self.item.acceptable for c in self.filed)

    @property
    def offered_right(self) -> bool:
        """Asked, and a right category was among the buttons of the question."""
        shown = {c for p in self.reading.parts if not p.sure for c, _ in p.candidates}
        return self.asked and not self.item.vague and bool(shown & self.item.acceptable)

    @property
    def found_after_question(self) -> int:
        """`found`, plus the things asked about whose right category is among the buttons (the
        person taps it): one per question at most."""
        if self.item.vague:
            return int(self.asked)
        if self.reading.sure:
            return self.found
        offers = [
            {p.category} if p.sure and p.category else {c for c, _ in p.candidates}
            for p in self.reading.parts
        ]
        return _matched(self.item.expect, offers)

    @property
    def found_first(self) -> int:
        """`found`, plus the things asked about whose right category is the first button of
        their question: the reader's own top-1 accuracy, whatever the gate decided."""
        if self.item.vague:
            return int(self.asked)
        if self.reading.sure:
            return self.found
        offers = [{p.category} if p.category else set() for p in self.reading.parts]
        return _matched(self.item.expect, offers)

    @property
    def found(self) -> int:
        """How many of the things asked for were filed right (a vague phrase: 1 if none)."""
        if self.item.vague:
            return int(not self.filed)
        return sum(1 for part in self.item.expect if part & set(self.filed))

    @property
    def parts(self) -> int:
        return max(1, len(self.item.expect))


@dataclass(frozen=True, slots=True)
class Classification:
    phrases: int
    parts: int  # things asked for (a vague phrase counts one)
    accuracy: float  # share of the parts found
    after_question: float  # share of the parts found once the right button is tapped
    first_proposal: float  # share of the parts whose first proposal (filed or asked) is right
    misfiled: float  # share of the phrases silently filed under a wrong category
    wrong_proposals: float  # share of the phrases asked about with a wrong first button
    asked: float  # share of the phrases not filed (the user is asked again)
    asked_rightly: int  # vague phrases the bot asked about (the right behaviour)
    offered_right: int  # phrases asked about with a right category among the buttons
    dropped: int  # parts of multi-need phrases lost although another part was filed
    filings: tuple[Filing, ...]

    def slice(self, keep: Iterable[bool]) -> Classification:
        return classify([f.item for f, k in zip(self.filings, keep, strict=True) if k])


def classify(items: Sequence[Labelled]) -> Classification:
    filings = tuple(Filing(item, read_typed(item.text)) for item in items)
    phrases = len(filings)
    parts = sum(f.parts for f in filings)
    return Classification(
        phrases=phrases,
        parts=parts,
        accuracy=sum(f.found for f in filings) / parts if parts else 0.0,
        after_question=sum(f.found_after_question for f in filings) / parts if parts else 0.0,
        first_proposal=sum(f.found_first for f in filings) / parts if parts else 0.0,
        misfiled=sum(f.misfiled for f in filings) / phrases if phrases else 0.0,
        wrong_proposals=sum(f.wrong_proposal for f in filings) / phrases if phrases else 0.0,
        asked=sum(f.asked for f in filings) / phrases if phrases else 0.0,
        asked_rightly=sum(1 for f in filings if f.item.vague and not f.filed),
        offered_right=sum(1 for f in filings if f.offered_right),
        dropped=sum(f.parts - f.found for f in filings if f.item.multi and f.found),
        filings=filings,
    )


def _matched(expect: Sequence[frozenset[str]], offers: Sequence[set[str]]) -> int:
    """How many things asked for can each get their own question offering a right category
    (a maximum bipartite matching; the sets are tiny)."""
    owner: dict[int, int] = {}  # question -> thing asked for

    def place(thing: int, seen: set[int]) -> bool:
        for question, shown in enumerate(offers):
            if question in seen or not shown & expect[thing]:
                continue
            seen.add(question)
            if question not in owner or place(owner[question], seen):
                owner[question] = thing
                return True
        return False

    return sum(place(thing, set()) for thing in range(len(expect)))


def worst_misfilings(result: Classification, n: int = 15) -> list[Filing]:
    """Silent misfilings, those filed in another family than any expected first."""
    family = {c.id: c.family for c in TAXONOMY.categories}

    def distance(f: Filing) -> int:
        expected = {family[c] for c in f.item.acceptable}
        return 0 if f.item.vague or any(family[c] not in expected for c in f.filed) else 1

    wrong = [f for f in result.filings if f.misfiled]
    return sorted(wrong, key=distance)[:n]


# --- matching of single items (the tuning set's protocol) ---------------------------------------


@dataclass(frozen=True, slots=True)
class ItemMatching:
    needs: int  # needs with at least one relevant offer in the set (the others are left out)
    offers_placed: int
    precision_at_5: float
    recall_at_5: float


def item_matching(items: Sequence[Labelled]) -> ItemMatching:
    """P@5 and R@5 as tests/matching_set.py defines them, over labelled phrases.

    Each offer is kept as registration would keep it (`typed_items`: filed when the bot is
    sure, else in words only) and stands alone in a company; each need is kept the same way in
    an association and gets its top 5. An offer is relevant to a need when they share an
    acceptable category. Needs too vague to label, and needs that no offer of the set answers,
    are left out; a need that gets no suggestion scores 0.
    """
    index = MatchIndex()
    offers: dict[int, frozenset[str]] = {}
    for number, item in enumerate((i for i in items if i.direction is Direction.OFFER), 1):
        index.upsert(_org(number, OrgKind.COMPANY, offers=typed_items([item.text])))
        offers[number] = item.acceptable
    precisions: list[float] = []
    recalls: list[float] = []
    needs = [i for i in items if i.direction is Direction.NEED and not i.vague]
    for number, need in enumerate(needs, 100_000):
        relevant = {o for o, acceptable in offers.items() if acceptable & need.acceptable}
        if not relevant:
            continue
        reader = _org(number, OrgKind.ASSOCIATION, needs=typed_items([need.text]))
        shown = [c.org_id for c in index.top(reader, now=NOW, k=5)]
        hits = sum(1 for o in shown if o in relevant)
        precisions.append(hits / len(shown) if shown else 0.0)
        recalls.append(hits / min(5, len(relevant)))
    return ItemMatching(
        needs=len(precisions),
        offers_placed=len(offers),
        precision_at_5=sum(precisions) / len(precisions) if precisions else 0.0,
        recall_at_5=sum(recalls) / len(recalls) if recalls else 0.0,
    )


# --- labelled partner pairs ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairRank:
    pair: Pair
    company_rank: int | None  # the company's rank among the association's matches (1 = first)
    association_rank: int | None  # the association's rank among the company's matches

    @property
    def mutual(self) -> bool:
        return all(r is not None and r <= TOP for r in (self.company_rank, self.association_rank))


@dataclass(frozen=True, slots=True)
class Pairs:
    pairs: int
    profiles: int
    messages: int  # typed needs and offers in the profiles
    messages_placed: int  # of which registration filed under a category
    mutual_top3: int  # both in each other's top 3, words only when asked (strict)
    mutual_top3_tapped: int  # the same when the person taps the first button when asked
    association_side: int  # associations with their partner in their top 3
    company_side: int  # companies with their partner in their top 3
    partner_in_top5: float  # share of the paired profiles with their partner in their top 5
    ranks: tuple[PairRank, ...]


def typed_items(messages: Iterable[str], *, tap_first: bool = False) -> tuple[Item, ...]:
    """A profile's needs or offers as registration keeps them from typed messages.

    The person is taken to confirm every proposal the bot is sure of (one tap each) and, when
    it asks "did you mean…?", to keep their words only: the strict reading, which uses no label
    (a person would often tap the right suggestion instead). With `tap_first`, they tap the
    first button instead, right or wrong. Words for a category already present join its words,
    as in `typed_item`.
    """
    items: list[Item] = []
    for text in messages:
        for part in read_typed(text).parts or ():
            kept = part.category if part.sure or tap_first else None
            category = kept or WORDS_ONLY
            item = Item(category, part.words)
            same = next(
                (i for i, old in enumerate(items) if old.category == category != WORDS_ONLY),
                None,
            )
            if same is None:
                items.append(item)
            else:
                items[same] = Item(category, f"{items[same].detail} ; {part.words}")
        if not read_typed(text).parts:
            items.append(Item(WORDS_ONLY, text))
    return tuple(items)


def profile_orgs(
    profiles: Sequence[Profile], *, tap_first: bool = False
) -> dict[str, Organisation]:
    return {
        p.id: _org(
            number,
            p.kind,
            name=p.name,
            description=p.description,
            location=Location(p.location),
            needs=typed_items(p.needs, tap_first=tap_first),
            offers=typed_items(p.offers, tap_first=tap_first),
        )
        for number, p in enumerate(profiles, 1)
    }


def pair_ranks(heldout: HeldOut, *, tap_first: bool = False) -> tuple[PairRank, ...]:
    orgs = profile_orgs(heldout.profiles, tap_first=tap_first)
    index = MatchIndex()
    index.upsert_many(orgs.values())

    def rank(reader: str, other: str) -> int | None:
        ranked = [c.org_id for c in index.top(orgs[reader], now=NOW, k=len(orgs))]
        target = orgs[other].id
        return ranked.index(target) + 1 if target in ranked else None

    return tuple(
        PairRank(pair, rank(pair.association, pair.company), rank(pair.company, pair.association))
        for pair in heldout.pairs
    )


def partner_pairs(heldout: HeldOut) -> Pairs:
    ranks = pair_ranks(heldout)
    messages = [m for p in heldout.profiles for m in (*p.needs, *p.offers)]
    sides = [r for pr in ranks for r in (pr.company_rank, pr.association_rank)]

    def in_top(rank: int | None, top: int = TOP) -> bool:
        return rank is not None and rank <= top

    return Pairs(
        pairs=len(ranks),
        profiles=len(heldout.profiles),
        messages=len(messages),
        messages_placed=sum(1 for m in messages if any(p.sure for p in read_typed(m).parts)),
        mutual_top3=sum(1 for r in ranks if r.mutual),
        mutual_top3_tapped=sum(1 for r in pair_ranks(heldout, tap_first=True) if r.mutual),
        association_side=sum(1 for r in ranks if in_top(r.company_rank)),
        company_side=sum(1 for r in ranks if in_top(r.association_rank)),
        partner_in_top5=sum(1 for r in sides if in_top(r, 5)) / len(sides) if sides else 0.0,
        ranks=ranks,
    )


def _org(
    org_id: int,
    kind: OrgKind,
    *,
    name: str = "",
    description: str = "",
    location: Location = _ANYWHERE,
    needs: tuple[Item, ...] = (),
    offers: tuple[Item, ...] = (),
) -> Organisation:
    return Organisation(
        id=org_id,
        kind=kind,
        name=name or f"Org {org_id}",
        description=description,
        location=location,
        needs=needs,
        offers=offers,
        contact=Contact("x"),
        owner_user_id=org_id,
        owner_username=None,
        language="fr",
        status=OrgStatus.ACTIVE,
        created_at=NOW,
        updated_at=NOW,
        confirmed_at=NOW,
        consented_at=NOW,
    )


# --- everything at once -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetReport:
    """A held-out set (v2, or the retired v1): its phrases, their item matching, its pairs."""

    classification: Classification
    items: ItemMatching  # P@5 / R@5 over its phrases
    pairs: Pairs


@dataclass(frozen=True, slots=True)
class Report:
    tuning: Classification
    tuning_matching: matching_set.Quality
    retired: dict[str, SetReport]  # the retired sets (tuning material), by name ("v1")
    heldouts: dict[str, SetReport]  # the held-out sets measured, by name ("v14")
    pools: tuple[Pairs, ...]  # the pair pools (tuning material for the matching)


def measure(path: Path) -> SetReport:
    held = load_heldout(path)
    return SetReport(classify(held.items), item_matching(held.items), partner_pairs(held))


def report(*, heldout: Iterable[str] = ()) -> Report:
    """Every figure of the tuning material, and of the held-out sets named in `heldout` (each
    run on one of them is a measurement: name only those being measured)."""
    return Report(
        tuning=classify(tuning_items()),
        tuning_matching=matching_set.evaluate(),
        retired={name: measure(path) for name, path in RETIRED_SETS.items()},
        heldouts={name: measure(HELD_OUT_SETS[name]) for name in heldout},
        pools=tuple(partner_pairs(load_heldout(path)) for path in PAIR_POOLS),
    )


def _describe(name: str, result: Classification) -> None:
    print(
        f"{name}: {result.phrases} phrases, accuracy {result.accuracy:.1%}, after the question "
        f"{result.after_question:.1%}, first proposal {result.first_proposal:.1%}, silent "
        f"misfilings {result.misfiled:.1%}, asked {result.asked:.1%}"
    )
    for filing in result.filings:
        if filing.found < filing.parts or filing.misfiled:
            expected = " + ".join("/".join(sorted(p)) for p in filing.item.expect) or "ask"
            shown = [
                (p.category, p.sure, [c for c, _ in p.candidates]) for p in filing.reading.parts
            ]
            flag = "SILENT " if filing.misfiled else ""
            print(f"  {flag}« {filing.item.text} » → {shown} → {expected}")


def main() -> None:
    """The tuning material's figures and failures (the held-out sets are never printed)."""
    from tests.heldout.training import V3_FILE, V5_FILE, load_phrases  # noqa: PLC0415 - cycle

    result = report()
    _describe("tuning set", result.tuning)
    _describe("tuning phrases v3", classify(load_phrases(V3_FILE)))
    _describe("tuning phrases v5", classify(load_phrases(V5_FILE)))
    for version, retired in result.retired.items():
        name = f"retired {version}"
        _describe(name, retired.classification)
        print(
            f"{name} items P@5 {retired.items.precision_at_5:.3f} R@5 "
            f"{retired.items.recall_at_5:.3f}; pairs {retired.pairs.mutual_top3}/"
            f"{retired.pairs.pairs}"
        )
        _misses(retired.pairs)
    for path, pool in zip(PAIR_POOLS, result.pools, strict=True):
        print(f"{path.stem}: pairs {pool.mutual_top3}/{pool.pairs}")
        _misses(pool)


def _misses(pairs: Pairs) -> None:
    for rank in pairs.ranks:
        if not rank.mutual:
            print(
                f"  pair {rank.pair.association} – {rank.pair.company}: "
                f"{rank.company_rank} / {rank.association_rank}"
            )


if __name__ == "__main__":
    main()
