"""Speed-meeting schedules: always valid, always as short as possible, exactly optimal."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from core.speedmeeting import (
    MUTUAL,
    ONE_SIDED,
    Meeting,
    Schedule,
    colour,
    lower_bound,
    priorities,
    schedule,
)


@st.composite
def events(draw: st.DrawFn) -> tuple[list[int], list[int], dict[tuple[int, int], int], int, int]:
    companies = list(range(1, draw(st.integers(1, 9)) + 1))
    associations = list(range(101, 101 + draw(st.integers(1, 9))))
    tables = draw(st.integers(1, 10))
    rounds = draw(st.integers(1, 10))
    pairs = [(c, a) for c in companies for a in associations]
    wishes: set[tuple[int, int]] = set()
    for c, a in pairs:
        if draw(st.booleans()):
            wishes.add((c, a))
        if draw(st.booleans()):
            wishes.add((a, c))
    scores = {p: draw(st.floats(0, 5)) for p in pairs}
    return (
        companies,
        associations,
        priorities(companies, associations, wishes, scores),
        rounds,
        tables,
    )


def assert_valid(plan: Schedule, tables: int, rounds: int) -> None:
    pairs = [(m.company, m.association) for m in plan.meetings]
    assert len(pairs) == len(set(pairs)), "each pair meets at most once"
    seen: set[tuple[int, int]] = set()
    places: set[tuple[int, int]] = set()
    for m in plan.meetings:
        for who in (m.company, m.association):
            assert (who, m.round) not in seen, "nobody has two meetings in a round"
            seen.add((who, m.round))
        assert (m.table, m.round) not in places, "one meeting per table per round"
        places.add((m.table, m.round))
        assert 1 <= m.table <= tables
        assert 0 <= m.round < plan.rounds
    assert plan.rounds <= rounds
    assert plan.rounds == lower_bound(pairs, tables), "as short as possible"
    sizes = [sum(1 for m in plan.meetings if m.round == r) for r in range(plan.rounds)]
    if sizes:
        assert max(sizes) - min(sizes) <= 1, "rounds are balanced (breaks spread evenly)"


def exact_optimum(priority: dict[tuple[int, int], int], rounds: int, tables: int) -> int:
    """The same selection problem solved independently, as an integer programme (HiGHS)."""
    pairs = list(priority)
    companies = sorted({c for c, _ in pairs})
    associations = sorted({a for _, a in pairs})
    rows = []
    limits = []
    for c in companies:
        rows.append([1.0 if p[0] == c else 0.0 for p in pairs])
        limits.append(rounds)
    for a in associations:
        rows.append([1.0 if p[1] == a else 0.0 for p in pairs])
        limits.append(rounds)
    rows.append([1.0] * len(pairs))
    limits.append(rounds * tables)
    result = milp(
        c=-np.array([priority[p] for p in pairs], dtype=float),
        constraints=LinearConstraint(np.array(rows), -np.inf, np.array(limits, dtype=float)),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return round(-result.fun)


@settings(max_examples=150, deadline=None)
@given(events())
def test_every_schedule_is_valid_minimal_and_exactly_optimal(
    event: tuple[list[int], list[int], dict[tuple[int, int], int], int, int],
) -> None:
    companies, associations, priority, rounds, tables = event
    plan = schedule(companies, associations, priority, rounds=rounds, tables=tables)
    assert_valid(plan, tables, rounds)
    assert plan.total_priority == exact_optimum(priority, rounds, tables)


def test_wanted_meetings_come_first_when_time_is_short() -> None:
    """Two rounds, one table: the mutual wish and the one-sided wish are the ones kept."""
    companies, associations = [1, 2], [101, 102]
    wishes = {(1, 101), (101, 1), (2, 102)}
    priority = priorities(companies, associations, wishes, {})
    plan = schedule(companies, associations, priority, rounds=2, tables=1)
    assert {(m.company, m.association) for m in plan.meetings} == {(1, 101), (2, 102)}
    assert priority[(1, 101)] > MUTUAL > priority[(2, 102)] > ONE_SIDED


def test_everyone_meets_everyone_when_there_is_room() -> None:
    companies, associations = list(range(1, 11)), list(range(101, 111))
    plan = schedule(
        companies,
        associations,
        priorities(companies, associations, set(), {}),
        rounds=10,
        tables=10,
    )
    assert len(plan.meetings) == 100
    assert plan.rounds == 10
    # A table per company: each company keeps its table all event long.
    tables = {
        m.company: {x.table for x in plan.meetings if x.company == m.company} for m in plan.meetings
    }
    assert all(len(t) == 1 for t in tables.values())


def test_a_late_registration_changes_little() -> None:
    """One more association joins: existing meetings mostly keep their round and table."""
    companies, associations = list(range(1, 9)), list(range(101, 108))
    first = schedule(
        companies, associations, priorities(companies, associations, set(), {}), rounds=8, tables=8
    )
    late = [*associations, 108]
    second = schedule(
        companies,
        late,
        priorities(companies, late, set(), {}),
        rounds=8,
        tables=8,
        previous=first.meetings,
    )
    assert_valid(second, 8, 8)
    before = {(m.company, m.association): (m.round, m.table) for m in first.meetings}
    kept = sum(
        1 for m in second.meetings if before.get((m.company, m.association)) == (m.round, m.table)
    )
    assert len(second.meetings) == 64
    assert kept >= 0.75 * len(first.meetings), f"only {kept} of {len(first.meetings)} kept"


def test_nothing_to_schedule() -> None:
    assert schedule([], [], {}, rounds=5, tables=5).meetings == ()
    assert lower_bound([], 3) == 0
    assert math.ceil(0) == 0
    assert Meeting(1, 2, 0, 1).table == 1


def moved(before: Schedule, after: Schedule) -> int:
    """Earlier meetings that changed round or table."""
    where = {(m.company, m.association): (m.round, m.table) for m in before.meetings}
    return sum(
        1
        for m in after.meetings
        if (m.company, m.association) in where
        and where[(m.company, m.association)] != (m.round, m.table)
    )


def test_a_late_association_moves_the_fewest_meetings_possible() -> None:
    """4 × 4 in 4 rounds, then a fifth association joins (5 rounds allowed). Each company is
    busy in rounds 1-4, so the newcomer can meet at most one of them in round 5: each of the
    other three must move one meeting to round 5 to make room. Three moves, not more."""
    companies, associations = [1, 2, 3, 4], [101, 102, 103, 104]
    first = schedule(
        companies, associations, priorities(companies, associations, set(), {}), rounds=5, tables=4
    )
    late = [*associations, 105]
    second = schedule(
        companies, late, priorities(companies, late, set(), {}), rounds=5, tables=4,
        previous=first.meetings,
    )  # fmt: skip
    assert_valid(second, 4, 5)
    assert len(second.meetings) == 20
    assert moved(first, second) == 3


@settings(max_examples=40, deadline=None)
@given(events(), st.integers(0, 2))
def test_a_republished_schedule_is_valid_and_moves_no_more_than_the_colouring_alone(
    event: tuple[list[int], list[int], dict[tuple[int, int], int], int, int], extra: int
) -> None:
    """After late registrations the schedule is still valid, minimal and exactly optimal in
    priority, and keeps at least as many meetings in place as the colouring alone would."""
    companies, associations, _, rounds, tables = event
    first = schedule(
        companies, associations, priorities(companies, associations, set(), {}),
        rounds=rounds, tables=tables,
    )  # fmt: skip
    late = associations + list(range(200, 200 + extra))
    priority = priorities(companies, late, set(), {})
    second = schedule(
        companies, late, priority, rounds=rounds, tables=tables, previous=first.meetings
    )
    assert_valid(second, tables, rounds)
    assert second.total_priority == exact_optimum(priority, rounds, tables)
    earlier = {(m.company, m.association): m.round for m in first.meetings}
    chosen = [(m.company, m.association) for m in second.meetings]
    alone = colour(sorted(chosen), second.rounds, earlier)
    kept_alone = sum(1 for p, r in alone.items() if earlier.get(p) == r)
    kept = sum(1 for m in second.meetings if earlier.get((m.company, m.association)) == m.round)
    assert kept >= kept_alone
