"""Speed-meeting events as storage returns them, their report, and the rules of the event
form's numbers. Plain dataclasses and functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.models import OrgKind
from core.validation import InvalidInput, read_number


class EventStatus(StrEnum):
    OPEN = "open"  # taking participants and wishes
    PUBLISHED = "published"  # the schedule is out
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    title: str
    starts_at: datetime
    venue: str
    minutes: int
    tables: int
    rounds: int
    max_per_side: int
    status: EventStatus
    live: bool
    invite_code: str
    organiser_user_id: int
    schedule_version: int

    def round_start(self, number: int) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes * number)


@dataclass(frozen=True, slots=True)
class EventReport:
    """What an event brought: participants by side, meetings scheduled, confirmed partnership
    records by kind of contribution."""

    sides: Mapping[OrgKind, int]
    meetings: int
    partnerships: Mapping[str, int]

    @property
    def signed(self) -> int:
        return sum(self.partnerships.values())


# The numbers of the event form: their limits, and the words that name each of them, so that
# « 10 tables » typed where the minutes are asked is not read as 10 minutes.
NUMBER_LIMITS = {"minutes": (3, 30), "tables": (1, 200), "rounds": (1, 60), "max": (1, 500)}
_UNITS = {
    "minutes": ("min", "mins", "minute", "minutes", "mn"),
    "tables": ("table", "tables"),
    "rounds": ("tour", "tours", "round", "rounds", "rotation", "rotations"),
    "max": ("participant", "participants", "personne", "personnes", "people", "persons"),
}
# Beyond this, the summary warns that the event is long (minutes × rounds).
LONG_EVENT_MINUTES = 180


def read_event_number(name: str, text: str) -> int:
    """The number typed for the form's `name` field ("10 tables", « environ 30 »), within its
    limits; refused when the words name another field (« 10 tables » for the minutes)."""
    low, high = NUMBER_LIMITS[name]
    words = set(re.findall(r"[^\W\d_]+", text.casefold()))
    for other, units in _UNITS.items():
        if other != name and words & set(units):
            raise InvalidInput("event.other_number", {"low": low, "high": high})
    number = read_number(text)
    if number is None or not number.is_integer() or not low <= number <= high:
        raise InvalidInput("event.bad_number", {"low": low, "high": high})
    return int(number)
