"""The partnership record form's definition: its steps (one table, drawn in record.mmd) and
its typed draft. The handlers are in handlers/record.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from core.records import Giver, Kind, Terms
from core.validation import InvalidInput, clean_text, read_number
from handlers.form import Arrow, FormStore, Input, StepSpec, StepTable, mermaid

CONVERSATION = "record"
MAX_RECORD_TEXT = 300
MAX_NUMBER = 10_000_000


class Step(StrEnum):
    GIVER = "giver"
    KIND = "kind"
    DESCRIPTION = "description"
    HOURS = "hours"
    VALUE = "value"
    REVIEW = "review"


# The conversation: where each answer leads, where « back » goes, what each step takes and
# which draft field it fills. The wiring, the questions and record.mmd derive from it.
TABLE: StepTable[Step] = {
    Step.GIVER: StepSpec(
        Step.KIND, input=Input.BUTTONS, field="giver", says="we give / they give / both"
    ),
    Step.KIND: StepSpec(
        Step.DESCRIPTION,
        back=Step.GIVER,
        input=Input.BUTTONS,
        field="kind",
        says="skills, goods, money, responsible,<br/>cooperation, innovation",
    ),
    Step.DESCRIPTION: StepSpec(
        Step.HOURS, back=Step.KIND, max_len=MAX_RECORD_TEXT, field="description", says="text"
    ),
    Step.HOURS: StepSpec(
        Step.VALUE,
        back=Step.DESCRIPTION,
        input=Input.NUMBER,
        optional=True,
        field="hours",
        says="number / skip",
    ),
    Step.VALUE: StepSpec(
        Step.REVIEW,
        back=Step.HOURS,
        input=Input.NUMBER,
        optional=True,
        field="value",
        says="number / skip",
    ),
    Step.REVIEW: StepSpec(
        None,
        back=Step.VALUE,
        input=Input.BUTTONS,
        also=(
            Arrow(
                "END((end))", "send: proposal stored,<br/>other side asked to confirm or correct"
            ),
        ),
    ),
}


def diagram() -> str:
    """record.mmd, drawn from the table (tests/test_record.py keeps the file equal to it)."""
    return mermaid(
        TABLE,
        comments=[
            "The partnership record conversation (handlers/record.py), drawn from TABLE in"
            " handlers/record_steps.py.",
            "Every arrow saves the answers and the step in SQLite before the next question.",
            "Not drawn: /cancel or ✖️ Cancel end it at any step; anything else re-asks the"
            " question.",
        ],
        entries=[
            "START((📝 Record our partnership<br/>from a nudge, /partnerships"
            "<br/>or a speed-meeting agenda)) --> GIVER",
            "FIX((✏️ Correct<br/>the other side's proposal)) -->|prefilled, from my side| REVIEW",
        ],
    )


@dataclass(frozen=True, slots=True)
class RecordDraft:
    """The answers so far (stored as JSON: the same keys as the dicts stored before)."""

    pid: int
    other_name: str = ""
    lang: str | None = None
    giver: Giver | None = None
    kind: Kind | None = None
    description: str = ""
    hours: float | None = None
    value: float | None = None

    def terms(self) -> Terms:
        return Terms(
            self.giver or Giver.BOTH,
            self.kind or Kind.SKILLS,
            self.description,
            self.hours,
            self.value,
        )


STORE: FormStore[Step, RecordDraft] = FormStore(CONVERSATION, Step, RecordDraft)


def filled(draft: RecordDraft, field: str, answer: object) -> RecordDraft:
    """The draft with the step's field (named in TABLE) set to `answer`."""
    answers: dict[str, Any] = {field: answer}
    return replace(draft, **answers)


def parse_number(text: str | None) -> float:
    """ "40 h", "environ 3 000 €", "2,5": the one number in the answer."""
    number = read_number(clean_text(text, max_length=4096))
    if number is None or not 0 <= number <= MAX_NUMBER:
        raise InvalidInput("record.bad_number")
    return number
