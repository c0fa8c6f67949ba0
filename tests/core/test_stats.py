"""The console's pure figures: periods, gaps, the funnel, months in the network's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core import geo, stats
from core.geo import place_of
from core.models import Location
from core.pipeline import Stage
from storage.db import to_db_time

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("2025", "y2025"),
        ("03/2025", "m202503"),
        ("2025-3", "m202503"),
        ("05/02/2025", "r20250205-20250205"),
        ("01/01/2025 30/06/2025", "r20250101-20250630"),
        ("hier", None),
        ("2025 2026", None),
    ],
)
def test_periods_people_type(typed: str, code: str | None) -> None:
    assert stats.period_from_text(typed) == code


def test_periods_are_local_days_and_invalid_ones_refused() -> None:
    """A month starts at local midnight (23:00 UTC in winter); nonsense is refused."""
    march = stats.period_from_code("m202503", NOW, PARIS)
    assert march is not None
    assert march.start == datetime(2025, 2, 28, 23, 0, tzinfo=UTC)
    assert march.end == datetime(2025, 3, 31, 22, 0, tzinfo=UTC), "summer time from 30 March"
    last30 = stats.period_from_code("d30", NOW, PARIS)
    assert last30 is not None
    assert last30.contains(NOW)
    for bad in ("m202513", "r20250230-20250301", "r20250301-20250201", "d0", "x"):
        assert stats.period_from_code(bad, NOW, PARIS) is None


def test_gaps_are_needs_nobody_on_the_other_side_offers() -> None:
    rows = [
        ("association", "need", "web", 5),
        ("association", "need", "legal", 2),
        ("company", "offer", "web", 1),
        ("association", "offer", "legal", 9),  # the same side's offers do not count
        ("company", "need", "volunteers", 1),
    ]
    found = stats.supply(rows)
    assert [(s.category, s.side, s.needs, s.offers) for s in found] == [
        ("legal", "association", 2, 0),
        ("volunteers", "company", 1, 0),
        ("web", "association", 5, 1),
    ]
    assert [s.category for s in found if s.unmet] == ["legal", "volunteers"]


def test_the_funnel_counts_pairs_that_reached_each_stage() -> None:
    """A pair that skipped a stage counts as having passed it; dead ends count where they
    got to; medians are over the recorded steps."""
    steps = stats.funnel(
        {0: 4, 2: 3, 3: 2, 4: 1},
        [("in_contact", 2.0), ("met", 4.0), ("met", 10.0), ("agreed", 7.0), ("carried_out", 1)],
    )
    assert [(s.stage, s.reached) for s in steps] == [
        (Stage.INTRODUCED, 10),
        (Stage.IN_CONTACT, 6),
        (Stage.MET, 6),
        (Stage.AGREED, 3),
        (Stage.CARRIED_OUT, 1),
    ]
    assert steps[0].conversion is None
    assert steps[1].conversion == pytest.approx(0.6)
    assert steps[2].median_days == 7.0


def test_months_are_counted_in_the_network_zone() -> None:
    """A record confirmed at 23:30 UTC on 31 January is in February in Paris."""
    confirmed = [
        ("skills", to_db_time(datetime(2026, 1, 31, 23, 30, tzinfo=UTC))),
        ("skills", to_db_time(datetime(2026, 1, 10, 12, 0, tzinfo=UTC))),
        ("goods", to_db_time(datetime(2026, 4, 2, 12, 0, tzinfo=UTC))),
    ]
    found = stats.recorded(
        [("skills", 2, 10.0, None), ("goods", 1, None, 300.0)],
        confirmed,
        PARIS,
        to_utc_text=to_db_time,
    )
    assert found.by_month == [
        (date(2026, 1, 1), {"skills": 1}),
        (date(2026, 2, 1), {"skills": 1}),
        (date(2026, 3, 1), {}),
        (date(2026, 4, 1), {"goods": 1}),
    ]
    assert (found.count, found.hours, found.value) == (3, 10.0, 300.0)


def test_regions_from_what_people_typed() -> None:
    counts = stats.organisations(
        [
            ("association", "active", "67000 Strasbourg", 0, 3),
            ("company", "removed", "Luxembourg", 0, 1),
            ("company", "active", "", 1, 2),
        ]
    )
    assert counts.total == 6
    assert counts.by_region == [("grand-est", 3), (stats.REMOTE, 2), ("lu", 1)]
    assert counts.by_status == {"active": 5, "removed": 1}


def _geo_regions() -> set[str]:
    """Every region key core.geo can return: its tables of departments, words, cities and
    neighbouring countries, plus the two it names in code."""
    found = set(geo.DEPARTMENT_REGION.values())
    for table in (geo._REGION_WORDS, geo._CITY_REGION, geo._COUNTRY_OF):
        found |= set(table.values())
    return found | {"lu", "nl"}


@pytest.mark.parametrize("region", sorted(_geo_regions()))
def test_every_region_geo_returns_has_a_name_in_both_languages(region: str) -> None:
    """/stats and /export never show a raw key such as « de-rheinland-pfalz »."""
    assert region in stats.REGION_NAMES
    for lang in ("fr", "en"):
        name = stats.region_name(region, lang)
        assert name
        assert name != region


def test_a_german_town_is_named_by_its_land() -> None:
    region = place_of(Location("Trier", False)).region
    assert region is not None
    assert stats.region_name(region, "fr") == "Rhénanie-Palatinat"
    assert stats.region_name(region, "en") == "Rhineland-Palatinate"
