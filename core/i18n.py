"""Text by key with parameters. User-supplied parameters are HTML-escaped unless marked safe."""

from __future__ import annotations

import html
import string
from collections.abc import Mapping

LANGUAGES = ("fr", "en")


class Html(str):
    """A fragment that is already valid Telegram HTML (built from escaped parts)."""

    __slots__ = ()


def escape(value: object) -> Html:
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=False))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


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

    def __call__(self, lang: str, key: str, /, **params: object) -> Html:
        """HTML for a message: parameters escaped."""
        return Html(self._template(lang, key).format(**{k: escape(v) for k, v in params.items()}))

    def plain(self, lang: str, key: str, /, **params: object) -> str:
        """Plain text for a button label or a pop-up, where Telegram shows no HTML."""
        return self._template(lang, key).format(**{k: str(v) for k, v in params.items()})
