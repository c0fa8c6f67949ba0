"""The taxonomy's data: families, categories and the words people use for each.

The data is `core/data/vocabulary.toml` (its header says how the words are written: weak « ~ »,
generic « * » and acronym terms, and the layers each category's words come in); this module
reads it once into frozen dataclasses. `core.taxonomy` reads typed words with them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VOCABULARY_FILE = Path(__file__).with_name("data") / "vocabulary.toml"
# Each category's words, in the order they are read (the order matters when two terms tie).
LAYERS = ("", "_field", "_phone", "_typed")


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    emoji: str
    fr: str
    en: str

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of thing exchanged, with the words people use for it in each language.

    In `fr_terms` and `en_terms`, a term starting with « ~ » is *weak*: it points to the
    category but is not enough on its own to file a phrase there without asking (« bureau » is
    an office, a desk or a board; "community" is an audience or a community day). A term
    starting with « * » is *generic*: alone it names the category, beside another term it gives
    way (« bilan » is accounting, « bilan environnemental » is not). A term in capitals is an
    acronym, read as such only when typed in capitals (« CA », "IT", not « ça », "it").
    """

    id: str
    family: str
    fr: str
    en: str
    fr_terms: tuple[str, ...]
    en_terms: tuple[str, ...]

    @property
    def synonyms(self) -> tuple[str, ...]:
        return tuple(t.lstrip("~*") for t in (*self.fr_terms, *self.en_terms))

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


def _terms(row: dict[str, Any], lang: str) -> tuple[str, ...]:
    return tuple(term for layer in LAYERS for term in row.get(f"{lang}{layer}", ()))


def _load(path: Path) -> tuple[tuple[Family, ...], tuple[Category, ...], frozenset[str]]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    families = tuple(
        Family(f["id"], f["emoji"], f["label_fr"], f["label_en"]) for f in data["family"]
    )
    categories = tuple(
        Category(
            c["id"], c["family"], c["label_fr"], c["label_en"], _terms(c, "fr"), _terms(c, "en")
        )
        for c in data["category"]
    )
    in_person = frozenset(c["id"] for c in data["category"] if c.get("in_person"))
    return families, categories, in_person


FAMILIES, CATEGORIES, IN_PERSON = _load(VOCABULARY_FILE)
