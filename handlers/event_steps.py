"""The organisers' event form's steps: the step table (drawn in events.mmd), the typed draft,
where it is kept, and the form's own buttons. handlers/event_form.py asks and answers them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from core.buttons import Callback
from handlers.form import Arrow, FormStore, Input, StepSpec, StepTable, mermaid


class Step(StrEnum):
    TITLE = "title"
    WHEN = "when"
    VENUE = "venue"
    MINUTES = "minutes"
    TABLES = "tables"
    ROUNDS = "rounds"
    MAX = "max"
    CONFIRM = "confirm"


# The steps that each ask one field (the draft's attribute of the same name).
FIELDS = tuple(s for s in Step if s is not Step.CONFIRM)
# Once every field is known (editing, or ✏️ on the summary), an answer goes back to it.
_BACK_TO_SUMMARY = Arrow("CONFIRM", "one field: answer / keep", dotted=True)

TABLE: StepTable[Step] = {
    Step.TITLE: StepSpec(Step.WHEN, max_len=120, field="title", says="text",
                         also=(_BACK_TO_SUMMARY,)),
    Step.WHEN: StepSpec(Step.VENUE, max_len=60, field="when",
                        says="a time to come: 14/03/2027 14h, samedi 10h, demain 14h30",
                        also=(_BACK_TO_SUMMARY,)),
    Step.VENUE: StepSpec(Step.MINUTES, max_len=120, field="venue", says="text",
                         also=(_BACK_TO_SUMMARY,)),
    Step.MINUTES: StepSpec(Step.TABLES, input=Input.NUMBER, field="minutes",
                           says="3-30 / 7 by its button", also=(_BACK_TO_SUMMARY,)),
    Step.TABLES: StepSpec(Step.ROUNDS, input=Input.NUMBER, field="tables", says="1-200",
                          also=(_BACK_TO_SUMMARY,)),
    Step.ROUNDS: StepSpec(Step.MAX, input=Input.NUMBER, field="rounds", says="1-60",
                          also=(_BACK_TO_SUMMARY,)),
    Step.MAX: StepSpec(Step.CONFIRM, input=Input.NUMBER, field="max", says="1-500"),
    Step.CONFIRM: StepSpec(None, input=Input.BUTTONS, also=(
        *(Arrow(s.name, "✏️ " + s.value, dotted=True) for s in FIELDS),
        Arrow("END((end))", "save: created with invitation link and QR code,<br/>"
              "or updated and participants told what they see changed"),
        Arrow("END", "cancel"),
    )),
}  # fmt: skip

DIAGRAM_COMMENTS = (
    "The organisers' event form (handlers/event_form.py), drawn from its step table TABLE in",
    "handlers/event_steps.py (tests/test_event_form.py compares them). Every answer is saved",
    "with the step reached before the next question. Creating walks through the seven",
    "questions to the summary; editing opens on the summary (titled as an edit, with the",
    "current values), and each ✏️ asks ONE field and comes back to the summary.",
)
DIAGRAM_ENTRIES = (
    "NEW((/newevent)) --> TITLE",
    "EDIT((✏️ on an event)) -->|current values| CONFIRM",
)


def diagram() -> str:
    return mermaid(TABLE, comments=DIAGRAM_COMMENTS, entries=DIAGRAM_ENTRIES)


@dataclass
class EventDraft:
    """The answers so far; `event_id` is set when editing that event."""

    lang: str | None = None
    event_id: int | None = None
    title: str | None = None
    when: str | None = None  # local "DD/MM/YYYY HH:MM"
    venue: str | None = None
    minutes: int | None = None
    tables: int | None = None
    rounds: int | None = None
    max: int | None = None

    def value(self, step: Step) -> str | int | None:
        found: str | int | None = getattr(self, step.value)
        return found

    @property
    def complete(self) -> bool:
        return all(self.value(s) is not None for s in FIELDS)


FORM: FormStore[Step, EventDraft] = FormStore("newevent", Step, EventDraft)


@dataclass(frozen=True, slots=True)
class FormChoice(Callback, prefix="ne"):
    """ne:<choice> — 7 minutes, keep the current answer, save, cancel."""

    choice: Literal["7", "keep", "save", "cancel"]


@dataclass(frozen=True, slots=True)
class FieldChoice(Callback, prefix="ne:f"):
    """ne:f:<step> — ✏️ on the summary: change that one field."""

    step: Step
