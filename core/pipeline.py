"""The partnership pipeline and the nudges that keep it moving (pure planning, no I/O).

introduced → in contact → met → agreed → carried out / ongoing, or at any point: no contact /
not feasible. Every step forward plans the next question; every delay is a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Stage(StrEnum):
    INTRODUCED = "introduced"
    IN_CONTACT = "in_contact"
    MET = "met"
    AGREED = "agreed"
    CARRIED_OUT = "carried_out"
    ONGOING = "ongoing"
    NO_CONTACT = "no_contact"
    NOT_FEASIBLE = "not_feasible"

    @property
    def is_open(self) -> bool:
        """Still heading somewhere (an ongoing partnership keeps getting outcome check-ins)."""
        return self not in (Stage.CARRIED_OUT, Stage.NO_CONTACT, Stage.NOT_FEASIBLE)


ORDER = (Stage.INTRODUCED, Stage.IN_CONTACT, Stage.MET, Stage.AGREED)


def can_move(current: Stage, target: Stage) -> bool:
    """Forward only (skipping is fine: a pair may meet before saying they were in contact);
    outcomes are reached from an agreed or ongoing partnership, dead ends from anywhere open."""
    if not current.is_open or current is target:
        return False
    if target in (Stage.NO_CONTACT, Stage.NOT_FEASIBLE):
        return True
    if target in (Stage.CARRIED_OUT, Stage.ONGOING):
        return current in (Stage.AGREED, Stage.ONGOING)
    if current is Stage.ONGOING:
        return False
    return ORDER.index(target) > ORDER.index(current)


# What one side may state alone: its own account of the contact, which needs nobody else's
# word. "Agreed" comes only from a two-party record the other side confirmed, and the outcomes
# (carried out, ongoing) only follow such a record.
SET_ALONE = frozenset({Stage.IN_CONTACT, Stage.MET, Stage.NO_CONTACT, Stage.NOT_FEASIBLE})
AFTER_RECORD = frozenset({Stage.CARRIED_OUT, Stage.ONGOING})


class NudgeAnswer(StrEnum):
    """The answers a nudge's buttons carry (their codes are in buttons already sent)."""

    YES = "yes"
    LATER = "later"
    NO = "no"
    DONE = "done"
    ONGOING = "ongoing"
    UPDATE = "update"


class NudgeKind(StrEnum):
    CONTACT_CHECK = "contact_check"  # to the side expected to call: have you made contact?
    CONTACT_REMINDER = "contact_reminder"  # to the other side, if nothing moved
    MET_CHECK = "met_check"  # did you meet?
    AGREED_CHECK = "agreed_check"  # did a partnership come out of it?
    OUTCOME_CHECK = "outcome_check"  # how is the agreed partnership going?
    REQUEST_REMINDER = "request_reminder"  # an interest request is waiting for your answer
    PROFILE_FRESH = "profile_fresh"  # are your needs and offers still current?
    EVENT_REMINDER = "event_reminder"  # speed meeting tomorrow / in one hour
    EVENT_ROUND = "event_round"  # live mode: "Round 3 — table 5 — meet X"


@dataclass(frozen=True, slots=True)
class NudgeDelays:
    contact_check: timedelta
    contact_reminder: timedelta
    met_check: timedelta
    agreed_check: timedelta
    outcome_checks: tuple[timedelta, ...]
    request_reminder: timedelta
    profile_fresh: timedelta
    repeat: timedelta  # an unanswered question is asked again after this
    max_ignored: int  # ... until this many went unanswered: then the pair is stuck


@dataclass(frozen=True, slots=True)
class Planned:
    """A nudge to store: who gets which question, about what, when."""

    kind: NudgeKind
    recipient_id: int
    due_at: datetime
    partnership_id: int | None = None
    interest_id: int | None = None
    event_id: int | None = None  # event nudges: the speed meeting concerned ...
    round: int | None = None  # ... and the round (None: the whole event)


def after_introduction(
    partnership_id: int, caller_id: int, callee_id: int, now: datetime, delays: NudgeDelays
) -> list[Planned]:
    """The side expected to call is asked whether contact was made; the other side is
    reminded later if nothing moved."""
    return [
        Planned(NudgeKind.CONTACT_CHECK, caller_id, now + delays.contact_check, partnership_id),
        Planned(
            NudgeKind.CONTACT_REMINDER, callee_id, now + delays.contact_reminder, partnership_id
        ),
    ]


def after_stage(
    partnership_id: int, stage: Stage, sides: tuple[int, int], now: datetime, delays: NudgeDelays
) -> list[Planned]:
    """The next question once the pair reached `stage` (both sides asked; the first answer
    counts for the pair)."""
    if stage is Stage.IN_CONTACT:
        return [
            Planned(NudgeKind.MET_CHECK, s, now + delays.met_check, partnership_id) for s in sides
        ]
    if stage is Stage.MET:
        return [
            Planned(NudgeKind.AGREED_CHECK, s, now + delays.agreed_check, partnership_id)
            for s in sides
        ]
    if stage is Stage.AGREED:
        return [
            Planned(NudgeKind.OUTCOME_CHECK, s, now + after, partnership_id)
            for after in delays.outcome_checks
            for s in sides
        ]
    return []


def after_request(
    interest_id: int, recipient_id: int, now: datetime, delays: NudgeDelays
) -> list[Planned]:
    return [
        Planned(
            NudgeKind.REQUEST_REMINDER,
            recipient_id,
            now + delays.request_reminder,
            interest_id=interest_id,
        )
    ]


def after_profile_confirmed(org_id: int, now: datetime, delays: NudgeDelays) -> list[Planned]:
    return [Planned(NudgeKind.PROFILE_FRESH, org_id, now + delays.profile_fresh)]


# The stage at which each question about a pair is asked ...
ASKED_AT: dict[NudgeKind, Stage] = {
    NudgeKind.CONTACT_CHECK: Stage.INTRODUCED,
    NudgeKind.CONTACT_REMINDER: Stage.INTRODUCED,
    NudgeKind.MET_CHECK: Stage.IN_CONTACT,
    NudgeKind.AGREED_CHECK: Stage.MET,
    NudgeKind.OUTCOME_CHECK: Stage.AGREED,
}

# ... and where an answer to it takes the pair. "Later" moves nothing (the question comes
# back), nor does "yes, we agreed": agreeing takes a record both sides confirm.
MOVES: dict[tuple[NudgeKind, NudgeAnswer], Stage] = {
    (NudgeKind.CONTACT_CHECK, NudgeAnswer.YES): Stage.IN_CONTACT,
    (NudgeKind.CONTACT_CHECK, NudgeAnswer.NO): Stage.NO_CONTACT,
    (NudgeKind.CONTACT_REMINDER, NudgeAnswer.YES): Stage.IN_CONTACT,
    (NudgeKind.CONTACT_REMINDER, NudgeAnswer.NO): Stage.NO_CONTACT,
    (NudgeKind.MET_CHECK, NudgeAnswer.YES): Stage.MET,
    (NudgeKind.MET_CHECK, NudgeAnswer.NO): Stage.NOT_FEASIBLE,
    (NudgeKind.AGREED_CHECK, NudgeAnswer.NO): Stage.NOT_FEASIBLE,
    (NudgeKind.OUTCOME_CHECK, NudgeAnswer.DONE): Stage.CARRIED_OUT,
    (NudgeKind.OUTCOME_CHECK, NudgeAnswer.ONGOING): Stage.ONGOING,
    (NudgeKind.OUTCOME_CHECK, NudgeAnswer.NO): Stage.NOT_FEASIBLE,
}


def moved_by(kind: NudgeKind, answer: NudgeAnswer) -> Stage | None:
    """The stage an answer to a nudge moves the pair to; None when it moves nothing."""
    return MOVES.get((kind, answer))
