"""Validation of what users type. Errors carry a locale key so handlers can explain them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# Limits keep profiles readable on a phone. They count characters, as people do; Telegram counts
# UTF-16 units (an emoji is two), so a profile at its longest can exceed one message: messages
# that quote it split or shorten (core/text.py), tested with sandbox.scenarios.longest_profile.
MAX_NAME = 100
MAX_DESCRIPTION = 500
MAX_LOCATION = 80
MAX_DETAIL = 150
# One message typed with several needs or offers in it, each within MAX_DETAIL once split.
MAX_TYPED = 3 * MAX_DETAIL
MAX_CONTACT = 80
MAX_ITEMS_PER_SIDE = 6


@dataclass(frozen=True)
class InvalidInput(Exception):  # noqa: N818 - it is a user-facing outcome, not a crash
    """The answer cannot be accepted; `key` names the locale message that says why."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


# Invisible characters removed from everything typed: bidirectional overrides and isolates
# (they make a name or a link read backwards), zero-width spaces and the byte-order
# mark (they make two names look the same). Joiners (U+200C, U+200D) stay: emoji and several
# scripts need them between visible characters.
_INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)


def _printable(char: str) -> bool:
    """Not a control character (NUL included), a lone surrogate or an invisible override.
    Whitespace controls (newline, tab) are kept here and collapsed afterwards."""
    if char.isspace():
        return True
    return unicodedata.category(char) not in ("Cc", "Cs") and char not in _INVISIBLE


def clean_text(text: str | None, *, max_length: int, min_length: int = 1) -> str:
    """Remove control and invisible characters, strip and collapse whitespace; refuse empty
    (or only invisible) and over-long answers."""
    if text is None:
        raise InvalidInput("error.not_text")
    text = "".join(char for char in text if _printable(char))
    cleaned = " ".join(text.split())
    # Only joiners and other format characters left: nothing a reader would see.
    if all(unicodedata.category(char) == "Cf" for char in cleaned.replace(" ", "")):
        cleaned = ""
    if len(cleaned) < min_length:
        raise InvalidInput("error.empty")
    if len(cleaned) > max_length:
        raise InvalidInput("error.too_long", {"length": len(cleaned), "max": max_length})
    return cleaned


def clean_email(text: str | None) -> str:
    """A syntactically valid address (no DNS look-up: the bot must work offline)."""
    raw = clean_text(text, max_length=254)
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput("error.bad_email") from exc


def clean_phone(text: str | None, *, region: str | None = None) -> str:
    """A plausible phone number in international form (+352 621 123 456).

    A number typed without its country code is read as `region`'s (the country of the
    organisation's location): "621 123 456" in Luxembourg is +352, not +33. Where the country
    is unknown (remote, or a place we cannot place), it is kept as typed rather than guessed.
    """
    raw = clean_text(text, max_length=30)
    international = raw.startswith(("+", "00"))
    if not international and region is None:
        digits = sum(c.isdigit() for c in raw)
        if not 6 <= digits <= 15 or re.search(r"[^\d\s().+/-]", raw):
            raise InvalidInput("error.bad_phone")
        return raw
    try:
        number = phonenumbers.parse(
            "+" + raw[2:] if raw.startswith("00") else raw, None if international else region
        )
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("error.bad_phone") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidInput("error.bad_phone")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


# ASCII digits only: int("³") fails and "١٢" is not what a French form expects.
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?", re.ASCII)


def read_number(text: str | None) -> float | None:
    """The one number in an answer as people type it: "10 tables", "environ 3000",
    "3 000 €", "2,5 h". None when there is no number, or more than one ("entre 10 et 20")."""
    if text is None:
        return None
    found = _NUMBER.findall(text)
    if len(found) != 1:
        return None
    raw = found[0]
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+", raw):
        raw = re.sub(r"[ \u00a0\u202f.]", "", raw)
    return float(raw.replace(",", "."))


# Contact details typed where a need or an offer is expected: an address, a phone number.
_EMAIL_IN_TEXT = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])\+?\d[\d \u00a0.()/-]{4,}\d(?!\w)")
# "2024-2025", "1998/2000": years, not a phone number.
_YEARS = re.compile(r"\d{4}\s*[-/]\s*\d{4}")
# A person's name as typed on a phone: two to four capitalised words ("Tom Martin",
# "Jean-Luc Picard", "Marie d'Ornano"), nothing else.
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿ]+)*|[A-Z]\.|d[e'’]|de la|van|von)"
_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}")


def has_contact_details(text: str) -> bool:
    """The text holds an e-mail address or a phone number (8 to 15 digits, with or without
    its country code): details that must stay private until both sides agree."""
    if _EMAIL_IN_TEXT.search(text):
        return True
    for found in _PHONE_IN_TEXT.finditer(text):
        number = found.group()
        digits = sum(c.isdigit() for c in number)
        if 8 <= digits <= 15 and not _YEARS.fullmatch(number.strip()):
            return True
    return False


def looks_like_name(text: str) -> bool:
    """Only a person's name, as people type it: "Tom Martin", "Jean-Luc Picard"."""
    return _NAME.fullmatch(text.strip()) is not None


def clean_person_name(text: str) -> str:
    """A person's name: it has letters and is not an e-mail address or a phone number."""
    if not any(char.isalpha() for char in text) or has_contact_details(text):
        raise InvalidInput("reg.contact_not_a_name")
    return text
