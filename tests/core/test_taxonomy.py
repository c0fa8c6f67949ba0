"""The taxonomy understands users' own words, in French and English."""

from __future__ import annotations

import pytest

from core.taxonomy import TAXONOMY
from core.text import normalise


@pytest.mark.parametrize(
    ("words", "category"),
    [
        ("site internet", "web"),
        ("Refaire notre site web", "web"),
        ("web site creation", "web"),
        ("comptabilité", "accounting"),
        ("Comptabilite", "accounting"),
        ("bookkeeping", "accounting"),
        ("un logo", "design"),
        ("conseil en communication", "comms"),
        ("marketing advice", "comms"),
        ("des bénévoles pour samedi", "volunteers"),
        ("salle de réunion", "premises"),
        ("une camionnette", "vehicles"),
        ("tree planting", "team_building"),
        ("ordinateurs portables", "it_equipment"),
    ],
)
def test_guess_recognises_everyday_words(words: str, category: str) -> None:
    """Typed needs land in the category a person would pick."""
    assert TAXONOMY.guess(words) == category


@pytest.mark.parametrize("words", ["blablabla zzz", "?", "", "qwertyuiop"])
def test_guess_admits_when_it_does_not_know(words: str) -> None:
    """Nonsense gets no category rather than a wrong one."""
    assert TAXONOMY.guess(words) is None


def test_every_category_is_bilingual_in_a_known_family() -> None:
    """Each category has both labels, synonyms, and a family that exists."""
    ids = [c.id for c in TAXONOMY.categories]
    assert len(ids) == len(set(ids))
    for category in TAXONOMY.categories:
        assert category.fr
        assert category.en
        assert len(category.synonyms) >= 3
        assert TAXONOMY.has_family(category.family)
        assert len(f"r:tog:{category.id}".encode()) <= 64
    assert all(TAXONOMY.in_family(f.id) for f in TAXONOMY.families)


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("  Économie, CIRCULAIRE !") == "economie circulaire"
