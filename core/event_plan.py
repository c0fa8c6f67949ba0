"""Planning a speed meeting's publication, pure: from the members, their wishes and the
previous schedule to the new schedule, its reminders, and what changed for each participant.

No Telegram, no storage, no clock: the handler loads the values, calls `plan_publication`,
renders what it returns and stores it in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.matching import explain_pair
from core.models import Organisation, OrgKind
from core.pipeline import NudgeKind, Planned
from core.speedmeeting import Meeting, Schedule, priorities, schedule


@dataclass(frozen=True, slots=True)
class Change:
    """One meeting of a participant that is not as it was: `before` None for a new meeting,
    `after` None for one that no longer takes place, both for one that moved (round or
    table). `other` is the organisation met."""

    other: int
    before: Meeting | None
    after: Meeting | None

    @property
    def round(self) -> int:
        """Where the change sits in the day (the new round, else the old one)."""
        found = self.after or self.before
        assert found is not None
        return found.round


def changes_of(
    participant: int, before: Iterable[Meeting], after: Iterable[Meeting]
) -> list[Change]:
    """What changed for one participant between two schedules, in the order of the day."""

    def by_other(meetings: Iterable[Meeting]) -> dict[int, Meeting]:
        return {
            (m.association if m.company == participant else m.company): m
            for m in meetings
            if participant in (m.company, m.association)
        }

    old, new = by_other(before), by_other(after)
    found = [
        Change(other, old.get(other), new.get(other))
        for other in old.keys() | new.keys()
        if old.get(other) != new.get(other)
    ]
    return sorted(found, key=lambda c: (c.round, c.before is not None, c.other))


def changed(before: Sequence[Meeting], after: Sequence[Meeting]) -> dict[int, list[Change]]:
    """Every participant whose meetings are not as they were, with their changes; nobody
    else."""
    people = {who for m in (*before, *after) for who in (m.company, m.association)}
    found = {who: changes_of(who, before, after) for who in people}
    return {who: found[who] for who in sorted(found) if found[who]}


def event_reminders(
    event_id: int,
    starts_at: datetime,
    attending: Iterable[int],
    delays: Iterable[timedelta],
    now: datetime,
) -> list[Planned]:
    """The reminders before the event (e.g. the day before, an hour before) still to come."""
    delays = tuple(delays)
    return [
        Planned(NudgeKind.EVENT_REMINDER, org_id, due, event_id=event_id)
        for org_id in attending
        for due in (starts_at - before for before in delays)
        if due > now
    ]


@dataclass(frozen=True, slots=True)
class Publication:
    """A schedule ready to store and announce."""

    companies: tuple[Organisation, ...]
    associations: tuple[Organisation, ...]
    schedule: Schedule
    reminders: tuple[Planned, ...]
    # Participants whose meetings differ from the previous schedule (empty the first time).
    changes: Mapping[int, list[Change]] = field(default_factory=dict)
    first: bool = True

    @property
    def selected(self) -> tuple[Organisation, ...]:
        return (*self.companies, *self.associations)


def plan_publication(
    members: Sequence[Organisation],
    *,
    event_id: int,
    starts_at: datetime,
    rounds: int,
    tables: int,
    max_per_side: int,
    wishes: set[tuple[int, int]],
    previous: Sequence[Meeting],
    now: datetime,
    reminder_delays: Sequence[timedelta],
    scored_by: Callable[[Organisation, Organisation], float] | None = None,
) -> Publication | None:
    """Members (in the order they joined) → the first `max_per_side` of each side → pair
    priorities (wishes, then match scores: `scored_by(company, association)`, as the match
    list scores them) → the schedule, moving as few earlier meetings as possible → the
    reminders of those who meet someone. None without both sides."""
    companies = [o for o in members if o.kind is OrgKind.COMPANY][:max_per_side]
    associations = [o for o in members if o.kind is OrgKind.ASSOCIATION][:max_per_side]
    if not companies or not associations:
        return None
    score = scored_by or (lambda c, a: explain_pair(c, a, now).score)
    scores = {(c.id, a.id): score(c, a) for c in companies for a in associations}
    company_ids, association_ids = [c.id for c in companies], [a.id for a in associations]
    priority = priorities(company_ids, association_ids, wishes, scores)
    plan = schedule(
        company_ids, association_ids, priority, rounds=rounds, tables=tables, previous=previous
    )
    attending = [o.id for o in (*companies, *associations) if plan.of(o.id)]
    return Publication(
        companies=tuple(companies),
        associations=tuple(associations),
        schedule=plan,
        reminders=tuple(event_reminders(event_id, starts_at, attending, reminder_delays, now)),
        changes=changed(previous, plan.meetings) if previous else {},
        first=not previous,
    )
