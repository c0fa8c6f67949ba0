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
        ("ordinateurs portables", "it_equipment"),
    ],
)
def test_guess_recognises_everyday_words(words: str, category: str) -> None:
    """Typed needs land in the category a person would pick."""
    assert TAXONOMY.guess(words) == category


def test_a_phrase_of_two_categories_is_filed_under_one_of_them() -> None:
    """A tree-planting day is a team day and an environmental action: either is right."""
    assert TAXONOMY.guess("tree planting") in {"team_building", "csr_environment"}


@pytest.mark.parametrize("words", ["blablabla zzz", "?", "", "qwertyuiop"])
def test_guess_admits_when_it_does_not_know(words: str) -> None:
    """Nonsense gets no category rather than a wrong one."""
    assert TAXONOMY.guess(words) is None


@pytest.mark.parametrize(
    ("words", "category"),
    [
        ("aide pour la compta", "accounting"),
        ("fiches de paie", "accounting"),
        ("payroll", "accounting"),
        ("2 PC pour le secrétariat", "it_equipment"),
        ("des ordis", "it_equipment"),
        ("préparer notre AG", "strategy"),
        ("un CRM pour nos donateurs", "it"),
        ("des bénévs samedi", "volunteers"),
        ("plan de com", "comms"),
        # The head of the phrase decides, not a word of its purpose or complement.
        ("database for our volunteers", "it"),
        ("translation of our brochure", "translation"),
        ("traduction de notre site en allemand", "translation"),
        # (a waste audit: the environment, or the circular economy, as people labelled it)
        ("bilan de nos déchets", "csr_environment circular"),
        # A word read through the stemmer's accident is not that word.
        ("une imprimante", "it_equipment"),
        ("des livres pour notre bibliothèque", "supplies"),
    ],
)
def test_abbreviations_and_the_head_of_the_phrase(words: str, category: str) -> None:
    """The right category comes first: filed, or the first button of the question (`category`
    lists the right ones)."""
    right = set(category.split())
    reading = TAXONOMY.read(words)
    assert reading.parts[0].category in right
    assert TAXONOMY.guess(words) in {*right, None}


def test_a_second_category_close_behind_is_offered_too() -> None:
    """ "accounting software" is software and accounting, close together: never filed
    silently under one of them, both offered as the first two buttons."""
    reading = TAXONOMY.read("accounting software")
    assert not reading.sure
    assert {c for c, _ in reading.parts[0].candidates[:2]} == {"it", "accounting"}


def test_a_clear_typo_in_a_long_word_is_read_as_the_word() -> None:
    """« comtabilité » is one letter off « comptabilité », and nothing else is as close."""
    assert TAXONOMY.guess("comtabilité") == "accounting"
    assert TAXONOMY.guess("formaton") == "hr"


def test_an_acronym_counts_only_in_capitals() -> None:
    """« CA » is the board; « ça » is "that"."""
    assert TAXONOMY.guess("Le CA") == "strategy"
    assert TAXONOMY.read("ça nous aiderait").parts == ()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("un logo et un site internet", [("design", "un logo"), ("web", "un site internet")]),
        ("des bénévoles et un local", [("volunteers", "des bénévoles"), ("premises", "un local")]),
        (
            "formation excel + un ordi portable",
            [("hr", "formation excel"), ("it_equipment", "un ordi portable")],
        ),
    ],
)
def test_several_needs_in_one_sentence_become_several_parts(
    words: str, expected: list[tuple[str, str]]
) -> None:
    """Each part offers its category (« formation excel » is training, or Excel: the person
    taps which), and each part is confirmed by the user."""
    reading = TAXONOMY.read(words)
    assert [p.words for p in reading.parts] == [w for _, w in expected]
    for part, (category, _) in zip(reading.parts, expected, strict=True):
        assert category in {c for c, _ in part.candidates}
    assert not reading.sure


@pytest.mark.parametrize(
    "words",
    [
        "conseil juridique et RGPD",
        "imprimerie : flyers et affiches",
        "fruits et légumes",
        "lunch and learn",
        "compta/paie",
    ],
)
def test_one_thing_said_with_and_stays_one_part(words: str) -> None:
    reading = TAXONOMY.read(words)
    assert len(reading.parts) == 1
    assert reading.parts[0].words == words


@pytest.mark.parametrize("words", ["un coup de main", "du matériel", "des bureaux"])
def test_weak_words_are_suggested_not_filed(words: str) -> None:
    """A word that could mean several things, or little, is asked about with suggestions."""
    reading = TAXONOMY.read(words)
    assert not reading.sure
    assert reading.parts[0].candidates
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


def test_a_comma_between_brackets_does_not_cut_a_thing_in_two() -> None:
    """ "skills-based volunteering (IT, finance)" is one thing, brackets kept in its words."""
    reading = TAXONOMY.read("refurbished laptops and skills-based volunteering (IT, finance)")
    assert [p.words for p in reading.parts] == [
        "refurbished laptops",
        "skills-based volunteering (IT, finance)",
    ]
    reading = TAXONOMY.read("bénévoles (2 ou 3) et un local")
    assert [p.words for p in reading.parts] == ["bénévoles (2 ou 3)", "un local"]


@pytest.mark.parametrize(
    ("words", "parts"),
    [
        ("des traductions, gratuitement", ["des traductions, gratuitement"]),
        ("website design, free of charge", ["website design, free of charge"]),
        ("un logo et un site internet, pro bono", ["un logo", "un site internet, pro bono"]),
    ],
)
def test_how_a_thing_is_given_is_not_a_thing_of_its_own(words: str, parts: list[str]) -> None:
    """« gratuitement », "pro bono" after a comma join the thing before: not an item of their
    own proposed under some category."""
    assert [p.words for p in TAXONOMY.read(words).parts] == parts
