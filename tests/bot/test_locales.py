"""Every language has the same texts with the same placeholders, and each parses as HTML."""

from __future__ import annotations

import pytest

from bot.i18n import load_catalogues
from core.i18n import placeholders
from sandbox.telegram_html import parse

CATALOGUES = load_catalogues()


def test_every_locale_has_the_same_keys() -> None:
    """A text added in one language must exist in the other."""
    french, english = set(CATALOGUES["fr"]), set(CATALOGUES["en"])
    assert french - english == set(), "missing in English"
    assert english - french == set(), "missing in French"


@pytest.mark.parametrize("key", sorted(CATALOGUES["fr"]))
def test_placeholders_match_and_html_parses(key: str) -> None:
    """Both translations take the same parameters and are valid Telegram HTML."""
    assert placeholders(CATALOGUES["fr"][key]) == placeholders(CATALOGUES["en"][key])
    for lang in CATALOGUES:
        filled = CATALOGUES[lang][key].format(
            **dict.fromkeys(placeholders(CATALOGUES[lang][key]), "x")
        )
        parse(filled)
