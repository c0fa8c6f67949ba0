"""Every language has the same texts with the same placeholders, and each parses as HTML."""

from __future__ import annotations

import pytest

from bot.i18n import load_catalogues, load_translator
from core.i18n import Translator, placeholders
from sandbox.telegram_html import parse

CATALOGUES = load_catalogues()
TRANSLATOR = load_translator("fr")


def test_every_locale_has_the_same_keys() -> None:
    """A text added in one language must exist in the other."""
    french, english = set(CATALOGUES["fr"]), set(CATALOGUES["en"])
    assert french - english == set(), "missing in English"
    assert english - french == set(), "missing in French"


@pytest.mark.parametrize("key", sorted(CATALOGUES["fr"]))
def test_placeholders_match_and_html_parses(key: str) -> None:
    """Both translations take the same parameters and are valid Telegram HTML, whatever the
    numbers (singular and plural forms) and names."""
    assert placeholders(CATALOGUES["fr"][key]) == placeholders(CATALOGUES["en"][key])
    for lang in CATALOGUES:
        for value in ("1", "2", "Les Jardins"):
            parse(
                TRANSLATOR(lang, key, **dict.fromkeys(placeholders(CATALOGUES[lang][key]), value))
            )


def test_each_language_quotes_its_own_way() -> None:
    """English screens use English quotation marks, French ones French guillemets."""
    assert [k for k, v in CATALOGUES["en"].items() if "«" in v or "»" in v] == []
    assert [k for k, v in CATALOGUES["fr"].items() if "“" in v or "”" in v] == []
    assert TRANSLATOR("en", "profile.item_words", words="<a logo>") == "• ✍️ “&lt;a logo&gt;”"


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [("fr", 0, "0 partenariat"), ("fr", 1, "1 partenariat"), ("fr", 2, "2 partenariats"),
     ("en", 0, "0 partnerships"), ("en", 1, "1 partnership"), ("en", 2, "2 partnerships")],
)  # fmt: skip
def test_plurals_follow_each_language(lang: str, count: int, expected: str) -> None:
    word = {"fr": "{n} {n:p:partenariat|partenariats}", "en": "{n} {n:p:partnership|partnerships}"}
    translator = Translator({"fr": {"k": word["fr"]}, "en": {"k": word["en"]}})
    assert translator.plain(lang, "k", n=count) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Les Jardins du Kiem", "des Jardins du Kiem"), ("Le Relais", "du Relais"),
     ("Emmaüs", "d'Emmaüs"), ("Pixel & Co", "de Pixel &amp; Co"), ("La Ruche", "de La Ruche"),
     ("L'Atelier", "de L'Atelier")],
)  # fmt: skip
def test_french_contracts_de_before_a_name(name: str, expected: str) -> None:
    translator = Translator({"fr": {"k": "la demande {name:de}"}, "en": {"k": "{name}"}})
    assert translator("fr", "k", name=name) == f"la demande {expected}"
