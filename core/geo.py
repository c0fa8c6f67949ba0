"""Where an organisation is: a place key (city) and a region key, from what the user typed.

Users type "Strasbourg", "67000", "67100 Strasbourg", "Alsace", "L-1234 Luxembourg" or "Metz
(57)". Matching only needs to know whether two organisations are in the same city or the same
region, so this module turns the text into two comparable keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
}  # fmt: skip
_CITY_REGION = {
    "luxembourg": "lu", "esch sur alzette": "lu", "differdange": "lu",
    "bruxelles": "be-bruxelles", "brussels": "be-bruxelles", "liege": "be-wallonie",
    "namur": "be-wallonie", "charleroi": "be-wallonie", "mons": "be-wallonie",
    "anvers": "be-flandre", "antwerpen": "be-flandre", "gand": "be-flandre", "gent": "be-flandre",
    "amsterdam": "nl", "rotterdam": "nl", "utrecht": "nl", "den haag": "nl",
}  # fmt: skip
_FR_POSTCODE = re.compile(r"\b(2[ab]\d{3}|97\d{3}|\d{5})\b")
_LU_POSTCODE = re.compile(r"\bl\s?\d{4}\b")
_DEPARTMENT_IN_BRACKETS = re.compile(r"\((\d{2}|2[ab])\)")


@dataclass(frozen=True, slots=True)
class Place:
    """Comparable keys: same `city` means same town; same `region` means close enough."""

    city: str | None
    region: str | None
    remote: bool


def _department(postcode: str) -> str:
    return postcode[:3] if postcode.startswith("97") else postcode[:2]


def place_of(location: Location) -> Place:
    if location.remote:
        return Place(None, None, remote=True)
    raw = location.text.lower()
    text = normalise(location.text)
    region: str | None = None
    if _LU_POSTCODE.search(raw):
        region = "lu"
    elif (postcode := _FR_POSTCODE.search(text)) is not None:
        region = DEPARTMENT_REGION.get(_department(postcode.group(1)))
    elif (bracket := _DEPARTMENT_IN_BRACKETS.search(raw)) is not None:
        region = DEPARTMENT_REGION.get(bracket.group(1))
    # Drop postcodes and district numbers ("Paris 11e", "Lyon 3eme") to keep the town's name.
    words = re.sub(r"\b\d+(e|er|eme|ieme)?\b", " ", text).strip()
    words = re.sub(r"^l ", "", words)  # "L-1234 Luxembourg" → "luxembourg"
    words = " ".join(words.split())
    city = words or None
    if region is None and words:
        if words in _CITY_DEPARTMENT:
            region = DEPARTMENT_REGION.get(_CITY_DEPARTMENT[words])
        elif words in _CITY_REGION:
            region = _CITY_REGION[words]
        elif words in _REGION_WORDS:
            region, city = _REGION_WORDS[words], None
    return Place(city, region, remote=False)
