"""The network's figures for the organisers' console (/stats): pure computations on plain rows.

The funnel counts the pairs that *reached* each stage (a pair may skip one: meeting before
saying it was in contact counts as both), its conversion rates are from one step to the next,
and the days between stages are medians over the pairs whose history records both stages (the
history, storage's `partnership_stages`, is written with every move). Months and periods are
in the network's time zone. No I/O, no clock: `now` and the zone are passed in.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import numpy as np

from core.geo import place_of
from core.models import Location
from core.pipeline import Stage

# The stages of the funnel, in order; an ongoing partnership has reached "agreed".
FUNNEL = (Stage.INTRODUCED, Stage.IN_CONTACT, Stage.MET, Stage.AGREED, Stage.CARRIED_OUT)
RANK: dict[str, int] = {stage.value: rank for rank, stage in enumerate(FUNNEL)}
RANK[Stage.ONGOING.value] = RANK[Stage.AGREED.value]

# Every region key core.geo can return, as people name them (French, English).
REGION_NAMES: dict[str, tuple[str, str]] = {
    "grand-est": ("Grand Est", "Grand Est"),
    "hauts-de-france": ("Hauts-de-France", "Hauts-de-France"),
    "ile-de-france": ("Île-de-France", "Île-de-France"),
    "normandie": ("Normandie", "Normandy"),
    "bretagne": ("Bretagne", "Brittany"),
    "pays-de-la-loire": ("Pays de la Loire", "Pays de la Loire"),
    "centre-val-de-loire": ("Centre-Val de Loire", "Centre-Val de Loire"),
    "bourgogne-franche-comte": ("Bourgogne-Franche-Comté", "Bourgogne-Franche-Comté"),
    "auvergne-rhone-alpes": ("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    "nouvelle-aquitaine": ("Nouvelle-Aquitaine", "Nouvelle-Aquitaine"),
    "occitanie": ("Occitanie", "Occitanie"),
    "provence-alpes-cote-d-azur": ("Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "corse": ("Corse", "Corsica"),
    "outre-mer": ("Outre-mer", "Overseas France"),
    "be-wallonie": ("Wallonie", "Wallonia"),
    "be-flandre": ("Flandre", "Flanders"),
    "be-bruxelles": ("Bruxelles", "Brussels"),
    "lu": ("Luxembourg", "Luxembourg"),
    "nl": ("Pays-Bas", "Netherlands"),
    "de-rheinland-pfalz": ("Rhénanie-Palatinat", "Rhineland-Palatinate"),
    "de-saarland": ("Sarre", "Saarland"),
}
REMOTE = "~remote"
UNKNOWN = "~unknown"


def region_name(key: str, lang: str) -> str | None:
    """A region's name in `lang`; None for the two special keys (remote, unknown)."""
    names = REGION_NAMES.get(key)
    if names is None:
        return None if key in (REMOTE, UNKNOWN) else key
    return names[0] if lang == "fr" else names[1]


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in UTC; None on a side means unbounded. `code` rebuilds it in a button."""

    start: datetime | None
    end: datetime | None
    code: str = "all"

    def contains(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (
            self.end is None or moment < self.end
        )


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def period_from_code(code: str, now: datetime, zone: tzinfo) -> Period | None:
    """A period from its short code: all, d30 (the last 30 days), y2025, m202503, or
    r20250101-20250630 (both days included). None if the code makes no sense."""
    today = now.astimezone(zone).date()
    if code == "all":
        return Period(None, None, code)
    if (found := re.fullmatch(r"d(\d{1,4})", code)) and int(found.group(1)) > 0:
        start = _local_midnight(today - timedelta(days=int(found.group(1)) - 1), zone)
        return Period(start, _local_midnight(today + timedelta(days=1), zone), code)
    if found := re.fullmatch(r"y(\d{4})", code):
        year = int(found.group(1))
        start_day = date(year, 1, 1)
        return Period(
            _local_midnight(start_day, zone), _local_midnight(date(year + 1, 1, 1), zone), code
        )
    if found := re.fullmatch(r"m(\d{4})(\d{2})", code):
        year, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12:
            return None
        first = date(year, month, 1)
        return Period(_local_midnight(first, zone), _local_midnight(_next_month(first), zone), code)
    if found := re.fullmatch(r"r(\d{8})-(\d{8})", code):
        try:
            first = date(int(found[1][:4]), int(found[1][4:6]), int(found[1][6:]))
            last = date(int(found[2][:4]), int(found[2][4:6]), int(found[2][6:]))
        except ValueError:
            return None
        if last < first:
            return None
        return Period(
            _local_midnight(first, zone), _local_midnight(last + timedelta(days=1), zone), code
        )
    return None


_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def period_from_text(text: str) -> str | None:
    """The code of a period typed after /stats: 2025, 03/2025, 2025-03, or two days
    (01/01/2025 30/06/2025). None if it is not one of those."""
    words = text.split()
    if len(words) == 1:
        word = words[0]
        if re.fullmatch(r"\d{4}", word):
            return f"y{word}"
        if found := re.fullmatch(r"(\d{1,2})/(\d{4})", word):
            return f"m{found[2]}{int(found[1]):02d}"
        if found := re.fullmatch(r"(\d{4})-(\d{1,2})", word):
            return f"m{found[1]}{int(found[2]):02d}"
        if found := _DAY.fullmatch(word):
            day = f"{found[3]}{int(found[2]):02d}{int(found[1]):02d}"
            return f"r{day}-{day}"
    if len(words) == 2 and all(_DAY.fullmatch(w) for w in words):
        days = [_DAY.fullmatch(w) for w in words]
        first, last = (f"{d[3]}{int(d[2]):02d}{int(d[1]):02d}" for d in days if d)
        return f"r{first}-{last}"
    return None


# --- organisations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrgCounts:
    by_kind: dict[str, int]
    by_status: dict[str, int]
    by_region: list[tuple[str, int]]  # region key, count; most first

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def organisations(rows: Iterable[tuple[str, str, str, int, int]]) -> OrgCounts:
    """From (kind, status, location text, remote, count) rows: counts by kind, by status
    (active, paused, or moderated) and by region."""
    by_kind: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    for kind, status, text, remote, count in rows:
        by_kind[kind] += count
        by_status[status] += count
        place = place_of(Location(text, bool(remote)))
        by_region[REMOTE if place.remote else (place.region or UNKNOWN)] += count
    regions = sorted(by_region.items(), key=lambda pair: (-pair[1], pair[0]))
    return OrgCounts(dict(by_kind), dict(by_status), regions)


# --- needs, offers and gaps -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Supply:
    """One category on one side: how many organisations need it, and how many on the other
    side offer it."""

    category: str
    side: str  # the kind of the organisations that need it
    needs: int
    offers: int

    @property
    def unmet(self) -> bool:
        return self.needs > 0 and self.offers == 0


def supply(rows: Iterable[tuple[str, str, str, int]]) -> list[Supply]:
    """From (kind, direction, category, organisations) rows: for every category needed by one
    side, the offers of the other side. Gaps first (needed, nobody offers), then the most
    needed per offer."""
    counts: dict[tuple[str, str, str], int] = {}
    for kind, direction, category, count in rows:
        counts[(kind, direction, category)] = count
    other = {"association": "company", "company": "association"}
    found = [
        Supply(category, kind, count, counts.get((other[kind], "offer", category), 0))
        for (kind, direction, category), count in counts.items()
        if direction == "need" and kind in other
    ]
    found.sort(key=lambda s: (not s.unmet, -s.needs / (s.offers + 1), s.category, s.side))
    return found


# --- the pipeline funnel --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunnelStep:
    stage: Stage
    reached: int
    conversion: float | None  # reached / reached at the step before
    median_days: float | None  # from the stage before (as recorded) to this one


def funnel(highest: dict[int, int], durations: Sequence[tuple[str, float]]) -> list[FunnelStep]:
    """`highest`: how many pairs have each highest funnel rank (dead ends count at the rank
    they reached before); `durations`: (stage entered, days since the pair's previous funnel
    stage) for every recorded step."""
    by_stage: dict[str, list[float]] = defaultdict(list)
    for stage, elapsed in durations:
        if elapsed >= 0:
            by_stage[stage].append(elapsed)
    steps: list[FunnelStep] = []
    for rank, stage in enumerate(FUNNEL):
        reached = sum(count for top, count in highest.items() if top >= rank)
        before = steps[-1].reached if steps else None
        days = by_stage.get(stage.value)
        steps.append(
            FunnelStep(
                stage,
                reached,
                reached / before if before else None,
                float(np.median(days)) if days and rank > 0 else None,
            )
        )
    return steps


# --- partnerships recorded ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindTotal:
    kind: str
    count: int
    hours: float
    value: float


@dataclass(frozen=True, slots=True)
class Recorded:
    by_kind: list[KindTotal]  # most first
    by_month: list[tuple[date, dict[str, int]]]  # first day of the month (local), kind → count

    @property
    def count(self) -> int:
        return sum(k.count for k in self.by_kind)

    @property
    def hours(self) -> float:
        return sum(k.hours for k in self.by_kind)

    @property
    def value(self) -> float:
        return sum(k.value for k in self.by_kind)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    months = [date(first.year, first.month, 1)]
    while months[-1] < date(last.year, last.month, 1):
        months.append(_next_month(months[-1]))
    return months


def recorded(
    totals: Iterable[tuple[str, int, float | None, float | None]],
    confirmed: Sequence[tuple[str, str]],
    zone: tzinfo,
    *,
    to_utc_text: Callable[[datetime], str],
) -> Recorded:
    """`totals`: (kind, count, hours, value) per kind; `confirmed`: (kind, confirmation time as
    stored, UTC ISO text) per record. Months are counted in `zone`: each stored time is placed
    by comparing its text with the months' starts written the same way (no parsing per row)."""
    by_kind = sorted(
        (KindTotal(kind, count, float(hours or 0), float(value or 0)) for kind, count, hours,
         value in totals),
        key=lambda k: (-k.count, k.kind),
    )  # fmt: skip
    if not confirmed:
        return Recorded(by_kind, [])
    stamps = sorted(text for _, text in confirmed)
    first = datetime.fromisoformat(stamps[0]).astimezone(zone).date()
    last = datetime.fromisoformat(stamps[-1]).astimezone(zone).date()
    months = month_starts(first, last)
    edges = [to_utc_text(_local_midnight(m, zone)) for m in months]
    counts: list[Counter[str]] = [Counter() for _ in months]
    for kind, text in confirmed:
        counts[max(0, bisect.bisect_right(edges, text) - 1)][kind] += 1
    return Recorded(by_kind, [(m, dict(c)) for m, c in zip(months, counts, strict=True)])


# --- speed meetings -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventResult:
    event_id: int
    title: str
    starts_at: datetime
    companies: int
    associations: int
    meetings: int
    partnerships: int  # pairs whose partnership started at the event
    recorded: int  # of which a two-party record was confirmed


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything /stats shows, for one period and optionally one event."""

    period: Period
    event_title: str | None
    organisations: OrgCounts
    supply: list[Supply]
    stages_now: dict[str, int]
    funnel: list[FunnelStep]
    recorded: Recorded
    events: list[EventResult] = field(default_factory=list)

    @property
    def gaps(self) -> list[Supply]:
        return [s for s in self.supply if s.unmet]
