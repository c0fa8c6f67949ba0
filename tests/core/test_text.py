"""Measuring, splitting and shortening text the way Telegram counts it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.i18n import escape
from core.text import (
    ELLIPSIS,
    pack,
    shorten,
    split_html,
    utf16_len,
    visible_len,
    visible_text,
)
from sandbox.telegram_html import parse


def test_utf16_length_counts_emoji_twice() -> None:
    """Characters beyond U+FFFF are surrogate pairs in UTF-16; accented letters count once."""
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1
    assert utf16_len("😀") == 2
    assert utf16_len("👩‍👩‍👧") == 8  # three emoji and two joiners
    assert utf16_len("€") == 1
    assert utf16_len("😀") == len("😀".encode("utf-16-le")) // 2


def test_visible_length_is_the_text_after_markup() -> None:
    """Tags count nothing; an entity counts as the one character it stands for."""
    assert visible_text("<b>a</b> &lt;&amp;&gt; <i>é</i>") == "a <&> é"
    assert visible_len("<b>a</b> &lt;&amp;&gt;") == 5
    assert visible_len('<a href="https://example.org/x">lien</a>') == 4
    assert visible_len("&#128512;") == 2, "a numeric entity for an emoji still counts two"
    assert visible_len(escape("<Jardins> & Co 🌱")) == utf16_len("<Jardins> & Co 🌱")


def test_shorten_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert shorten("Pixel & Co", 20) == "Pixel & Co"
    cut = shorten("Les Jardins Partagés du Neuhof", 12)
    assert cut == "Les Jardins" + ELLIPSIS
    assert utf16_len(cut) <= 12


def test_shorten_counts_emoji_and_never_leaves_half_a_sequence() -> None:
    assert utf16_len(shorten("😀" * 10, 7)) <= 7
    assert shorten("😀" * 10, 7) == "😀😀😀" + ELLIPSIS
    family = "ab👩‍👩‍👧"
    assert not shorten(family, 6).removesuffix(ELLIPSIS).endswith("\u200d")


def test_a_short_text_is_one_part_unchanged() -> None:
    text = "<b>Bonjour</b> &amp; bienvenue"
    assert split_html(text) == [text]


def test_lines_are_kept_whole_and_the_cut_falls_between_lines() -> None:
    lines = [f"<b>Tour {n}</b> — Société {n} &amp; Co" for n in range(1, 40)]
    parts = split_html(lines, limit=200)
    assert len(parts) > 1
    for part in parts:
        assert visible_len(part) <= 200
        parse(part)
    seen = [line for part in parts for line in visible_text(part).strip().split("\n")]
    assert seen == [visible_text(line) for line in lines]


def test_paragraphs_are_preferred_to_lines() -> None:
    first = "\n".join(["a" * 30] * 3)
    second = "\n".join(["b" * 30] * 3)
    parts = split_html(f"{first}\n\n{second}", limit=150)
    assert [visible_text(p).strip() for p in parts] == [first, second]


def test_nested_tags_are_closed_and_reopened_across_parts() -> None:
    text = "<b>gras <i>" + "\n".join(["italique &amp; 😀"] * 20) + "</i> fin</b>"
    parts = split_html(text, limit=60)
    assert len(parts) > 1
    for part in parts:
        parse(part)  # balanced: Telegram would accept it
        assert visible_len(part) <= 60
    assert parts[1].startswith("<b><i>")
    assert parts[0].endswith("</i></b>")
    assert "".join(visible_text(p) for p in parts) == visible_text(text)


def test_an_overlong_line_is_cut_between_words_then_anywhere() -> None:
    words = " ".join(["mot"] * 100)
    parts = split_html(words, limit=50)
    assert all(visible_len(p) <= 50 for p in parts)
    assert all(not p.strip().endswith("mo") for p in parts[:-1]), "cut between words"
    solid = "😀" * 100
    parts = split_html(solid, limit=51)
    assert [visible_len(p) for p in parts] == [50, 50, 50, 50]
    assert "".join(parts) == solid, "an emoji is never cut in half"


def test_an_entity_is_never_cut() -> None:
    text = "&amp;" * 30
    parts = split_html(text, limit=7)
    assert all(re.fullmatch(r"(&amp;)+", p) for p in parts)
    assert sum(visible_len(p) for p in parts) == 30


def test_pack_groups_blocks_into_pages_within_the_limit() -> None:
    blocks = ["x" * 40] * 10
    assert pack(blocks, 100) == [range(0, 2), range(2, 4), range(4, 6), range(6, 8), range(8, 10)]
    assert pack(blocks, 1000, max_items=4) == [range(0, 4), range(4, 8), range(8, 10)]
    assert pack(["y" * 500, "z"], 100) == [range(0, 1), range(1, 2)]
    assert pack([], 100) == []


# --- properties -----------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["a", "é", "😀", "👩‍👩‍👧", "&amp;", "&lt;", "&gt;", " ", "\n", "\n\n", "mot", "Société"]
)


@st.composite
def html_texts(draw: st.DrawFn) -> str:
    """Valid Telegram HTML: words and entities inside nested, balanced tags."""
    out: list[str] = []
    open_tags: list[str] = []
    for _ in range(draw(st.integers(0, 80))):
        action = draw(st.integers(0, 9))
        if action == 0 and len(open_tags) < 3:
            tag = draw(st.sampled_from(["b", "i", "u", "code"]))
            out.append(f"<{tag}>")
            open_tags.append(tag)
        elif action == 1 and open_tags:
            out.append(f"</{open_tags.pop()}>")
        else:
            out.append(draw(_WORDS))
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=300, deadline=None)
@given(html_texts(), st.integers(min_value=2, max_value=60))
def test_every_part_fits_parses_and_together_they_say_everything(text: str, limit: int) -> None:
    """Each part ≤ limit, balanced, and the parts' visible texts end to end are the source's."""
    parts = split_html(text, limit=limit)
    joined = "".join(visible_text(p) for p in parts)
    for part in parts:
        assert visible_len(part) <= limit
        assert parse(part).text == visible_text(part)
    if len(parts) > 1:
        assert all(visible_text(p).strip() for p in parts), "no blank message"
    # Only blank space at a cut may be left out (Telegram trims it from a message anyway).
    assert _squash(joined) == _squash(visible_text(text))
    pattern = r"\s*".join(re.escape(visible_text(p).strip()) for p in parts)
    assert re.fullmatch(rf"\s*{pattern}\s*", visible_text(text))


@given(st.lists(st.text(max_size=30), max_size=30), st.integers(min_value=30, max_value=200))
def test_packed_pages_fit_and_keep_the_order(blocks: list[str], limit: int) -> None:
    pages = pack(blocks, limit, max_items=5)
    assert [i for page in pages for i in page] == list(range(len(blocks)))
    for page in pages:
        assert len(page) <= 5
        assert len(page) == 1 or visible_len("\n".join(blocks[i] for i in page)) <= limit


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_shortened_text_fits(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert utf16_len(short) <= limit
    assert short == text or short.endswith(ELLIPSIS)
