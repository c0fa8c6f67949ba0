"""Text by key with parameters. User-supplied parameters are HTML-escaped unless marked safe.

Templates can agree with their parameters, in the way Fluent's selectors do, with two format
specs of our own:

- `{count:p:partenariat|partenariats}`: the singular or plural form for the number `count`, by
  the language's rule (French counts 0 and 1 as singular, English only 1);
- `{name:de}`: French "de" before a name, contracted as the language wants: "des Jardins du
  Kiem", "du Relais", "d'Emmaüs", "de Pixel & Co".

A value ending in a full stop takes the place of the sentence's own ("Demande envoyée à
<b>Kirchberg S.A.</b> Je vous…", never "S.A..").
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

LANGUAGES = ("fr", "en")


class Html(str):
    """A fragment that is already valid Telegram HTML (built from escaped parts)."""

    __slots__ = ()


def escape(value: object) -> Html:
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=False))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def is_singular(lang: str, number: float) -> bool:
    """The language's plural rule (CLDR): French "1 partenariat", "0 partenariat"; English
    "1 partnership", "0 partnerships"."""
    if lang == "fr":
        return 0 <= number < 2
    return number == 1


_VOWELS = tuple("aeiouyhàâäéèêëîïôöûüœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÛÜŒÆ")


def of_name(name: str) -> str:
    """French "de" + name: "Les Jardins" → "des Jardins", "Le Relais" → "du Relais",
    "Emmaüs" → "d'Emmaüs", "La Ruche" → "de La Ruche"."""
    if name.startswith(("Les ", "les ")):
        return f"des {name[4:]}"
    if name.startswith(("Le ", "le ")):
        return f"du {name[3:]}"
    if name.startswith(_VOWELS) and not name.startswith(("L'", "l'", "L’", "l’")):
        return f"d'{name}"
    return f"de {name}"


_STOP_AFTER = re.compile(r"((?:</[a-z]+>)*)\.(?!\.)")  # a full stop, maybe after closing tags


class _Agreeing(string.Formatter):
    """str.format with the `p:` and `de` specs (see the module docstring)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def vformat(self, format_string: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
        """Fields replaced one by one; a value's final full stop stands for the one after it."""
        found: list[str] = []
        stop = False
        for text_before, field, spec, conversion in self.parse(format_string):
            literal = text_before
            if stop and (after := _STOP_AFTER.match(literal)):
                literal = after.group(1) + literal[after.end() :]
            found.append(literal)
            stop = False
            if field is not None:
                value, _ = self.get_field(field, args, kwargs)
                text = self.format_field(self.convert_field(value, conversion), spec or "")
                found.append(text)
                stop = text.endswith(".") and not text.endswith("..")
        return "".join(found)

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("p:"):
            one, _, other = format_spec[2:].partition("|")
            return one if is_singular(self.lang, _number(value)) else other
        if format_spec == "de":
            return of_name(str(value)) if self.lang == "fr" else f"of {value}"
        return str(super().format_field(value, format_spec))


def _number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 2.0  # not a number: the plural reads best


_FORMATTERS = {lang: _Agreeing(lang) for lang in LANGUAGES}


def pick_language(code: str | None, default: str) -> str:
    """Map a Telegram language code ('fr-BE', 'en', 'de') to a language we speak."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


class Translator:
    """Catalogues of templates, one per language, looked up by dotted key."""

    def __init__(self, catalogues: Mapping[str, Mapping[str, str]], default: str = "fr") -> None:
        self._catalogues = catalogues
        self.default = default

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._catalogues)

    def _template(self, lang: str, key: str) -> str:
        catalogue = self._catalogues.get(lang) or self._catalogues[self.default]
        template = catalogue.get(key)
        return self._catalogues[self.default][key] if template is None else template

    def _format(self, lang: str, key: str, params: Mapping[str, object]) -> str:
        formatter = _FORMATTERS.get(lang) or _FORMATTERS[self.default]
        return formatter.vformat(self._template(lang, key), (), params)

    def __call__(self, lang: str, key: str, /, **params: object) -> Html:
        """HTML for a message: parameters escaped."""
        return Html(self._format(lang, key, {k: escape(v) for k, v in params.items()}))

    def plain(self, lang: str, key: str, /, **params: object) -> str:
        """Plain text for a button label or a pop-up, where Telegram shows no HTML."""
        return self._format(lang, key, {k: str(v) for k, v in params.items()})
