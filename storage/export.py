"""The rows behind /export: every table the organisers take away, as plain tuples (times as
stored, UTC ISO text; codes untranslated: the handler names them in the reader's language)."""

from __future__ import annotations

from collections import defaultdict

from storage.db import Database
from storage.stats import Scope

Row = tuple[object, ...]


async def organisations(db: Database) -> list[Row]:
    """id, kind, name, description, place, remote, status (or moderation), contact, email,
    phone, language, registered, updated, news opted out."""
    return await db.fetch_tuples(
        "SELECT o.id, o.kind, o.name, o.description, o.location_text, o.location_remote,"
        " COALESCE(m.action, o.status), o.contact_name, o.email, o.phone, o.language,"
        " o.created_at, o.updated_at, n.user_id IS NOT NULL"
        " FROM organisations o LEFT JOIN moderation m ON m.organisation_id = o.id"
        " LEFT JOIN news_optout n ON n.user_id = o.owner_user_id WHERE o.left_at IS NULL"
        " ORDER BY o.id"
    )


async def items(db: Database) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """(organisation, direction) → [(category, the owner's words)], in the owner's order."""
    rows = await db.fetch_tuples(
        "SELECT organisation_id, direction, category, detail FROM organisation_items"
        " ORDER BY organisation_id, direction, position"
    )
    found: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for r in rows:
        found[(r[0], r[1])].append((r[2], r[3]))
    return found


async def partnerships(db: Database, scope: Scope | None = None) -> list[Row]:
    """One row per partnership (one per confirmed record if it has several): id, association,
    company, stage, introduced, stage since, stuck since, event; the record's kind, who gives
    ('proposer', 'other', 'both' as seen by the proposer), proposer, description, hours,
    value, confirmed. With `scope`: only the records confirmed within it."""
    where: str = "1"
    values: tuple[str | None, ...] = ()
    join = "LEFT JOIN"
    if scope is not None:
        window, values = scope.window("r.confirmed_at")
        where, join = window, "JOIN"
    return await db.fetch_tuples(
        "SELECT p.id, a.name, c.name, p.stage, p.created_at, p.stage_changed_at, p.stuck_since,"
        " e.title, r.kind, r.giver, f.name, r.description, r.hours, r.value_eur, r.confirmed_at,"
        " r.proposer_id = p.association_id"
        " FROM partnerships p JOIN organisations a ON a.id = p.association_id"
        " JOIN organisations c ON c.id = p.company_id"
        " LEFT JOIN events e ON e.id = p.event_id"
        f" {join} partnership_records r ON r.partnership_id = p.id AND r.status = 'confirmed'"
        " LEFT JOIN organisations f ON f.id = r.proposer_id"
        f" WHERE {where} ORDER BY p.id, r.id",
        values,
    )


async def events(db: Database, scope: Scope | None = None) -> list[Row]:
    """id, title, start, venue, minutes, tables, rounds, status, created by (user id),
    participants, meetings, partnerships started there, of which recorded."""
    where: str = "1"
    values: tuple[str | None, ...] = ()
    if scope is not None:
        window, values = scope.window("e.starts_at")
        where = f"{window} AND e.status != 'cancelled'"
    return await db.fetch_tuples(
        "SELECT e.id, e.title, e.starts_at, e.venue, e.minutes, e.tables, e.rounds, e.status,"
        " e.organiser_user_id,"
        " (SELECT COUNT(*) FROM event_participants ep WHERE ep.event_id = e.id),"
        " (SELECT COUNT(*) FROM event_meetings m WHERE m.event_id = e.id),"
        " (SELECT COUNT(*) FROM partnerships p WHERE p.event_id = e.id),"
        " (SELECT COUNT(DISTINCT p.id) FROM partnerships p JOIN partnership_records r"
        "  ON r.partnership_id = p.id AND r.status = 'confirmed' WHERE p.event_id = e.id)"
        f" FROM events e WHERE {where} ORDER BY e.starts_at",
        values,
    )


async def participants(db: Database) -> list[Row]:
    """event id, event title, organisation id, name, kind, joined."""
    return await db.fetch_tuples(
        "SELECT e.id, e.title, o.id, o.name, o.kind, ep.joined_at FROM event_participants ep"
        " JOIN events e ON e.id = ep.event_id JOIN organisations o ON o.id = ep.organisation_id"
        " ORDER BY e.starts_at, o.kind, o.name"
    )


async def meetings(db: Database) -> list[Row]:
    """event id, event title, event start, minutes per round, round, table, company,
    association, the company's follow-up mark, the association's, the pair's stage now, its
    record's kind."""
    return await db.fetch_tuples(
        "SELECT e.id, e.title, e.starts_at, e.minutes, m.round, m.table_no, c.name, a.name,"
        " EXISTS (SELECT 1 FROM event_marks k WHERE k.event_id = m.event_id"
        "  AND k.who_id = m.company_id AND k.whom_id = m.association_id),"
        " EXISTS (SELECT 1 FROM event_marks k WHERE k.event_id = m.event_id"
        "  AND k.who_id = m.association_id AND k.whom_id = m.company_id),"
        " p.stage, (SELECT r.kind FROM partnership_records r WHERE r.partnership_id = p.id"
        "  AND r.status = 'confirmed' ORDER BY r.id DESC LIMIT 1)"
        " FROM event_meetings m JOIN events e ON e.id = m.event_id"
        " JOIN organisations c ON c.id = m.company_id"
        " JOIN organisations a ON a.id = m.association_id"
        " LEFT JOIN partnerships p ON p.association_id = m.association_id"
        " AND p.company_id = m.company_id ORDER BY e.starts_at, m.round, m.table_no"
    )


async def nudges(db: Database) -> list[Row]:
    """id, question, recipient, partnership, event, due, state, sent, answered, times asked
    before."""
    return await db.fetch_tuples(
        "SELECT n.id, n.kind, o.name, n.partnership_id, n.event_id, n.due_at, n.state,"
        " n.sent_at, n.answered_at, n.asked_before FROM nudges n"
        " JOIN organisations o ON o.id = n.recipient_id ORDER BY n.id"
    )
