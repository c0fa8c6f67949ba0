"""Speed-meeting schedules: who meets whom, in which round, at which table.

Two exact steps, both classical:

1. **Selection** (which meetings take place): the set of company-association pairs with the
   greatest total priority such that nobody has more meetings than there are rounds and the
   tables can host them all (rounds × tables). This is a degree-constrained bipartite
   subgraph, solved exactly as a min-cost flow (OR-Tools). Priorities: a mutual wish beats a
   one-sided wish, which beats match score; every pair is worth at least 1, so free capacity is
   filled with meetings rather than breaks.
2. **Rounds** (when they take place): an edge colouring of the selected bipartite graph with
   L = max(most meetings of any one participant, ceil(meetings / tables)) colours, which is the
   lower bound on rounds. König's theorem gives a proper colouring with the maximum degree
   (Kempe-chain recolouring); swapping colours along alternating paths then makes it
   *equitable* (round sizes differ by at most one, de Werra), so no round needs more tables
   than there are, and the idle participants are spread evenly over the rounds.

Re-running after a late registration starts from the previous schedule: kept meetings are
preferred in the selection, then an exact integer programme (CP-SAT) moves as few of them to
another round as possible (`fewest_moves`), and they keep their table when it is free.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

MUTUAL = 1000
ONE_SIDED = 100
SCORE_MAX = 99

Pair = tuple[int, int]  # (company id, association id)


@dataclass(frozen=True, slots=True)
class Meeting:
    company: int
    association: int
    round: int  # 0-based
    table: int  # 1-based, as printed on the table


@dataclass(frozen=True, slots=True)
class Schedule:
    meetings: tuple[Meeting, ...]
    rounds: int
    lower_bound: int
    total_priority: int

    def of(self, participant: int) -> list[Meeting]:
        return sorted(
            (m for m in self.meetings if participant in (m.company, m.association)),
            key=lambda m: m.round,
        )


def priorities(
    companies: Iterable[int],
    associations: Iterable[int],
    wishes: set[tuple[int, int]],
    scores: Mapping[Pair, float],
    top_score: float | None = None,
) -> dict[Pair, int]:
    """Integer priority per pair: mutual wish > one-sided wish > match score > nothing (1).

    `wishes` holds (who, whom) for both sides; scores are scaled to 0-99 by the best one.
    """
    companies, associations = list(companies), list(associations)
    best = top_score or max(scores.values(), default=0.0) or 1.0
    found: dict[Pair, int] = {}
    for c in companies:
        for a in associations:
            wanted = ((c, a) in wishes) + ((a, c) in wishes)
            base = MUTUAL if wanted == 2 else ONE_SIDED if wanted == 1 else 0
            found[(c, a)] = 1 + base + round(SCORE_MAX * min(1.0, scores.get((c, a), 0.0) / best))
    return found


def lower_bound(meetings: Iterable[Pair], tables: int) -> int:
    """max(most meetings of one participant, ceil(meetings / tables))."""
    degree: dict[tuple[str, int], int] = defaultdict(int)
    count = 0
    for c, a in meetings:
        degree[("c", c)] += 1
        degree[("a", a)] += 1
        count += 1
    if count == 0:
        return 0
    return max(*degree.values(), math.ceil(count / tables))


def select(
    priority: Mapping[Pair, int], *, rounds: int, tables: int, keep: Iterable[Pair] = ()
) -> set[Pair]:
    """The meetings with the greatest total priority that fit: exact, by min-cost flow.

    `keep` (a previous schedule's meetings) wins ties, so a re-run changes little.
    """
    if not priority or rounds <= 0 or tables <= 0:
        return set()
    kept = set(keep)
    companies = sorted({c for c, _ in priority})
    associations = sorted({a for _, a in priority})
    node_c = {c: 2 + i for i, c in enumerate(companies)}
    node_a = {a: 2 + len(companies) + i for i, a in enumerate(associations)}
    source, hub, sink = 0, 1, 2 + len(companies) + len(associations)
    capacity = min(rounds * tables, rounds * len(companies), rounds * len(associations))
    flow = min_cost_flow.SimpleMinCostFlow()
    # The hub caps the whole event at rounds × tables meetings; the bypass lets the solver
    # send nothing through pairs when that is cheaper (it never is: every pair is worth > 0).
    flow.add_arc_with_capacity_and_unit_cost(source, hub, rounds * tables, 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, capacity, 0)
    for c in companies:
        flow.add_arc_with_capacity_and_unit_cost(hub, node_c[c], rounds, 0)
    for a in associations:
        flow.add_arc_with_capacity_and_unit_cost(node_a[a], sink, rounds, 0)
    arcs: dict[int, Pair] = {}
    for pair, value in priority.items():
        cost = -(2 * value + (1 if pair in kept else 0))
        arcs[
            flow.add_arc_with_capacity_and_unit_cost(node_c[pair[0]], node_a[pair[1]], 1, cost)
        ] = pair
    flow.set_node_supply(source, capacity)
    flow.set_node_supply(sink, -capacity)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return {pair for arc, pair in arcs.items() if flow.flow(arc) > 0}


class _Colouring:
    """A partial edge colouring of a bipartite graph, with the look-ups Kempe chains need."""

    def __init__(self) -> None:
        self.colour_of: dict[Pair, int] = {}
        self.at_c: dict[int, dict[int, int]] = defaultdict(dict)  # company → colour → assoc.
        self.at_a: dict[int, dict[int, int]] = defaultdict(dict)  # assoc. → colour → company

    def free(self, pair: Pair, k: int) -> bool:
        return k not in self.at_c[pair[0]] and k not in self.at_a[pair[1]]

    def put(self, pair: Pair, k: int) -> None:
        self.colour_of[pair] = k
        self.at_c[pair[0]][k] = pair[1]
        self.at_a[pair[1]][k] = pair[0]

    def take(self, pair: Pair) -> int:
        k = self.colour_of.pop(pair)
        del self.at_c[pair[0]][k]
        del self.at_a[pair[1]][k]
        return k

    def path(self, node: int, company_side: bool, first: int, second: int) -> list[Pair]:
        """The edges coloured first, second, first, ... walking from `node`."""
        found: list[Pair] = []
        want = first
        while (other := (self.at_c if company_side else self.at_a)[node].get(want)) is not None:
            found.append((node, other) if company_side else (other, node))
            node, company_side = other, not company_side
            want = second if want == first else first
        return found

    def swap(self, path: list[Pair], x: int, y: int) -> None:
        """Exchange colours x and y along an alternating path (it stays a proper colouring)."""
        old = [(pair, self.take(pair)) for pair in path]
        for pair, k in old:
            self.put(pair, y if k == x else x)

    def sizes(self, colours: int) -> list[int]:
        counts = [0] * colours
        for k in self.colour_of.values():
            counts[k] += 1
        return counts


def colour(
    edges: Iterable[Pair], colours: int, initial: Mapping[Pair, int] | None = None
) -> dict[Pair, int]:
    """A proper edge colouring with `colours` ≥ max degree colours, then made equitable."""
    state = _Colouring()
    pending = []
    for pair in edges:
        k = (initial or {}).get(pair)
        if k is not None and k < colours and state.free(pair, k):
            state.put(pair, k)
        else:
            pending.append(pair)
    for c, a in pending:
        alpha = next(k for k in range(colours) if k not in state.at_c[c])
        beta = next(k for k in range(colours) if k not in state.at_a[a])
        if alpha in state.at_a[a]:
            # Swap alpha/beta along the alternating path from `a`: afterwards alpha is free at
            # `a` and, the graph being bipartite, still free at `c` (König).
            state.swap(state.path(a, False, alpha, beta), alpha, beta)
        state.put((c, a), alpha)
    _equalise(state, colours)
    return state.colour_of


def _equalise(state: _Colouring, colours: int) -> None:
    """Make colour classes differ in size by at most one (de Werra): while the largest class
    exceeds the smallest by two or more, swap their colours along an alternating path that
    starts and ends with the larger colour."""
    while True:
        sizes = state.sizes(colours)
        big = max(range(colours), key=lambda k: sizes[k])
        small = min(range(colours), key=lambda k: sizes[k])
        if sizes[big] - sizes[small] <= 1:
            return
        for (c, a), k in list(state.colour_of.items()):
            # Start at an end of a path: a vertex with the big colour but not the small one.
            if k != big or (small in state.at_c[c] and small in state.at_a[a]):
                continue
            start_at_company = small not in state.at_c[c]
            path = state.path(c if start_at_company else a, start_at_company, big, small)
            if len(path) % 2 == 1:  # starts and ends with `big`: one more big than small
                state.swap(path, big, small)
                break
        else:  # pragma: no cover - cannot happen for a proper colouring
            raise RuntimeError("no alternating path to equalise colour classes")


def fewest_moves(
    rounds: Mapping[Pair, int],
    colours: int,
    tables: int,
    earlier: Mapping[Pair, int],
    *,
    seconds: float = 3.0,
) -> dict[Pair, int]:
    """The same meetings in `colours` rounds, moving as few earlier meetings as possible.

    People already hold their agenda: every meeting that changes round is a correction to
    send. The colouring above keeps earlier rounds where it can, but the Kempe swaps that make
    room for newcomers may move more than needed. This is the exact problem as a small integer
    programme (CP-SAT): each meeting gets one round, nobody is in two meetings at once, every
    round fits the tables and rounds stay balanced (sizes differ by at most one); maximise the
    meetings that keep their earlier round. `rounds` (a valid answer) is the starting hint;
    if the solver finds nothing better within `seconds`, it is returned unchanged.
    """
    pairs = sorted(rounds)
    count = len(pairs)
    model = cp_model.CpModel()
    x = {
        (p, r): model.new_bool_var(f"x{i}_{r}") for i, p in enumerate(pairs) for r in range(colours)
    }
    for p in pairs:
        model.add_exactly_one(x[(p, r)] for r in range(colours))
        for r in range(colours):
            model.add_hint(x[(p, r)], rounds[p] == r)
    by_company: dict[int, list[Pair]] = defaultdict(list)
    by_association: dict[int, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_company[p[0]].append(p)
        by_association[p[1]].append(p)
    for group in (*by_company.values(), *by_association.values()):
        for r in range(colours):
            model.add_at_most_one(x[(p, r)] for p in group)
    low, high = count // colours, min(tables, math.ceil(count / colours))
    for r in range(colours):
        size = sum(x[(p, r)] for p in pairs)
        model.add(size >= low)
        model.add(size <= high)
    model.maximize(sum(x[(p, earlier[p])] for p in pairs if p in earlier and earlier[p] < colours))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    # Reproducible: the same event published twice gives the same schedule.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 7
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(rounds)
    found = {p: next(r for r in range(colours) if solver.value(x[(p, r)])) for p in pairs}
    kept_before = sum(1 for p in pairs if earlier.get(p) == rounds[p])
    kept_now = sum(1 for p in pairs if earlier.get(p) == found[p])
    return found if kept_now >= kept_before else dict(rounds)


def assign_tables(
    rounds: Mapping[Pair, int],
    tables: int,
    companies: list[int],
    previous: Mapping[Pair, int] | None = None,
) -> list[Meeting]:
    """A table for every meeting. With a table per company, each company keeps its own table
    all event long (associations move); otherwise a meeting keeps its previous table, or a
    company its table from the round before, when free."""
    home = {c: i + 1 for i, c in enumerate(companies)} if tables >= len(companies) else {}
    by_round: dict[int, list[Pair]] = defaultdict(list)
    for pair, r in rounds.items():
        by_round[r].append(pair)
    last_table: dict[int, int] = {}
    meetings: list[Meeting] = []
    for r in sorted(by_round):
        taken: set[int] = set()
        placed: dict[Pair, int] = {}
        ordered = sorted(by_round[r], key=lambda p: (p not in (previous or {}), p))
        for pair in ordered:
            for wish in (home.get(pair[0]), (previous or {}).get(pair), last_table.get(pair[0])):
                if wish is not None and wish not in taken and wish <= tables:
                    placed[pair] = wish
                    break
            else:
                placed[pair] = next(t for t in range(1, tables + 1) if t not in taken)
            taken.add(placed[pair])
        for pair, table in placed.items():
            last_table[pair[0]] = table
            meetings.append(Meeting(pair[0], pair[1], r, table))
    return sorted(meetings, key=lambda m: (m.round, m.table))


def schedule(
    companies: list[int],
    associations: list[int],
    priority: Mapping[Pair, int],
    *,
    rounds: int,
    tables: int,
    previous: Iterable[Meeting] = (),
) -> Schedule:
    """The shortest schedule of the best meetings that fit in `rounds` rounds at `tables`."""
    previous = list(previous)
    chosen = select(
        priority, rounds=rounds, tables=tables, keep=[(m.company, m.association) for m in previous]
    )
    bound = lower_bound(chosen, tables)
    if not chosen:
        return Schedule((), 0, 0, 0)
    earlier_round = {(m.company, m.association): m.round for m in previous}
    earlier_table = {(m.company, m.association): m.table for m in previous}
    coloured = colour(sorted(chosen), bound, earlier_round)
    if earlier_round:
        coloured = fewest_moves(coloured, bound, tables, earlier_round)
    meetings = assign_tables(coloured, tables, sorted(companies), earlier_table)
    total = sum(priority[(m.company, m.association)] for m in meetings)
    return Schedule(tuple(meetings), bound, bound, total)
