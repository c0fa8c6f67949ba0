"""The index of every active organisation: who to show first, fast, among 100k.

`MatchIndex` keeps every active organisation in numpy arrays and inverted postings by concept
(and by stemmed word), so that a query touches only the organisations sharing a concept or a
word with it: it scores them all at once with the rules of `core.scoring`, keeps the best few
dozen, and explains those with `explain_pair`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

import numpy as np
import numpy.typing as npt

from core.columns import Column, Gathered, Posting, best, cosines, store
from core.geo import place_of
from core.models import Direction, Item, Organisation, OrgKind, OrgStatus
from core.scoring import Candidate, Weights, concepts, explain_pair, in_person
from core.taxonomy import TAXONOMY, Taxonomy
from core.words import stems

_DEFAULT = Weights()

# Postings of words are kept beside those of categories, under this prefix.
_WORD = "w:"
# A description's stem used by more than this share of the descriptions does not shortlist.
_COMMON = 0.05


def _postings_of(item: Item, weights: Weights) -> dict[str, float]:
    """Where an item is posted in the index: its concepts, and its words (each weighing as in
    a cosine of binary vectors)."""
    found = dict(concepts(item, weights))
    words = stems(item.detail) if item.detail else ()
    for word in words:
        found[f"{_WORD}{word}"] = 1 / math.sqrt(len(words))
    return found


class MatchIndex:
    """Every active organisation, ready to be matched. Not thread-safe; one per process.

    An organisation occupies a *slot*; editing it moves it to a new slot and retires the old
    one, so that the postings only ever grow (and stay fast to append to).
    """

    def __init__(self, taxonomy: Taxonomy = TAXONOMY, weights: Weights = _DEFAULT) -> None:
        self.taxonomy = taxonomy
        self.weights = weights
        self._orgs: dict[int, Organisation] = {}
        self._slot_of: dict[int, int] = {}
        self._slot_org = Column(np.int64)
        self._live = Column(np.bool_)
        self._company = Column(np.bool_)
        self._city = Column(np.int32)
        self._region = Column(np.int32)
        self._remote = Column(np.bool_)
        self._confirmed = Column(np.float64)
        # Where each organisation is (NaN when unknown), for help given in person.
        self._lat = Column(np.float64)
        self._lon = Column(np.float64)
        self._places: dict[str | None, int] = {None: 0}
        self._postings: dict[tuple[Direction, str], Posting] = {}
        # Ids upserted or removed while a background load runs (None when none runs).
        self._edited: set[int] | None = None
        # Each concept's `rarity`, worked out again after any change (`_changes` counts them).
        self._rarities: dict[str, float] = {}
        # How many live organisations each word is posted for (`_live_df`), until a change.
        self._dfs: dict[str, int] = {}
        self._changes = self._rarities_at = self._dfs_at = 0
        # The postings of the descriptions' stems, by stem.
        self._descriptions: dict[str, Posting] = {}

    def __len__(self) -> int:
        return len(self._orgs)

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._orgs

    def get(self, org_id: int) -> Organisation | None:
        return self._orgs.get(org_id)

    def _place_id(self, key: str | None) -> int:
        return self._places.setdefault(key, len(self._places))

    def upsert(self, org: Organisation) -> None:
        """Add or refresh an organisation; a paused one is removed."""
        self._insert([org])

    def upsert_many(self, orgs: Iterable[Organisation]) -> None:
        """Add or refresh many organisations at once: the same index as one `upsert` each, in
        order, built with one numpy copy per column instead of one store per value."""
        self._insert(orgs)

    def remove(self, org_id: int) -> None:
        """Forget an organisation (deleted or paused)."""
        if self._edited is not None:
            self._edited.add(org_id)
        self._forget(org_id)

    def start_loading(self) -> None:
        """A background `load` begins: from now on, every `upsert` and `remove` is remembered,
        so that a stored copy read before that edit cannot overwrite it."""
        self._edited = set()

    def load(self, orgs: Iterable[Organisation]) -> None:
        """Add organisations read from storage, except those edited since `start_loading`
        (the index already holds a newer state of them, or rightly holds none)."""
        edited = self._edited or set()
        self._insert((org for org in orgs if org.id not in edited), track=False)

    def finish_loading(self) -> None:
        self._edited = None

    def _forget(self, org_id: int, pending: list[bool] | None = None, base: int = 0) -> None:
        self._changes += 1
        slot = self._slot_of.pop(org_id, None)
        self._orgs.pop(org_id, None)
        if slot is None:
            return
        if slot >= base and pending is not None:
            pending[slot - base] = False
        else:
            self._live.data[slot] = False

    def _remember(self, org: Organisation, slot: int, described: Gathered[str]) -> None:
        """Keep the organisation, and gather its description's postings (each stem weighing
        as in a cosine of binary vectors)."""
        self._orgs[org.id] = org
        self._slot_of[org.id] = slot
        found = set(stems(org.description))
        for word in found:
            slots, weights = described.setdefault(word, ([], []))
            slots.append(slot)
            weights.append(1 / math.sqrt(len(found)))

    def _insert(self, orgs: Iterable[Organisation], *, track: bool = True) -> None:
        """Give each active organisation a new slot (retiring its old one), gathering every
        column's and posting's new values in lists first and storing them in one go."""
        self._changes += 1
        base = self._slot_org.size
        slot_org: list[int] = []
        live: list[bool] = []
        company: list[bool] = []
        city: list[int] = []
        region: list[int] = []
        remote: list[bool] = []
        confirmed: list[float] = []
        lat: list[float] = []
        lon: list[float] = []
        postings: Gathered[tuple[Direction, str]] = {}
        described: Gathered[str] = {}
        for org in orgs:
            if track and self._edited is not None:
                self._edited.add(org.id)
            self._forget(org.id, live, base)
            if org.status is not OrgStatus.ACTIVE:
                continue
            slot = base + len(slot_org)
            place = place_of(org.location)
            self._remember(org, slot, described)
            slot_org.append(org.id)
            live.append(True)
            company.append(org.kind is OrgKind.COMPANY)
            # City ids are kept apart from region ids by a prefix.
            city.append(self._place_id(f"c:{place.city}") if place.city else 0)
            region.append(self._place_id(f"r:{place.region}") if place.region else 0)
            remote.append(place.remote)
            confirmed.append(org.confirmed_at.timestamp())
            lat.append(place.at[0] if place.at else math.nan)
            lon.append(place.at[1] if place.at else math.nan)
            for direction in Direction:
                best: dict[str, float] = {}
                for item in org.items(direction):
                    for concept, weight in _postings_of(item, self.weights).items():
                        best[concept] = max(best.get(concept, 0.0), weight)
                for concept, weight in best.items():
                    slots, weights = postings.setdefault((direction, concept), ([], []))
                    slots.append(slot)
                    weights.append(weight)
        self._slot_org.extend(slot_org)
        self._live.extend(live)
        self._company.extend(company)
        self._city.extend(city)
        self._region.extend(region)
        self._remote.extend(remote)
        self._confirmed.extend(confirmed)
        self._lat.extend(lat)
        self._lon.extend(lon)
        store(self._postings, postings)
        store(self._descriptions, described)

    def idf(self, word: str) -> float:
        """How telling a word (stem) is: rarer words count more (smoothed inverse document
        frequency over the live organisations' needs and offers: the same before and after
        a restart, whatever was edited since)."""
        return math.log(1 + (1 + len(self._orgs)) / (1 + self._live_df(f"{_WORD}{word}")))

    def described_idf(self, word: str) -> float:
        """How telling a word (stem) of a description is, among the live organisations'
        descriptions: « Luxembourg », in many, tells less than « malvoyants »."""
        return math.log(1 + (1 + len(self._orgs)) / (1 + self._live_df(word)))

    def _live_df(self, key: str) -> int:
        """In how many live slots a word is posted: `w:stem` in needs and offers (once per
        side), a bare stem in descriptions. Worked out again after any change."""
        if self._dfs_at != self._changes:
            self._dfs, self._dfs_at = {}, self._changes
        found = self._dfs.get(key)
        if found is None:
            if key.startswith(_WORD):
                postings = [self._postings.get((d, key)) for d in Direction]
            else:
                postings = [self._descriptions.get(key)]
            live = self._live.view()
            found = self._dfs[key] = sum(
                int(np.count_nonzero(live[p.slots.view()])) for p in postings if p is not None
            )
        return found

    def rarity(self, concept: str) -> float:
        """A concept's weight among the live organisations: its idf (by how many of their
        sides, needs or offers, stand for it) over the mean idf of the concepts some live
        organisation stands for, to the power `Weights.rarity`. Organisations removed or
        edited since leave no trace in it: the same live organisations give the same weights,
        before and after a restart."""
        if self._rarities_at != self._changes:
            live = self._live.view()
            df: dict[str, int] = {}
            for (_, key), posting in self._postings.items():
                if not key.startswith(_WORD):
                    df[key] = df.get(key, 0) + int(np.count_nonzero(live[posting.slots.view()]))
            total = 1 + int(np.count_nonzero(live))
            idf = {key: math.log(1 + total / (1 + n)) for key, n in df.items() if n}
            mean = math.fsum(idf.values()) / len(idf) if idf else 1.0  # in any order
            power = self.weights.rarity
            self._rarities = {key: (value / mean) ** power for key, value in idf.items()}
            self._rarities_at = self._changes
        return self._rarities.get(concept, 1.0)

    def _proximity(self, reader: Organisation) -> npt.NDArray[np.float32] | None:
        """`proximity` of every slot to the reader, or None when the reader is nowhere known."""
        place = place_of(reader.location)
        if place.at is None:
            return None
        lat, lon = np.radians(self._lat.view()), np.radians(self._lon.view())
        here_lat, here_lon = math.radians(place.at[0]), math.radians(place.at[1])
        x = (lon - here_lon) * np.cos((lat + here_lat) / 2)
        km = 6371.0 * np.hypot(x, lat - here_lat)
        w = self.weights
        share = np.clip((km - w.near_km) / (w.far_km - w.near_km), 0, 1)
        factor = 1.0 - share * (1.0 - w.far)
        return np.where(np.isnan(km), w.unknown_place, factor).astype(np.float32)

    def _scores(self, reader: Organisation) -> npt.NDArray[np.float32]:
        """The score of every slot for `reader` before context (0 where nothing is shared): per
        item of the reader, the best concept shared plus how much the words overlap (an
        estimate: the cosine of binary vectors, exact in `explain_pair`), in person weighed
        by distance."""
        n = self._slot_org.size
        w = self.weights
        near: npt.NDArray[np.float32] | None = None
        totals: dict[Direction, npt.NDArray[np.float32]] = {}
        for direction, theirs in (
            (Direction.NEED, Direction.OFFER),
            (Direction.OFFER, Direction.NEED),
        ):
            total = np.zeros(n, dtype=np.float32)
            for item in reader.items(direction):
                best = np.zeros(n, dtype=np.float32)
                for concept, weight in concepts(item, w).items():
                    posting = self._postings.get((theirs, concept))
                    if posting is None:
                        continue
                    telling = weight * self.rarity(concept)
                    values = posting.weights.view().astype(np.float32) * np.float32(telling)
                    np.maximum.at(best, posting.slots.view(), values)
                words = self._word_overlap(item, theirs, n)
                if words is not None:
                    alone = np.where(words >= w.words_alone, words, 0)
                    best = np.where(best > 0, best + w.words * words, w.words * alone)
                if in_person(item):
                    if near is None:
                        near = self._proximity(reader)
                    best = best * (near if near is not None else np.float32(w.unknown_place))
                total += best.astype(np.float32)
            totals[direction] = total
        need, offer = totals[Direction.NEED], totals[Direction.OFFER]
        score = need + offer
        score[(need > 0) & (offer > 0)] *= np.float32(w.win_win)
        return score

    def _word_overlap(
        self, item: Item, theirs: Direction, n: int
    ) -> npt.NDArray[np.float32] | None:
        """Per slot, the cosine of the item's words with the closest of theirs (estimated)."""
        found = stems(item.detail) if item.detail else ()
        postings = [p for word in found if (p := self._postings.get((theirs, f"{_WORD}{word}")))]
        overlap = cosines(postings, len(found), n)
        return None if overlap is None else overlap.astype(np.float32)

    def _description_overlap(self, reader: Organisation) -> npt.NDArray[np.float64] | None:
        """Per slot, how alike its description is to the reader's (an estimate: the cosine of
        binary vectors over the stems fewer than `_COMMON` of the descriptions use; exact in
        `explain_pair`), so that a kindred organisation is shortlisted among many that tie."""
        found = set(stems(reader.description))
        common = _COMMON * len(self._orgs)
        postings = [
            p
            for word in found
            if (p := self._descriptions.get(word)) is not None and self._live_df(word) < common
        ]
        return cosines(postings, len(found), self._slot_org.size)

    def _context_scores(
        self, reader: Organisation, now: datetime, exclude: Iterable[int]
    ) -> npt.NDArray[np.float64]:
        """Every slot's category-level score for `reader`, with context; 0 where ineligible."""
        score = self._scores(reader)
        w = self.weights
        place = place_of(reader.location)
        city = self._places.get(f"c:{place.city}", -1) if place.city else -1
        region = self._places.get(f"r:{place.region}", -1) if place.region else -1
        same_city = self._city.view() == city
        same_region = ~same_city & (self._region.view() == region)
        factor = 1 + w.same_city * same_city + w.same_region * same_region
        factor = factor + w.remote * (self._remote.view() | place.remote)
        age = (now.timestamp() - self._confirmed.view()) / 86400
        factor = factor + w.recency * np.clip(1 - age / w.recency_days, 0, 1)
        # Only live organisations of the other kind, never the reader or an excluded one.
        eligible = self._live.view() & (self._company.view() != (reader.kind is OrgKind.COMPANY))
        excluded = [self._slot_of[i] for i in (*exclude, reader.id) if i in self._slot_of]
        eligible[excluded] = False
        result: npt.NDArray[np.float64] = np.where(eligible, score * factor, 0.0)
        return result

    def top(
        self,
        reader: Organisation,
        *,
        now: datetime,
        k: int = 10,
        exclude: Iterable[int] = (),
        shortlist: int = 50,
    ) -> list[Candidate]:
        """The best `k` organisations of the other kind for `reader`, each with its reasons.

        Everyone is scored in one vectorised pass (categories, an estimate of the words and
        of the descriptions); the best `shortlist` (at least 5 k) are then explained and
        ranked exactly. The words add at most `Weights.detail` per reason, so an organisation
        outside the shortlist rarely belongs in the top k.
        """
        score = self._context_scores(reader, now, exclude)
        hits = int(np.count_nonzero(score))
        if hits == 0:
            return []
        keep = min(hits, max(shortlist, 5 * k))
        chosen = best(score, keep)
        alike = self._description_overlap(reader)
        if alike is not None:
            # Also the best k once descriptions count (estimated): never fewer than before.
            boosted = score * (1 + self.weights.described * alike)
            chosen = np.union1d(chosen, best(boosted, min(hits, k)))
        slots = self._slot_org.view()
        explained = [
            explain_pair(reader, self._orgs[int(slots[s])], now, self.weights, self)
            for s in chosen
            if score[s] > 0
        ]
        explained.sort(key=lambda c: (-c.score, c.org_id))
        return explained[:k]

    def strong_matches(
        self,
        reader: Organisation,
        *,
        now: datetime,
        threshold: float,
        exclude: Iterable[int] = (),
        limit: int | None = None,
    ) -> list[tuple[int, float]]:
        """(organisation id, score) of everyone for whom `reader` scores at least `threshold`
        at the category level, best first. Whom to notify is decided here; the reasons are
        worked out (with `explain_pair`) only for those actually notified."""
        score = self._context_scores(reader, now, exclude)
        found = np.flatnonzero(score >= threshold)
        found = found[np.argsort(-score[found], kind="stable")]
        if limit is not None:
            found = found[:limit]
        slots = self._slot_org.view()
        return [(int(slots[s]), float(score[s])) for s in found]
