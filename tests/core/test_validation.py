"""What typed text keeps and what it loses."""

from __future__ import annotations

import pytest

from core.validation import InvalidInput, clean_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Les\u202e Petits\x00 Débrou\x07illards", "Les Petits Débrouillards"),
        ("a\u200bb\ufeffc\u2066d\u2069", "abcd"),
        ("nom \ud800\udfff", "nom"),  # lone surrogates, as JSON can carry them
        ("famille 👨\u200d👩\u200d👧", "famille 👨\u200d👩\u200d👧"),  # joiners inside emoji stay
        ("  tab\tand\nnewline  ", "tab and newline"),
    ],
)
def test_control_and_invisible_characters_are_removed(typed: str, kept: str) -> None:
    assert clean_text(typed, max_length=100) == kept


@pytest.mark.parametrize("typed", ["\u200b\u200d", "\x00\x01", "\u202e \u2060", "\ud800"])
def test_nothing_visible_is_an_empty_answer(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_text(typed, max_length=100)
    assert refused.value.key == "error.empty"
