"""Planning a publication (core/event_plan.py): pure, from members to schedule, reminders and
exactly what changed for whom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.event_plan import Change, changed, changes_of, event_reminders, plan_publication
from core.models import Item, Organisation, OrgStatus
from core.pipeline import NudgeKind
from core.speedmeeting import Meeting
from sandbox.scenarios import association_profile, company_profile

NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
DELAYS = (timedelta(days=1), timedelta(hours=1))


def test_a_moved_meeting_says_from_which_round_to_which() -> None:
    before = [Meeting(1, 10, 1, 4), Meeting(1, 11, 0, 4)]
    after = [Meeting(1, 10, 2, 4), Meeting(1, 11, 0, 4)]
    assert changes_of(1, before, after) == [Change(10, Meeting(1, 10, 1, 4), Meeting(1, 10, 2, 4))]
    assert changes_of(10, before, after) == [Change(1, Meeting(1, 10, 1, 4), Meeting(1, 10, 2, 4))]
    assert changes_of(11, before, after) == []


def test_new_removed_and_reseated_meetings_are_changes_in_the_order_of_the_day() -> None:
    before = [Meeting(1, 10, 0, 1), Meeting(1, 11, 2, 1), Meeting(1, 12, 1, 1)]
    after = [Meeting(1, 10, 0, 2), Meeting(1, 13, 1, 1), Meeting(1, 12, 1, 1)]
    assert changes_of(1, before, after) == [
        Change(10, Meeting(1, 10, 0, 1), Meeting(1, 10, 0, 2)),  # same round, another table
        Change(13, None, Meeting(1, 13, 1, 1)),  # new
        Change(11, Meeting(1, 11, 2, 1), None),  # no longer
    ]


def test_only_people_whose_meetings_differ_are_listed() -> None:
    before = [Meeting(1, 10, 0, 1), Meeting(2, 11, 0, 2), Meeting(1, 11, 1, 1)]
    after = [Meeting(1, 10, 0, 1), Meeting(2, 11, 1, 2), Meeting(3, 11, 0, 2), Meeting(1, 12, 1, 1)]
    found = changed(before, after)
    assert set(found) == {1, 2, 3, 11, 12}
    assert 10 not in found, "Asso 10 meets company 1 as before"
    assert found[3] == [Change(11, None, Meeting(3, 11, 0, 2))]


def test_reminders_still_to_come_only() -> None:
    late = START - timedelta(hours=12)
    planned = event_reminders(5, START, [1, 2], DELAYS, late)
    assert [(p.recipient_id, p.due_at) for p in planned] == [
        (1, START - timedelta(hours=1)),
        (2, START - timedelta(hours=1)),
    ]
    assert all(p.kind is NudgeKind.EVENT_REMINDER and p.event_id == 5 for p in planned)


def _org(profile_id: int, *, company: bool, name: str) -> Organisation:
    profile = (
        company_profile(profile_id, name, (Item("web"),))
        if company
        else association_profile(profile_id, name)
    )
    return Organisation(
        id=profile_id, kind=profile.kind, name=profile.name, description=profile.description,
        location=profile.location, needs=profile.needs, offers=profile.offers,
        contact=profile.contact, owner_user_id=profile.owner_user_id, owner_username=None,
        language="fr", status=OrgStatus.ACTIVE, created_at=NOW, updated_at=NOW,
        confirmed_at=NOW, consented_at=NOW,
    )  # fmt: skip


def test_a_first_publication_plans_everyone_and_reports_no_changes() -> None:
    members = [
        _org(1, company=True, name="Société A"),
        _org(2, company=True, name="Société B"),
        _org(10, company=False, name="Asso A"),
        _org(11, company=False, name="Asso B"),
    ]
    plan = plan_publication(
        members, event_id=5, starts_at=START, rounds=3, tables=2, max_per_side=10,
        wishes=set(), previous=[], now=NOW, reminder_delays=DELAYS,
    )  # fmt: skip
    assert plan is not None
    assert plan.first
    assert plan.changes == {}
    assert len(plan.schedule.meetings) == 4
    assert len(plan.reminders) == 8, "two reminders for each of the four"


def test_a_late_company_moves_few_and_only_the_moved_are_changes() -> None:
    members = [
        _org(1, company=True, name="Société A"),
        _org(2, company=True, name="Société B"),
        _org(10, company=False, name="Asso A"),
        _org(11, company=False, name="Asso B"),
    ]
    common = {"event_id": 5, "starts_at": START, "rounds": 3, "tables": 2, "max_per_side": 10,
              "wishes": set[tuple[int, int]](), "now": NOW, "reminder_delays": DELAYS}  # fmt: skip
    first = plan_publication(members, previous=[], **common)  # type: ignore[arg-type]
    assert first is not None
    late = [*members, _org(3, company=True, name="Société C")]
    again = plan_publication(late, previous=first.schedule.meetings, **common)  # type: ignore[arg-type]
    assert again is not None
    assert not again.first
    assert again.changes == changed(first.schedule.meetings, again.schedule.meetings)
    assert 3 in again.changes, "the newcomer's meetings are all new"
    kept = set(first.schedule.meetings) & set(again.schedule.meetings)
    assert kept, "a late registration keeps meetings in place"


def test_without_both_sides_there_is_nothing_to_plan() -> None:
    members = [_org(1, company=True, name="Société A")]
    assert (
        plan_publication(
            members,
            event_id=5,
            starts_at=START,
            rounds=3,
            tables=2,
            max_per_side=10,
            wishes=set(),
            previous=[],
            now=NOW,
            reminder_delays=DELAYS,
        )
        is None
    )
