"""Where an organisation is: a place key (city) and a region key, from what the user typed.

Users type "Strasbourg", "67000", "67100 Strasbourg", "Alsace", "L-1234 Luxembourg" or "Metz
(57)". Matching only needs to know whether two organisations are in the same city or the same
region, so this module turns the text into two comparable keys.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from core.models import Location
from core.text import normalise

# French departments by region (metropolitan France and overseas).
_REGIONS: dict[str, str] = {
    "grand-est": "08 10 51 52 54 55 57 67 68 88",
    "hauts-de-france": "02 59 60 62 80",
    "ile-de-france": "75 77 78 91 92 93 94 95",
    "normandie": "14 27 50 61 76",
    "bretagne": "22 29 35 56",
    "pays-de-la-loire": "44 49 53 72 85",
    "centre-val-de-loire": "18 28 36 37 41 45",
    "bourgogne-franche-comte": "21 25 39 58 70 71 89 90",
    "auvergne-rhone-alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "nouvelle-aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "provence-alpes-cote-d-azur": "04 05 06 13 83 84",
    "corse": "2a 2b 20",
    "outre-mer": "971 972 973 974 976",
}
DEPARTMENT_REGION = {dep: region for region, deps in _REGIONS.items() for dep in deps.split()}

# Region names people type, and the larger cities of the networks' areas with their department.
_REGION_WORDS = {
    "alsace": "grand-est", "lorraine": "grand-est", "champagne": "grand-est",
    "grand est": "grand-est", "ile de france": "ile-de-france", "idf": "ile-de-france",
    "bretagne": "bretagne", "normandie": "normandie", "occitanie": "occitanie",
    "hauts de france": "hauts-de-france", "nouvelle aquitaine": "nouvelle-aquitaine",
    "auvergne rhone alpes": "auvergne-rhone-alpes", "paca": "provence-alpes-cote-d-azur",
    "wallonie": "be-wallonie", "wallonia": "be-wallonie", "flandre": "be-flandre",
    "vlaanderen": "be-flandre", "flanders": "be-flandre", "bruxelles": "be-bruxelles",
    "brussels": "be-bruxelles", "luxembourg": "lu", "letzebuerg": "lu",
}  # fmt: skip
_CITY_DEPARTMENT = {
    "strasbourg": "67", "mulhouse": "68", "colmar": "68", "metz": "57", "nancy": "54",
    "reims": "51", "troyes": "10", "epinal": "88", "thionville": "57", "haguenau": "67",
    "paris": "75", "lyon": "69", "marseille": "13", "lille": "59", "toulouse": "31",
    "nantes": "44", "bordeaux": "33", "rennes": "35", "montpellier": "34", "nice": "06",
    "grenoble": "38", "dijon": "21", "besancon": "25", "rouen": "76", "amiens": "80",
    "longwy": "54", "villerupt": "54", "hayange": "57", "yutz": "57", "forbach": "57",
    "sarreguemines": "57", "saint avold": "57", "audun le tiche": "57", "briey": "54",
    "hettange grande": "57", "cattenom": "57", "sierck les bains": "57", "verdun": "55",
    "bar le duc": "55", "sedan": "08", "charleville mezieres": "08", "pont a mousson": "54",
    "luneville": "54", "toul": "54", "sarrebourg": "57", "selestat": "67", "saverne": "67",
    "obernai": "67", "molsheim": "67", "wissembourg": "67", "bischwiller": "67",
    "schiltigheim": "67", "illkirch graffenstaden": "67", "guebwiller": "68",
    "saint die des vosges": "88", "remiremont": "88",
}  # fmt: skip
_CITY_REGION = {
    "luxembourg": "lu", "esch sur alzette": "lu", "differdange": "lu",
    "bruxelles": "be-bruxelles", "brussels": "be-bruxelles", "liege": "be-wallonie",
    "namur": "be-wallonie", "charleroi": "be-wallonie", "mons": "be-wallonie",
    "anvers": "be-flandre", "antwerpen": "be-flandre", "gand": "be-flandre", "gent": "be-flandre",
    "amsterdam": "nl", "rotterdam": "nl", "utrecht": "nl", "den haag": "nl",
}  # fmt: skip
# Where places are, to say "📍 25 km" and to weigh distance for help given in person. The
# networks' area first: Luxembourg's communes and the quarters of its capital, the French
# départements around (Moselle, Meurthe-et-Moselle, Meuse, Ardennes, Alsace, Vosges), Belgian
# and German border towns (the Greater Region), then the larger cities elsewhere.
# name → (latitude, longitude); quarters map to their commune through `_QUARTERS`.
_COORDS: dict[str, tuple[float, float]] = {
    # Luxembourg
    "luxembourg": (49.612, 6.130), "esch sur alzette": (49.496, 5.981),
    "differdange": (49.524, 5.891), "dudelange": (49.481, 6.087), "petange": (49.558, 5.877),
    "sanem": (49.547, 5.931), "belvaux": (49.510, 5.930), "schifflange": (49.506, 6.012),
    "bettembourg": (49.518, 6.103), "kayl": (49.488, 6.040), "rumelange": (49.460, 6.030),
    "mondercange": (49.530, 5.990), "hesperange": (49.573, 6.151), "strassen": (49.620, 6.073),
    "bertrange": (49.611, 6.050), "mamer": (49.627, 6.023), "steinfort": (49.660, 5.920),
    "walferdange": (49.660, 6.130), "mersch": (49.749, 6.106), "ettelbruck": (49.847, 6.104),
    "diekirch": (49.868, 6.159), "wiltz": (49.966, 5.932), "clervaux": (50.055, 6.029),
    "vianden": (49.935, 6.208), "echternach": (49.812, 6.418), "grevenmacher": (49.680, 6.440),
    "remich": (49.545, 6.367), "mondorf les bains": (49.505, 6.281),
    "wasserbillig": (49.715, 6.500), "junglinster": (49.716, 6.253), "redange": (49.765, 5.889),
    "sandweiler": (49.616, 6.217), "niederanven": (49.651, 6.255), "contern": (49.585, 6.227),
    "leudelange": (49.590, 6.070), "kehlen": (49.670, 6.030), "lintgen": (49.720, 6.130),
    "schengen": (49.470, 6.360), "larochette": (49.780, 6.220), "troisvierges": (50.120, 6.000),
    "capellen": (49.645, 5.990), "bascharage": (49.570, 5.910), "rodange": (49.546, 5.840),
    "sanem belvaux": (49.510, 5.930), "kaerjeng": (49.580, 5.900), "beckerich": (49.730, 5.890),
    "colmar berg": (49.811, 6.092), "mertert": (49.703, 6.481), "berdorf": (49.820, 6.350),
    # France: the départements around, and the larger cities
    "metz": (49.119, 6.176), "thionville": (49.357, 6.168), "nancy": (48.692, 6.184),
    "longwy": (49.519, 5.766), "villerupt": (49.467, 5.930), "audun le tiche": (49.472, 5.955),
    "hayange": (49.329, 6.062), "yutz": (49.360, 6.190), "forbach": (49.188, 6.896),
    "sarreguemines": (49.110, 7.070), "saint avold": (49.100, 6.710), "verdun": (49.160, 5.380),
    "epinal": (48.170, 6.450), "strasbourg": (48.573, 7.752), "mulhouse": (47.750, 7.340),
    "colmar": (48.079, 7.358), "reims": (49.258, 4.032), "troyes": (48.297, 4.074),
    "charleville mezieres": (49.770, 4.720), "bar le duc": (48.770, 5.160),
    "haguenau": (48.815, 7.790), "sedan": (49.700, 4.940), "hettange grande": (49.400, 6.150),
    "cattenom": (49.410, 6.240), "sierck les bains": (49.440, 6.360), "briey": (49.250, 5.940),
    "pont a mousson": (48.900, 6.050), "luneville": (48.590, 6.500), "toul": (48.680, 5.890),
    "sarrebourg": (48.730, 7.050), "selestat": (48.259, 7.454), "saverne": (48.741, 7.362),
    "obernai": (48.462, 7.482), "molsheim": (48.542, 7.492), "wissembourg": (49.037, 7.946),
    "bischwiller": (48.767, 7.857), "schiltigheim": (48.607, 7.750),
    "illkirch graffenstaden": (48.530, 7.715), "guebwiller": (47.909, 7.210),
    "saint die des vosges": (48.285, 6.949), "remiremont": (48.017, 6.590),
    "paris": (48.857, 2.352), "lyon": (45.764, 4.836),
    "lille": (50.629, 3.057), "marseille": (43.297, 5.370), "toulouse": (43.604, 1.444),
    "bordeaux": (44.838, -0.579), "nantes": (47.218, -1.554), "dijon": (47.322, 5.041),
    # Belgium
    "arlon": (49.683, 5.816), "aubange": (49.567, 5.805), "athus": (49.561, 5.835),
    "messancy": (49.593, 5.818), "virton": (49.567, 5.532), "bastogne": (50.003, 5.719),
    "martelange": (49.830, 5.740), "libramont": (49.920, 5.380), "marche en famenne": (50.23, 5.34),
    "liege": (50.633, 5.567), "namur": (50.467, 4.867), "bruxelles": (50.850, 4.350),
    "brussels": (50.850, 4.350), "charleroi": (50.410, 4.440), "mons": (50.450, 3.950),
    "eupen": (50.630, 6.030), "saint vith": (50.280, 6.130),
    # Germany
    "trier": (49.750, 6.637), "saarbrucken": (49.234, 6.994), "perl": (49.473, 6.390),
    "merzig": (49.443, 6.637), "saarlouis": (49.313, 6.752),
    "bitburg": (49.967, 6.527), "konz": (49.700, 6.580), "saarburg": (49.610, 6.550),
    "wittlich": (49.990, 6.890), "kaiserslautern": (49.440, 7.770),
}  # fmt: skip
# Other spellings people type.
_ALIASES = {
    "esch alzette": "esch sur alzette", "esch": "esch sur alzette",
    "esch uelzecht": "esch sur alzette",
    "letzebuerg": "luxembourg", "luxembourg ville": "luxembourg", "luxembourg city": "luxembourg",
    "ville de luxembourg": "luxembourg", "luxemburg": "luxembourg", "mondorf": "mondorf les bains",
    "charleville": "charleville mezieres", "saint vith": "saint vith", "st vith": "saint vith",
    "sankt vith": "saint vith", "st avold": "saint avold", "ettelbrueck": "ettelbruck",
    "redange sur attert": "redange", "illkirch": "illkirch graffenstaden",
    "saint die": "saint die des vosges", "st die": "saint die des vosges",
    "schlettstadt": "selestat", "zabern": "saverne", "mulhausen": "mulhouse",
    "treves": "trier", "sarrebruck": "saarbrucken", "saarbruecken": "saarbrucken",
    "sarrelouis": "saarlouis",
}  # fmt: skip
# Quarters of Luxembourg City: the same town, each at its own place.
_QUARTERS: dict[str, tuple[float, float]] = {
    "kirchberg": (49.628, 6.161), "gare": (49.600, 6.133), "bonnevoie": (49.598, 6.143),
    "limpertsberg": (49.620, 6.121), "belair": (49.611, 6.110), "cloche d or": (49.580, 6.118),
    "gasperich": (49.585, 6.123), "hollerich": (49.598, 6.115), "merl": (49.606, 6.102),
    "hamm": (49.611, 6.175), "cents": (49.615, 6.165), "neudorf": (49.618, 6.155),
    "weimerskirch": (49.626, 6.140), "eich": (49.630, 6.135), "dommeldange": (49.636, 6.138),
    "beggen": (49.641, 6.136), "cessange": (49.590, 6.100), "pfaffenthal": (49.617, 6.132),
    "clausen": (49.612, 6.140), "grund": (49.608, 6.136), "ville haute": (49.611, 6.130),
    "rollingergrund": (49.617, 6.103), "muhlenbach": (49.627, 6.123), "howald": (49.580, 6.140),
}  # fmt: skip
_COUNTRY_OF = {
    **dict.fromkeys(("arlon", "aubange", "athus", "messancy", "virton", "bastogne", "martelange",
                     "libramont", "marche en famenne", "eupen", "saint vith"), "be-wallonie"),
    **dict.fromkeys(("trier", "bitburg", "konz", "saarburg", "wittlich",
                     "kaiserslautern"),
                    "de-rheinland-pfalz"),
    **dict.fromkeys(("saarbrucken", "perl", "merzig", "saarlouis"), "de-saarland"),
}  # fmt: skip
# Where a département is when only its number is known (its prefecture).
_DEPARTMENT_COORDS = {
    "57": (49.119, 6.176), "54": (48.692, 6.184), "55": (49.160, 5.380), "08": (49.770, 4.720),
    "67": (48.573, 7.752), "68": (47.750, 7.340), "88": (48.170, 6.450), "51": (49.258, 4.032),
    "10": (48.297, 4.074), "52": (48.110, 5.140), "75": (48.857, 2.352),
}  # fmt: skip
# Luxembourg postcodes by their first two digits (L-1xxx and L-2xxx are the capital).
_LU_POSTCODE_AREAS: dict[str, str] = {
    f"{prefix:02d}": commune
    for span, commune in (
        ((10, 29), "luxembourg"), ((30, 32), "bettembourg"), ((33, 35), "dudelange"),
        ((36, 39), "kayl"), ((40, 43), "esch sur alzette"), ((44, 46), "differdange"),
        ((47, 49), "petange"), ((50, 52), "hesperange"), ((53, 57), "remich"),
        ((58, 59), "hesperange"), ((60, 63), "junglinster"), ((64, 65), "echternach"),
        ((66, 69), "grevenmacher"), ((70, 73), "walferdange"), ((74, 79), "mersch"),
        ((80, 83), "bertrange"), ((84, 89), "redange"), ((90, 92), "ettelbruck"),
        ((93, 95), "wiltz"), ((96, 99), "clervaux"),
    )
    for prefix in range(span[0], span[1] + 1)
}  # fmt: skip
# Belgian postcodes (B-6700) by range: (first, last, region, the town they are placed at).
_BE_POSTCODE_AREAS = (
    (1000, 1299, "be-bruxelles", "bruxelles"), (1300, 1499, "be-wallonie", None),
    (1500, 3999, "be-flandre", None), (4000, 4699, "be-wallonie", "liege"),
    (4700, 4799, "be-wallonie", "eupen"), (4800, 4999, "be-wallonie", "liege"),
    (5000, 5999, "be-wallonie", "namur"), (6000, 6599, "be-wallonie", "charleroi"),
    (6600, 6699, "be-wallonie", "bastogne"), (6700, 6759, "be-wallonie", "arlon"),
    (6760, 6769, "be-wallonie", "virton"), (6770, 6789, "be-wallonie", "messancy"),
    (6790, 6799, "be-wallonie", "aubange"), (6800, 6899, "be-wallonie", "libramont"),
    (6900, 6999, "be-wallonie", "marche en famenne"), (7000, 7999, "be-wallonie", "mons"),
    (8000, 9999, "be-flandre", None),
)  # fmt: skip
# German postcodes (D-54290) of the Greater Region, by their first two digits.
_DE_POSTCODE_AREAS = {
    "54": ("de-rheinland-pfalz", "trier"), "55": ("de-rheinland-pfalz", None),
    "56": ("de-rheinland-pfalz", None), "66": ("de-saarland", "saarbrucken"),
    "67": ("de-rheinland-pfalz", "kaiserslautern"),
}  # fmt: skip
_BE_POSTCODE = re.compile(r"\bb\s*-\s*(\d{4})\b")
_DE_POSTCODE = re.compile(r"\bd\s*-\s*(\d{5})\b")
_FR_POSTCODE = re.compile(r"\b(2[ab]\d{3}|97\d{3}|\d{5})\b")
_LU_POSTCODE = re.compile(r"\bl\s*-?\s*(\d{4})\b")
_DEPARTMENT_IN_BRACKETS = re.compile(r"\((\d{2}|2[ab])\)")
_EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Place:
    """Comparable keys: same `city` means same town; same `region` means close enough.
    `at` is (latitude, longitude) when the place is known, to measure distances."""

    city: str | None
    region: str | None
    remote: bool
    at: tuple[float, float] | None = None


def _department(postcode: str) -> str:
    return postcode[:3] if postcode.startswith("97") else postcode[:2]


def _region_of(commune: str) -> str | None:
    """The region of a town we know."""
    if commune in _LU_COMMUNES:
        return "lu"
    found = _CITY_REGION.get(commune) or _COUNTRY_OF.get(commune)
    if found is None and commune in _CITY_DEPARTMENT:
        found = DEPARTMENT_REGION.get(_CITY_DEPARTMENT[commune])
    return found


_NAMES = sorted([*_COORDS, *_ALIASES], key=len, reverse=True)
_QUARTER_NAMES = sorted(_QUARTERS, key=len, reverse=True)


def _known_name(words: str, regions: set[str]) -> tuple[str, tuple[float, float], bool] | None:
    """The town or quarter the words name: (commune, where, a quarter). The longest town
    name, unless it is in none of `regions` (when a postcode gave some): « route d'Arlon,
    L-8011 Strassen » is in Strassen. A quarter of Luxembourg City (« Kirchberg », « Gare »)
    only when no other town is named: « rue de la Gare, Esch » is in Esch."""
    padded = f" {words} "

    def fits(commune: str) -> bool:
        return not regions or _region_of(commune) in regions

    towns = [_ALIASES.get(n, n) for n in _NAMES if f" {n} " in padded]
    towns = [t for t in towns if fits(t)]
    elsewhere = [t for t in towns if t != "luxembourg"]
    if elsewhere:
        return elsewhere[0], _COORDS[elsewhere[0]], False
    quarter = next((q for q in _QUARTER_NAMES if f" {q} " in padded), None)
    if quarter is not None and fits("luxembourg"):
        return "luxembourg", _QUARTERS[quarter], True
    return ("luxembourg", _COORDS["luxembourg"], False) if towns else None


def distance_km(a: Place, b: Place) -> float | None:
    """How far apart two places are, in km, when both are known."""
    if a.at is None or b.at is None:
        return None
    (lat1, lon1), (lat2, lon2) = a.at, b.at
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return _EARTH_KM * math.hypot(x, y)


@lru_cache(maxsize=16384)
def place_of(location: Location) -> Place:
    if location.remote:
        return Place(None, None, remote=True)
    raw = location.text.lower()
    text = normalise(location.text)
    region: str | None = None
    at: tuple[float, float] | None = None
    french: str | None = None  # a five-digit postcode, read as French
    lu_postcode = _LU_POSTCODE.search(raw)
    if lu_postcode:
        region = "lu"
        area = _LU_POSTCODE_AREAS.get(lu_postcode.group(1)[:2])
        at = _COORDS.get(area) if area else None
    elif (abroad := _abroad_postcode(raw)) is not None:
        region, town = abroad
        at = _COORDS.get(town) if town else None
    elif (postcode := _FR_POSTCODE.search(text)) is not None:
        french = postcode.group(1)
        department = _department(french)
        region = DEPARTMENT_REGION.get(department)
        at = _DEPARTMENT_COORDS.get(department)
    elif (bracket := _DEPARTMENT_IN_BRACKETS.search(raw)) is not None:
        region = DEPARTMENT_REGION.get(bracket.group(1))
        at = _DEPARTMENT_COORDS.get(bracket.group(1))
    # Drop postcodes and district numbers ("Paris 11e", "Lyon 3eme") to keep the town's name.
    words = re.sub(r"\b\d+(e|er|eme|ieme)?\b", " ", text).strip()
    words = re.sub(r"^[lbd]\b", "", words)  # "L-1234 Luxembourg", "B-6700 Arlon", "D-54290 Trier"
    words = " ".join(words.split())
    city = words or None
    # The regions a postcode allows: a German town's own five-digit postcode is no French
    # département ("54290 Trier").
    regions = {region} if region else set()
    if french is not None and french[:2] in _DE_POSTCODE_AREAS:
        regions.add(_DE_POSTCODE_AREAS[french[:2]][0])
    known = _known_name(words, regions) if words else None
    if known is not None:
        # A town or quarter we know: "Kirchberg", "Esch/Alzette", "57100 Thionville".
        city, at = known[0], known[1]
        region = _region_of(city) or region
    if region is None and words:
        if words in _CITY_DEPARTMENT:
            region = DEPARTMENT_REGION.get(_CITY_DEPARTMENT[words])
        elif words in _CITY_REGION:
            region = _CITY_REGION[words]
        elif words in _REGION_WORDS:
            region, city = _REGION_WORDS[words], None
    return Place(city, region, remote=False, at=at)


def _abroad_postcode(raw: str) -> tuple[str, str | None] | None:
    """(region, town placed at) of a Belgian (B-6700) or German (D-54290) postcode, unless a
    French postcode is there too (« Bureau B-2010, 67000 Strasbourg »)."""
    belgian, german = _BE_POSTCODE.search(raw), _DE_POSTCODE.search(raw)
    own = german.group(1) if german else None
    if any(m.group(1) != own for m in _FR_POSTCODE.finditer(raw)):
        return None
    if belgian is not None:
        number = int(belgian.group(1))
        for first, last, region, town in _BE_POSTCODE_AREAS:
            if first <= number <= last:
                return region, town
    if own is not None:
        return _DE_POSTCODE_AREAS.get(own[:2], ("de-other", None))
    return None


_LU_COMMUNES = frozenset(list(_COORDS)[: list(_COORDS).index("metz")])


def country_of(location: Location) -> str | None:
    """The country (ISO code) a location is in, when we can tell: "LU", "FR", "BE", "DE",
    "NL"; None for "remote" or an unknown place. Phone numbers typed without their country
    code are read as this country's."""
    region = place_of(location).region
    if region is None:
        return None
    if region == "lu":
        return "LU"
    if region == "nl":
        return "NL"
    if region.startswith(("be-", "de-")):
        return region[:2].upper()
    return "FR"
