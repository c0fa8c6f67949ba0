"""The buttons of the partnership follow-through: nudges, /partnerships, the record form.

Their data formats are those sent since the first version (a nudge's buttons must still work
months later), now declared once with the button codec (core/buttons.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.buttons import Callback
from core.pipeline import NudgeAnswer, Stage
from core.records import Giver, Kind


@dataclass(frozen=True, slots=True)
class NudgeButton(Callback, prefix="nd"):
    """An answer under a nudge ("nd:12:yes")."""

    nudge: int
    answer: NudgeAnswer


@dataclass(frozen=True, slots=True)
class StageButton(Callback, prefix="pp"):
    """Move a pair to a stage, from /partnerships ("pp:3:in_contact")."""

    partnership: int
    stage: Stage


@dataclass(frozen=True, slots=True)
class RecordStart(Callback, prefix="rec:start"):
    """📝 Record our partnership (from a nudge or /partnerships)."""

    partnership: int


@dataclass(frozen=True, slots=True)
class RecordFix(Callback, prefix="rec:fix"):
    """✏️ Correct the other side's proposal."""

    record: int


@dataclass(frozen=True, slots=True)
class RecordConfirm(Callback, prefix="rc:ok"):
    """✅ Confirm the other side's proposal."""

    record: int


@dataclass(frozen=True, slots=True)
class RecordGiver(Callback, prefix="rec:g"):
    """The form's « who gives » answer."""

    giver: Giver


@dataclass(frozen=True, slots=True)
class RecordKind(Callback, prefix="rec:k"):
    """The form's « which kind » answer."""

    kind: Kind


@dataclass(frozen=True, slots=True)
class RecordAction(Callback, prefix="rec"):
    """The form's other buttons: skip a number, send, cancel, one step back."""

    action: Literal["skip", "send", "cancel", "back"]
