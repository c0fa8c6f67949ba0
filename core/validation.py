"""Validation of what users type. Errors carry a locale key so handlers can explain them."""

from __future__ import annotations

import re
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


def clean_text(text: str | None, *, max_length: int, min_length: int = 1) -> str:
    """Strip and collapse whitespace; refuse empty or over-long answers."""
    if text is None:
        raise InvalidInput("error.not_text")
    cleaned = " ".join(text.split())
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
