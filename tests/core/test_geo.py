"""Places people type, around Luxembourg and the Greater Region, and how far apart they are."""

from __future__ import annotations

import pytest

from core.geo import country_of, distance_km, place_of
from core.models import Location


@pytest.mark.parametrize(
    ("typed", "city", "region"),
    [
        ("L-1724 Luxembourg", "luxembourg", "lu"),
        ("L-1724", None, "lu"),
        ("Kirchberg", "luxembourg", "lu"),
        ("Luxembourg-Bonnevoie", "luxembourg", "lu"),
        ("Esch/Alzette", "esch sur alzette", "lu"),
        ("Esch-sur-Alzette", "esch sur alzette", "lu"),
        ("57100 Thionville", "thionville", "grand-est"),
        ("Metz (57)", "metz", "grand-est"),
        ("Longwy", "longwy", "grand-est"),
        ("Arlon", "arlon", "be-wallonie"),
        ("Trier", "trier", "de-rheinland-pfalz"),
        ("Saarbrücken", "saarbrucken", "de-saarland"),
        ("Alsace", None, "grand-est"),
        # Belgian and German postcodes, with or without their country letter.
        ("B-6700 Arlon", "arlon", "be-wallonie"),
        ("6700 Arlon", "arlon", "be-wallonie"),
        ("B-6720 Habay-la-Neuve", "habay la neuve", "be-wallonie"),
        ("B-1000 Bruxelles", "bruxelles", "be-bruxelles"),
        ("B-9000", None, "be-flandre"),
        ("D-54290 Trier", "trier", "de-rheinland-pfalz"),
        ("D-66740 Saarlouis", "saarlouis", "de-saarland"),
        ("D-66119", None, "de-saarland"),
        # A German town's five-digit postcode is not a French département (54 nor 66).
        ("54290 Trier", "trier", "de-rheinland-pfalz"),
        ("66111 Saarbrücken", "saarbrucken", "de-saarland"),
        ("D-10115 Berlin", "berlin", "de-other"),
    ],
)
def test_places_of_the_greater_region(typed: str, city: str | None, region: str) -> None:
    place = place_of(Location(typed))
    assert (place.city, place.region) == (city, region)


@pytest.mark.parametrize(
    ("typed", "region", "country"),
    [
        # A street named after a town abroad says nothing of the country.
        ("Route de Trèves, L-2633 Senningerberg", "lu", "LU"),
        ("2 rue d'Arlon, L-8399 Windhof", "lu", "LU"),
        ("Avenue de Trèves, 57000 Metz", "grand-est", "FR"),
        ("Metz (57), près d'Arlon", "grand-est", "FR"),
        # A building or office number is no Belgian postcode beside a French one.
        ("Bureau B-2010, 67000 Strasbourg", "grand-est", "FR"),
        ("Bâtiment B-1200, 57000 Metz", "grand-est", "FR"),
    ],
)
def test_the_postcode_decides_the_country(typed: str, region: str, country: str) -> None:
    """Phone numbers typed without their country code are read as this country's."""
    assert place_of(Location(typed)).region == region
    assert country_of(Location(typed)) == country


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        # Luxembourg's roads are named after the towns they lead to.
        ("12 route de Thionville, L-2610 Luxembourg", "luxembourg"),
        ("283 route d'Arlon, L-8011 Strassen", "strassen"),
        ("Avenue de Trèves, 57000 Metz", "metz"),
        ("rue de Metz, L-4002 Esch-sur-Alzette", "esch sur alzette"),
        ("Metz (57), près d'Arlon", "metz"),
        # « Gare » is a quarter of Luxembourg City, and a station anywhere.
        ("12 rue de la Gare, 57000 Metz", "metz"),
        ("rue de la Gare, Esch-sur-Alzette", "esch sur alzette"),
        ("Luxembourg-Gare", "luxembourg"),
        # One town, its names in several languages.
        ("Trèves", "trier"),
        ("Sarrebruck", "saarbrucken"),
    ],
)
def test_a_street_named_after_a_town_is_not_that_town(typed: str, city: str) -> None:
    place = place_of(Location(typed))
    assert place.city == city
    assert place.at is not None
    assert (distance_km(place, place_of(Location(city.title()))) or 0) < 8


def test_distances_in_km() -> None:
    """Kirchberg to Esch is about 20 km; Metz to Luxembourg about 55; unknown is unknown."""
    kirchberg, esch = place_of(Location("Kirchberg")), place_of(Location("Esch/Alzette"))
    metz, lux = place_of(Location("Metz")), place_of(Location("Luxembourg"))
    assert 15 < (distance_km(kirchberg, esch) or 0) < 25
    assert 50 < (distance_km(metz, lux) or 0) < 60
    assert distance_km(lux, place_of(Location("quelque part"))) is None
    assert distance_km(lux, place_of(Location(remote=True))) is None
    # A Luxembourg postcode without a town is placed in its area.
    near_esch = distance_km(place_of(Location("L-4002")), esch)
    assert near_esch is not None
    assert near_esch < 5
    # So is a Belgian or German one: B-6760 is Virton, D-54290 Trier.
    virton, trier = place_of(Location("Virton")), place_of(Location("Trier"))
    for postcode, town in (("B-6760", virton), ("D-54290", trier)):
        km = distance_km(place_of(Location(postcode)), town)
        assert km is not None
        assert km < 5


# The main towns of the networks' area: Alsace, Lorraine, Luxembourg's 12 cantons, Wallonia,
# Saarland and Trier. Each is placed (a distance can be said) and in its region.
MAIN_TOWNS = {
    "grand-est": "Colmar Mulhouse Haguenau Sélestat Saverne Thionville Forbach Sarreguemines "
    "Épinal Longwy Verdun",
    "lu": "Capellen Clervaux Diekirch Echternach Esch-sur-Alzette Grevenmacher Luxembourg "
    "Mersch Redange-sur-Attert Remich Vianden Wiltz Colmar-Berg",
    "be-wallonie": "Arlon Bastogne Namur Liège",
    "de-saarland": "Saarbrücken Saarlouis Merzig",
    "de-rheinland-pfalz": "Trier",
}


@pytest.mark.parametrize(
    ("typed", "region"),
    [(town, region) for region, towns in MAIN_TOWNS.items() for town in towns.split()],
)
def test_main_towns_of_the_area_are_placed(typed: str, region: str) -> None:
    place = place_of(Location(typed))
    assert place.at is not None
    assert place.region == region


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("Colmar", "Strasbourg", 55, 70),  # by road some 75 km; as the crow flies ~62
        ("Sélestat", "Saverne", 45, 60),
        ("Colmar", "Luxembourg", 180, 205),
        ("Colmar-Berg", "Mersch", 3, 12),  # Luxembourg's Colmar-Berg, not Alsace's Colmar
        ("Thionville", "Saarbrücken", 60, 75),
        ("Arlon", "Trier", 55, 70),
    ],
)
def test_distances_between_main_towns_are_plausible(a: str, b: str, low: int, high: int) -> None:
    km = distance_km(place_of(Location(a)), place_of(Location(b)))
    assert km is not None
    assert low <= km <= high
