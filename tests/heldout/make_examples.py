"""Writes `core/data/examples.toml`, the learned reader's training examples (`core.learned`).

They are the training material of `tests.heldout.training`: the tuning set, the retired held-out
sets v1, v2, v4, v6, v10, v11, v14 and v15, the tuning phrases v3, v5, v7, v8, v9, v11, v12, v13
and v18. Never from the held-out sets v16 and v17: a phrase typed the same way there is left out
(compared, never printed). Sentences asking for several things are left out (each example is one
thing, or too vague).
Run: `python -m tests.heldout.make_examples`.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.learned import EXAMPLES_FILE
from tests.heldout.training import as_examples, material

HEADER = """\
# Training examples of the learned reader (core/learned.py): phrases typed by people, each with
# the categories a careful person would file it under ([] = too vague to file, the bot should
# ask). Copied by tests/heldout/make_examples.py from the project's tuning material: the tuning
# set (tests/matching_set.py), the retired held-out sets v1, v2, v4, v6, v10, v11, v14, v15
# (tests/heldout/), the tuning phrases v3, v5, v7, v8, v9, v11, v12, v13 and v18
# (tests/tuning_phrases*.toml), all labelled by hand. Never from the held-out sets v16 and
# v17 (a phrase typed the same way there is left out). Sentences asking for several things are left
# out. Pure data: regenerate rather than edit by hand.
"""


def main(path: Path = EXAMPLES_FILE) -> None:
    lines = [
        f"{{ text = {json.dumps(e.text, ensure_ascii=False)}, cats = {json.dumps(e.categories)} }},"
        for e in as_examples(material())
    ]
    path.write_text(HEADER + "examples = [\n" + "\n".join(lines) + "\n]\n", encoding="utf-8")
    print(f"{len(lines)} examples written to {path}")


if __name__ == "__main__":
    main()
