"""The partnership pipeline's records, as storage returns them: pairs, their nudges, their
two-party records and the interest requests that start them. Plain dataclasses, no I/O.

Each status is an enum whose values are the ones stored (StrEnum), so a row and its member
compare equal and nothing in the database changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.pipeline import NudgeKind, Stage


class NudgeState(StrEnum):
    PENDING = "pending"  # planned, not due or not sent yet
    SENDING = "sending"  # claimed by a sending turn
    SENT = "sent"  # asked, waiting for an answer
    ANSWERED = "answered"
    CANCELLED = "cancelled"  # no longer needed (the pair moved, the event was cancelled...)
    IGNORED = "ignored"  # went unanswered (asked again, or the pair is stuck)

    @property
    def awaits_answer(self) -> bool:
        """The question is out (or going out): a press on its buttons counts."""
        return self in (NudgeState.SENT, NudgeState.SENDING)


class RecordStatus(StrEnum):
    PROPOSED = "proposed"  # stated by one side, waiting for the other's confirmation
    CONFIRMED = "confirmed"
    SUPERSEDED = "superseded"  # replaced by a newer version


class InterestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Partnership:
    """An introduced pair (one association, one company) and where it stands."""

    id: int
    association_id: int
    company_id: int
    stage: Stage
    caller_id: int | None
    created_at: datetime
    stuck_since: datetime | None
    event_id: int | None = None

    def other(self, org_id: int) -> int:
        return self.company_id if org_id == self.association_id else self.association_id

    @property
    def sides(self) -> tuple[int, int]:
        return (self.association_id, self.company_id)


@dataclass(frozen=True, slots=True)
class Nudge:
    """One planned question or reminder to one organisation."""

    id: int
    kind: NudgeKind
    recipient_id: int
    partnership_id: int | None
    interest_id: int | None
    due_at: datetime
    state: NudgeState
    asked_before: int
    event_id: int | None = None
    round: int | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """A two-party record: who gives what, stated by one side and confirmed by the other.

    `giver` is "proposer", "other" or "both" (from the proposer's point of view).
    """

    id: int
    partnership_id: int
    proposer_id: int
    giver: str
    kind: str
    description: str
    hours: float | None
    value_eur: float | None
    status: RecordStatus


@dataclass(frozen=True, slots=True)
class Interest:
    """One organisation's request to be introduced to another."""

    id: int
    from_id: int
    to_id: int
    status: InterestStatus
    created_at: datetime
    expires_at: datetime
