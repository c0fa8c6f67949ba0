"""The organisers' news form's definition: its steps (one table, drawn in broadcast.mmd) and
its typed draft. The handlers are in handlers/broadcast.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.buttons import Callback
from handlers.console_buttons import Audience, AudienceName, EventAudience
from handlers.form import Arrow, FormStore, Input, StepSpec, StepTable, mermaid

CONVERSATION = "broadcast"
# The news text, in UTF-16 units as Telegram counts: room is left for the frame around it.
MAX_NEWS = 3500


class Step(StrEnum):
    AUDIENCE = "audience"
    TEXT = "text"
    PREVIEW = "preview"


# The conversation: where each answer leads, what each step takes and which draft field it
# fills. ✏️ Rewrite under the preview is its « back ». The wiring, the questions and
# broadcast.mmd derive from it.
TABLE: StepTable[Step] = {
    Step.AUDIENCE: StepSpec(
        Step.TEXT,
        input=Input.BUTTONS,
        field="audience",
        says="everyone / associations / companies / one event's participants",
        also=(Arrow("END((end))", "cancel"),),
    ),
    Step.TEXT: StepSpec(
        Step.PREVIEW,
        max_len=MAX_NEWS,
        field="text",
        says=f"text, at most {MAX_NEWS} units; other input: explained, asked again",
        also=(Arrow("END", "/cancel"),),
    ),
    Step.PREVIEW: StepSpec(
        None,
        back=Step.TEXT,
        input=Input.BUTTONS,
        also=(
            Arrow("END", "send: a delivery per recipient, the audit entry"),
            Arrow("END", "cancel"),
        ),
    ),
}

# The buttons that answer a button step (the preview's send, rewrite and cancel, valid under
# every question, are the conversation's fallbacks).
ANSWERS: dict[Step, tuple[type[Callback], ...]] = {Step.AUDIENCE: (Audience, EventAudience)}


def diagram() -> str:
    """broadcast.mmd, drawn from the table (tests/test_broadcast.py keeps the file equal to
    it)."""
    return mermaid(
        TABLE,
        comments=[
            "The organisers' news form (handlers/broadcast.py), drawn from TABLE in"
            " handlers/broadcast_steps.py.",
            "The step reached and the answers so far are saved before each question; every"
            " button is checked again for an organiser.",
            "« back » is ✏️ Rewrite under the preview. At a button step, a button's label typed"
            " counts as pressing it;",
            "other words are answered with « tap a button ».",
        ],
        entries=["START((/broadcast)) --> AUDIENCE"],
    )


@dataclass(frozen=True, slots=True)
class NewsDraft:
    """The answers so far (stored as JSON: the same keys as the dicts stored before)."""

    lang: str | None = None
    audience: AudienceName | None = None
    # One event's participants (then `audience` is "all").
    event_id: int | None = None
    event_title: str | None = None
    text: str | None = None


STORE: FormStore[Step, NewsDraft] = FormStore(CONVERSATION, Step, NewsDraft)
