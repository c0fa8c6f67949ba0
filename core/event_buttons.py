"""The speed meetings' buttons, declared once (see core.buttons): the organiser's buttons under
an event card, the participants' wishes and pages, and the 📝/🔁 buttons under an agenda.

The data formats are those sent before the codec existed, so buttons already in people's
chats keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.buttons import Callback

# What the organiser can do from an event's card; "pubyes"/"pubno" answer "pub" and
# "cancelyes" confirms "cancel".
EventActionName = Literal["inv", "pub", "pubyes", "pubno", "live", "rep", "cancel", "cancelyes"]


@dataclass(frozen=True, slots=True)
class EventAction(Callback, prefix="ev"):
    """ev:<action>:<event> — a button under an event's card (organisers only)."""

    action: EventActionName
    event: int


@dataclass(frozen=True, slots=True)
class EventEdit(Callback, prefix="ev:edit"):
    """ev:edit:<event> — ✏️ under an event's card: opens the edit form."""

    event: int


@dataclass(frozen=True, slots=True)
class WishToggle(Callback, prefix="ew"):
    """ew:<event>:<whom> — ☆/★ in /wishes."""

    event: int
    whom: int


@dataclass(frozen=True, slots=True)
class WishesPage(Callback, prefix="ewp"):
    """ewp:<event>:<page> — ◀/▶ in /wishes."""

    event: int
    page: int


@dataclass(frozen=True, slots=True)
class MeetingFollowUp(Callback, prefix="em:fol"):
    """em:fol:<event>:<other> — 🔁 under an agenda: wants to follow up with `other`."""

    event: int
    other: int


@dataclass(frozen=True, slots=True)
class MeetingRecord(Callback, prefix="em:rec"):
    """em:rec:<event>:<other> — 📝 under an agenda: record a partnership with `other` (the
    record form's entry point)."""

    event: int
    other: int
