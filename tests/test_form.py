"""The form engine (handlers/form.py): a step table drawn as Mermaid, typed drafts stored."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handlers.form import Arrow, Input, StepSpec, StepTable, backs, mermaid, text_steps


class Step(StrEnum):
    NAME = "name"
    SIZE = "size"
    REVIEW = "review"


TABLE: StepTable[Step] = {
    Step.NAME: StepSpec(Step.SIZE, says="text", max_len=80, field="name"),
    Step.SIZE: StepSpec(Step.REVIEW, back=Step.NAME, input=Input.NUMBER, optional=True),
    Step.REVIEW: StepSpec(
        None, back=Step.SIZE, input=Input.BUTTONS, also=(Arrow("END((end))", "send"),)
    ),
}


@dataclass
class Draft:
    name: str = ""
    size: int | None = None


def test_the_table_is_drawn_with_its_arrows_and_backs() -> None:
    drawn = mermaid(TABLE, comments=["A form."], entries=["START((/go)) --> NAME"])
    assert drawn.splitlines() == [
        "%% A form.",
        "flowchart TD",
        "    START((/go)) --> NAME",
        "",
        "    NAME -->|text| SIZE",
        "    SIZE --> REVIEW",
        "    REVIEW -->|send| END((end))",
        "",
        "    SIZE -.->|back| NAME",
        "    REVIEW -.->|back| SIZE",
    ]


def test_the_table_answers_what_the_wiring_needs() -> None:
    assert text_steps(TABLE) == {Step.NAME, Step.SIZE}
    assert backs(TABLE) == {Step.SIZE: Step.NAME, Step.REVIEW: Step.SIZE}
