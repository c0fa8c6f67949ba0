"""Loads the locale files (bot/locales/<lang>.toml) into a Translator."""

from __future__ import annotations

import tomllib
from pathlib import Path

from core.i18n import LANGUAGES, Translator

LOCALES_DIR = Path(__file__).with_name("locales")


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value)
    return flat


def load_catalogues(directory: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    return {
        lang: _flatten(tomllib.loads((directory / f"{lang}.toml").read_text("utf-8")))
        for lang in LANGUAGES
    }


def load_translator(default: str, directory: Path = LOCALES_DIR) -> Translator:
    return Translator(load_catalogues(directory), default=default)
