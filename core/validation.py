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


def clean_phone(text: str | None, *, default_region: str = "FR") -> str:
    """A plausible phone number, stored in international format (+33 1 23 45 67 89)."""
    raw = clean_text(text, max_length=30)
    try:
        number = phonenumbers.parse(raw, default_region)
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
