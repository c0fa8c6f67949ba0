"""The bot trains its learned reader in a thread, keeps it beside the database, and reads it
back at the next start instead of training again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.warmup import train_reader
from core.learned import Example
from core.taxonomy import Taxonomy

EXAMPLES = (
    Example("la compta", ("accounting",)),
    Example("un expert-comptable", ("accounting",)),
    Example("des ordis portables", ("it_equipment",)),
    Example("un coup de main", ()),
)


async def test_trained_then_read_back_from_the_cache(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.warmup")
    first = Taxonomy(trained_on=EXAMPLES)
    await train_reader(first, tmp_path)
    assert first.trained
    assert "learned reader trained" in caplog.text
    [stored] = tmp_path.glob("reader-*.npz")
    caplog.clear()
    again = Taxonomy(trained_on=EXAMPLES)
    await train_reader(again, tmp_path)
    assert "learned reader read from its cache" in caplog.text
    [mine], [theirs] = again.read("des ordis").parts, first.read("des ordis").parts
    assert mine.candidates == theirs.candidates
    # Other training phrases: another file, the old one gone.
    other = Taxonomy(trained_on=(*EXAMPLES, Example("un minibus", ("vehicles",))))
    await train_reader(other, tmp_path)
    assert [p.name for p in tmp_path.glob("reader-*.npz")] != [stored.name]
    assert len(list(tmp_path.glob("reader-*.npz"))) == 1


async def test_a_broken_cache_file_is_trained_again(tmp_path: Path) -> None:
    taxonomy = Taxonomy(trained_on=EXAMPLES)
    await train_reader(taxonomy, tmp_path)
    [stored] = tmp_path.glob("reader-*.npz")
    stored.write_bytes(b"not a reader")
    again = Taxonomy(trained_on=EXAMPLES)
    await train_reader(again, tmp_path)
    assert again.read("la compta").parts[0].category == "accounting"
    assert stored.read_bytes() != b"not a reader"
