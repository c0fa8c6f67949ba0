"""Writes `core/data/examples.toml`, the learned reader's training examples (`core.learned`).

They are copied from the tuning material only: the tuning set (tests/matching_set.py), the
retired held-out set v1 and the *train* split of the tuning phrases v3. Never from the held-out
set v2, nor from the v3 dev split: a phrase typed the same way in either is left out.
Sentences asking for several things are left out (each example is one thing, or too vague).
Run: `python -m tests.heldout.make_examples`.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.learned import EXAMPLES_FILE
from core.text import normalise
from tests.heldout.evaluate import HELDOUT_FILE, RETIRED_FILE, Labelled, load_heldout, tuning_items
from tests.heldout.tuning_v3 import v3_split

HEADER = """\
# Training examples of the learned reader (core/learned.py): phrases typed by people, each with
# the categories a careful person would file it under ([] = too vague to file, the bot should
# ask). Copied by tests/heldout/make_examples.py from the project's tuning material: the tuning
# set (tests/matching_set.py), the retired held-out set v1 (tests/heldout/heldout_items.toml) and
# the train split (80%) of the tuning phrases v3 (tests/tuning_phrases.toml), all labelled by
# hand. Never from the held-out set v2 nor the v3 dev split (a phrase typed the same way in
# either is left out). Sentences asking for several things are left out. Pure data: regenerate
# rather than edit by hand.
"""


def rows(items: tuple[Labelled, ...], unseen: frozenset[str]) -> list[str]:
    lines = []
    for item in items:
        if item.multi or normalise(item.text) in unseen:
            continue
        cats = sorted(item.acceptable)
        lines.append(
            f"{{ text = {json.dumps(item.text, ensure_ascii=False)}, cats = {json.dumps(cats)} }},"
        )
    return lines


def main(path: Path = EXAMPLES_FILE) -> None:
    train, dev = v3_split()
    # A phrase typed the same way in the held-out set or the dev split is left out: the model
    # must not have seen it. (Only compared, never printed.)
    unseen = frozenset(normalise(i.text) for i in (*load_heldout(HELDOUT_FILE).items, *dev))
    lines = [
        *rows(tuning_items(), unseen),
        *rows(load_heldout(RETIRED_FILE).items, unseen),
        *rows(train, unseen),
    ]
    path.write_text(HEADER + "examples = [\n" + "\n".join(lines) + "\n]\n", encoding="utf-8")
    print(f"{len(lines)} examples written to {path}")


if __name__ == "__main__":
    main()
