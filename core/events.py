"""Speed-meeting events as storage returns them, and their report. Plain dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.models import OrgKind


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
