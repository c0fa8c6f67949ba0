"""Counts and figures: the metrics endpoint's counts (`organisations`, `partnerships`), and the
queries behind the organisers' /stats, grouped in SQL so that only small results cross into
Python (the funnel's durations are the largest: one row per recorded step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class Scope:
    """What the figures cover: a period ([start, end), UTC) and optionally one event."""

    start: datetime | None = None
    end: datetime | None = None
    event_id: int | None = None

    def window(self, column: str) -> tuple[str, tuple[str | None, ...]]:
        """A condition keeping `column` (a stored time) within the period, and its values."""
        start = to_db_time(self.start) if self.start else None
        end = to_db_time(self.end) if self.end else None
        return f"(? IS NULL OR {column} >= ?) AND (? IS NULL OR {column} < ?)", (
            start,
            start,
            end,
            end,
        )


# The funnel rank of each stage; dead ends (-1) keep the rank reached before them.
_RANK = (
    "CASE s.stage WHEN 'introduced' THEN 0 WHEN 'in_contact' THEN 1 WHEN 'met' THEN 2"
    " WHEN 'agreed' THEN 3 WHEN 'ongoing' THEN 3 WHEN 'carried_out' THEN 4 ELSE -1 END"
)
_FUNNEL_STAGES = "('introduced', 'in_contact', 'met', 'agreed', 'carried_out')"


def _pairs(scope: Scope) -> tuple[str, tuple[object, ...]]:
    """Partnerships introduced within the period (and at the event)."""
    window, values = scope.window("p.created_at")
    return f"{window} AND (? IS NULL OR p.event_id = ?)", (*values, scope.event_id, scope.event_id)


def _members(scope: Scope) -> tuple[str, tuple[object, ...]]:
    return (
        "(? IS NULL OR o.id IN (SELECT organisation_id FROM event_participants"
        " WHERE event_id = ?))",
        (scope.event_id, scope.event_id),
    )


async def organisation_rows(db: Database, scope: Scope) -> list[tuple[str, str, str, int, int]]:
    """(kind, status, location text, remote, count) for the organisations registered within
    the period (and taking part in the event); a moderated one's status is the action taken."""
    window, values = scope.window("o.created_at")
    members, more = _members(scope)
    rows = await db.fetchall(
        "SELECT o.kind, COALESCE(m.action, o.status), o.location_text, o.location_remote,"
        " COUNT(*) FROM organisations o LEFT JOIN moderation m ON m.organisation_id = o.id"
        f" WHERE o.left_at IS NULL AND {window} AND {members} GROUP BY 1, 2, 3, 4",
        (*values, *more),
    )
    return [(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]


async def supply_rows(db: Database, scope: Scope) -> list[tuple[str, str, str, int]]:
    """(kind, direction, category, organisations) over the active organisations today (and
    taking part in the event): what is needed and offered now."""
    members, more = _members(scope)
    rows = await db.fetchall(
        "SELECT o.kind, i.direction, i.category, COUNT(DISTINCT o.id) FROM organisation_items i"
        " JOIN organisations o ON o.id = i.organisation_id"
        f" WHERE o.status = 'active' AND o.left_at IS NULL AND {members} GROUP BY 1, 2, 3",
        more,
    )
    return [(r[0], r[1], r[2], int(r[3])) for r in rows]


async def stages_now(db: Database, scope: Scope) -> dict[str, int]:
    where, values = _pairs(scope)
    rows = await db.fetchall(
        f"SELECT p.stage, COUNT(*) FROM partnerships p WHERE {where} GROUP BY 1", values
    )
    return {r[0]: int(r[1]) for r in rows}


async def highest_ranks(db: Database, scope: Scope) -> dict[int, int]:
    """How many pairs have each highest funnel rank in their history."""
    where, values = _pairs(scope)
    rows = await db.fetchall(
        f"SELECT top, COUNT(*) FROM (SELECT MAX({_RANK}) AS top FROM partnership_stages s"
        f" JOIN partnerships p ON p.id = s.partnership_id WHERE {where}"
        " GROUP BY s.partnership_id) GROUP BY top",
        values,
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def step_durations(db: Database, scope: Scope) -> list[tuple[str, float]]:
    """(stage, days since the pair's previous funnel stage) for every recorded step."""
    where, values = _pairs(scope)
    rows = await db.fetchall(
        "SELECT stage, days FROM (SELECT s.stage, julianday(s.entered_at) - julianday(LAG("
        "s.entered_at) OVER (PARTITION BY s.partnership_id ORDER BY s.entered_at, s.id)) AS days"
        " FROM partnership_stages s JOIN partnerships p ON p.id = s.partnership_id"
        f" WHERE {where} AND s.stage IN {_FUNNEL_STAGES}) WHERE days IS NOT NULL",
        values,
    )
    return [(r[0], float(r[1])) for r in rows]


def _records(scope: Scope) -> tuple[str, tuple[object, ...]]:
    """Confirmed records within the period (by confirmation), of the event's pairs."""
    window, values = scope.window("r.confirmed_at")
    return (
        f"r.status = 'confirmed' AND {window} AND (? IS NULL OR p.event_id = ?)",
        (*values, scope.event_id, scope.event_id),
    )


async def record_totals(
    db: Database, scope: Scope
) -> list[tuple[str, int, float | None, float | None]]:
    """(kind, count, hours, value in euros) of the confirmed records."""
    where, values = _records(scope)
    rows = await db.fetchall(
        "SELECT r.kind, COUNT(*), SUM(r.hours), SUM(r.value_eur) FROM partnership_records r"
        f" JOIN partnerships p ON p.id = r.partnership_id WHERE {where} GROUP BY 1",
        values,
    )
    return [(r[0], int(r[1]), r[2], r[3]) for r in rows]


async def record_times(db: Database, scope: Scope) -> list[tuple[str, str]]:
    """(kind, confirmation time as stored) of every confirmed record."""
    where, values = _records(scope)
    rows = await db.fetchall(
        "SELECT r.kind, r.confirmed_at FROM partnership_records r"
        f" JOIN partnerships p ON p.id = r.partnership_id WHERE {where}",
        values,
    )
    return [(r[0], r[1]) for r in rows]


async def event_rows(
    db: Database, scope: Scope, limit: int = 20
) -> list[tuple[int, str, datetime, int, int, int, int, int]]:
    """Per event starting within the period (or the one event), latest first: id, title,
    start, companies, associations, meetings, partnerships started there, of which recorded."""
    window, values = scope.window("e.starts_at")
    rows = await db.fetchall(
        "SELECT e.id, e.title, e.starts_at,"
        " (SELECT COUNT(*) FROM event_participants ep JOIN organisations o"
        "  ON o.id = ep.organisation_id WHERE ep.event_id = e.id AND o.kind = 'company'),"
        " (SELECT COUNT(*) FROM event_participants ep JOIN organisations o"
        "  ON o.id = ep.organisation_id WHERE ep.event_id = e.id AND o.kind = 'association'),"
        " (SELECT COUNT(*) FROM event_meetings m WHERE m.event_id = e.id),"
        " (SELECT COUNT(*) FROM partnerships p WHERE p.event_id = e.id),"
        " (SELECT COUNT(DISTINCT p.id) FROM partnerships p JOIN partnership_records r"
        "  ON r.partnership_id = p.id AND r.status = 'confirmed' WHERE p.event_id = e.id)"
        f" FROM events e WHERE e.status != 'cancelled' AND (? IS NOT NULL OR {window})"
        " AND (? IS NULL OR e.id = ?) ORDER BY e.starts_at DESC LIMIT ?",
        (scope.event_id, *values, scope.event_id, scope.event_id, limit),
    )
    return [
        (r[0], r[1], from_db_time(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7]))
        for r in rows
    ]


async def organisations(db: Database) -> dict[tuple[str, str], int]:
    """Organisations by (kind, status) (for the metrics endpoint)."""
    rows = await db.fetchall("SELECT kind, status, COUNT(*) FROM organisations GROUP BY 1, 2")
    return {(row[0], row[1]): int(row[2]) for row in rows}


async def partnerships(db: Database) -> dict[str, int]:
    """Introduced pairs by pipeline stage (for the metrics endpoint)."""
    rows = await db.fetchall("SELECT stage, COUNT(*) FROM partnerships GROUP BY 1")
    return {row[0]: int(row[1]) for row in rows}
