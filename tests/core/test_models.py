"""Drafts refuse to become incomplete profiles; what people type is cleaned and checked.

The draft's storage as JSON is tested with the registration (tests/test_registration_steps.py).
"""

from __future__ import annotations

import pytest

from core.i18n import Translator, escape, pick_language
from core.models import Draft, Item, Location, OrgKind
from core.validation import InvalidInput, clean_email, clean_phone, clean_text


def full_draft() -> Draft:
    return Draft(
        language="fr",
        kind=OrgKind.ASSOCIATION,
        name="Les <Tournesols>",
        description="Épicerie",
        location=Location("Metz"),
        needs=[Item("web", "un site")],
        offers=[Item("volunteers")],
        contact_name="Jeanne",
        consented=True,
        payload="evt_1",
    )


def test_a_profile_needs_every_required_answer_and_consent() -> None:
    draft = full_draft()
    profile = draft.to_profile(5, "jeanne")
    assert profile.source_payload == "evt_1"
    draft.consented = False
    with pytest.raises(ValueError, match="consent"):
        draft.to_profile(5, None)
    with pytest.raises(ValueError, match="incomplete"):
        Draft(language="fr").to_profile(5, None)


def test_clean_text_limits() -> None:
    assert clean_text("  a   b ", max_length=5) == "a b"
    with pytest.raises(InvalidInput) as too_long:
        clean_text("x" * 6, max_length=5)
    assert too_long.value.params == {"length": 6, "max": 5}
    with pytest.raises(InvalidInput):
        clean_text(None, max_length=5)


def test_email_and_phone_are_validated_and_normalised() -> None:
    assert clean_email("Jeanne@Example.org") == "Jeanne@example.org"
    assert clean_phone("06 12 34 56 78", region="FR") == "+33 6 12 34 56 78"
    assert clean_phone("+352 621 123 456") == "+352 621 123 456"
    assert clean_phone("00352 621 123 456", region="FR") == "+352 621 123 456"
    for bad in ("jeanne@", "a b@c", "@example.org"):
        with pytest.raises(InvalidInput):
            clean_email(bad)
    for bad in ("12", "phone", "+33 1"):
        with pytest.raises(InvalidInput):
            clean_phone(bad, region="FR")
        with pytest.raises(InvalidInput):
            clean_phone(bad)


def test_a_phone_number_keeps_its_country() -> None:
    """Read in the organisation's country; kept as typed where the country is unknown."""
    assert clean_phone("621 123 456", region="LU") == "+352 621 123 456"
    assert clean_phone("0470 12 34 56", region="BE") == "+32 470 12 34 56"
    assert clean_phone("06 12 34 56 78", region="FR") == "+33 6 12 34 56 78"
    assert clean_phone("621 123 456") == "621 123 456"


def test_translator_escapes_parameters_but_not_safe_fragments() -> None:
    t = Translator({"fr": {"k": "<b>{name}</b>"}, "en": {"k": "<b>{name}</b>!"}}, default="fr")
    assert t("fr", "k", name="<script>&") == "<b>&lt;script&gt;&amp;</b>"
    assert t("en", "k", name=escape("<i>x</i>")) == "<b>&lt;i&gt;x&lt;/i&gt;</b>!"
    assert t("de", "k", name="x") == "<b>x</b>", "unknown language falls back to the default"
    assert t.plain("fr", "k", name="A & B") == "<b>A & B</b>", "button labels are not HTML"


@pytest.mark.parametrize(
    ("code", "expected"), [("fr-BE", "fr"), ("en", "en"), ("de", "fr"), (None, "fr")]
)
def test_pick_language_from_telegram(code: str | None, expected: str) -> None:
    assert pick_language(code, "fr") == expected


def test_a_name_ending_in_a_full_stop_takes_the_sentence_s_own() -> None:
    """« Demande envoyée à <b>Kirchberg S.A.</b> Je… », never « S.A.. »; an ellipsis and a
    name without a full stop are left alone."""
    t = Translator({"fr": {"k": "Envoyée à <b>{name}</b>. Je préviens.", "n": "{n}."}})
    assert t("fr", "k", name="Kirchberg S.A.") == "Envoyée à <b>Kirchberg S.A.</b> Je préviens."
    assert t("fr", "k", name="Pixel & Co") == "Envoyée à <b>Pixel &amp; Co</b>. Je préviens."
    assert t.plain("fr", "n", n="etc...") == "etc...."
    assert t.plain("fr", "n", n="3") == "3."
