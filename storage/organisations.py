"""Organisations and their needs and offers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from core.models import (
    Contact,
    Direction,
    Item,
    Location,
    Organisation,
    OrgKind,
    OrgStatus,
    ProfileData,
)
from core.pipeline import NudgeKind, Planned
from storage.db import Database, from_db_time, to_db_time
from storage.pipeline import plan


class KindLocked(Exception):  # noqa: N818 - an outcome the handler explains, not a crash
    """Association or company cannot change once the organisation has requests, partnerships
    or events: every pair must stay one association and one company."""


# Readers never see an organisation that left (its anonymous row only keeps pairs whole).
_PRESENT = "left_at IS NULL"

_COLUMNS = (
    "id, kind, name, description, location_text, location_remote, contact_name, email, phone,"
    " owner_user_id, owner_username, language, status, source_payload, consented_at,"
    " confirmed_at, created_at, updated_at, unreachable_since"
)


async def save_profile(
    conn: aiosqlite.Connection,
    profile: ProfileData,
    org_id: int | None = None,
    *,
    now: datetime,
    fresh_check_at: datetime | None = None,
) -> int:
    """Insert or update a confirmed profile inside the caller's transaction; returns its id.

    With `fresh_check_at`, the "are your needs and offers still current?" question is
    (re)planned for then, in the same transaction.
    """
    stamp = to_db_time(now)
    values = (
        profile.kind.value,
        profile.name,
        profile.description,
        profile.location.text,
        int(profile.location.remote),
        profile.contact.name,
        profile.contact.email,
        profile.contact.phone,
        profile.owner_username,
        profile.language,
    )
    if org_id is None:
        cursor = await conn.execute(
            "INSERT INTO organisations (kind, name, description, location_text, location_remote,"
            " contact_name, email, phone, owner_username, language, owner_user_id,"
            " source_payload, consented_at, confirmed_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, profile.owner_user_id, profile.source_payload, stamp, stamp, stamp, stamp),
        )
        assert cursor.lastrowid is not None
        org_id = cursor.lastrowid
    else:
        cursor = await conn.execute(
            "SELECT kind FROM organisations WHERE id = ? AND owner_user_id = ?",
            (org_id, profile.owner_user_id),
        )
        row = await cursor.fetchone()
        if row is not None and row[0] != profile.kind.value and await _has_history(conn, org_id):
            raise KindLocked
        await conn.execute(
            "UPDATE organisations SET kind = ?, name = ?, description = ?, location_text = ?,"
            " location_remote = ?, contact_name = ?, email = ?, phone = ?, owner_username = ?,"
            " language = ?, confirmed_at = ?, updated_at = ?"
            " WHERE id = ? AND owner_user_id = ?",
            (*values, stamp, stamp, org_id, profile.owner_user_id),
        )
        await conn.execute("DELETE FROM organisation_items WHERE organisation_id = ?", (org_id,))
    rows = [
        (org_id, direction.value, position, item.category, item.detail)
        for direction, items in ((Direction.NEED, profile.needs), (Direction.OFFER, profile.offers))
        for position, item in enumerate(items)
    ]
    await conn.executemany(
        "INSERT INTO organisation_items (organisation_id, direction, position, category, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    if fresh_check_at is not None:
        await conn.execute(
            "UPDATE nudges SET state = 'cancelled' WHERE recipient_id = ?"
            " AND kind = 'profile_fresh' AND state IN ('pending', 'sent')",
            (org_id,),
        )
        await plan(conn, [Planned(NudgeKind.PROFILE_FRESH, org_id, fresh_check_at)], now)
    return org_id


_HISTORY = (
    "SELECT EXISTS (SELECT 1 FROM interests WHERE ? IN (from_id, to_id))"
    " OR EXISTS (SELECT 1 FROM partnerships WHERE ? IN (association_id, company_id))"
    " OR EXISTS (SELECT 1 FROM event_participants WHERE organisation_id = ?)"
)


async def _has_history(conn: aiosqlite.Connection, org_id: int) -> bool:
    cursor = await conn.execute(_HISTORY, (org_id,) * 3)
    row = await cursor.fetchone()
    return bool(row and row[0])


async def has_history(db: Database, org_id: int) -> bool:
    """Requests, partnerships or events: its kind (association or company) is then fixed."""
    row = await db.fetchone(_HISTORY, (org_id,) * 3)
    return bool(row and row[0])


async def create(db: Database, profile: ProfileData, now: datetime) -> Organisation:
    async with db.transaction() as conn:
        org_id = await save_profile(conn, profile, now=now)
    org = await get(db, org_id)
    assert org is not None
    return org


async def get(db: Database, org_id: int) -> Organisation | None:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM organisations WHERE id = ? AND {_PRESENT}", (org_id,)
    )
    found = await _hydrate(db, rows)
    return found[0] if found else None


async def get_many(db: Database, org_ids: list[int]) -> list[Organisation]:
    """Several organisations in two queries, in the order asked (missing ones left out)."""
    if not org_ids:
        return []
    marks = ",".join("?" * len(org_ids))
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM organisations WHERE id IN ({marks}) AND {_PRESENT}", org_ids
    )
    found = {org.id: org for org in await _hydrate(db, rows)}
    return [found[i] for i in org_ids if i in found]


async def get_by_owner(db: Database, user_id: int) -> Organisation | None:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM organisations WHERE owner_user_id = ? AND {_PRESENT}",
        (user_id,),
    )
    found = await _hydrate(db, rows)
    return found[0] if found else None


async def list_all(db: Database, *, status: OrgStatus | None = None) -> list[Organisation]:
    if status is None:
        rows = await db.fetchall(
            f"SELECT {_COLUMNS} FROM organisations WHERE {_PRESENT} ORDER BY id"
        )
    else:
        rows = await db.fetchall(
            f"SELECT {_COLUMNS} FROM organisations WHERE status = ? AND {_PRESENT} ORDER BY id",
            (status.value,),
        )
    return await _hydrate(db, rows)


async def list_page(
    db: Database, *, status: OrgStatus, after_id: int, limit: int
) -> list[Organisation]:
    """Up to `limit` organisations with an id above `after_id`, by id (to load in pages)."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM organisations WHERE status = ? AND id > ? ORDER BY id LIMIT ?",
        (status.value, after_id, limit),
    )
    return await _hydrate(db, rows)


async def count(db: Database) -> int:
    row = await db.fetchone(f"SELECT COUNT(*) FROM organisations WHERE {_PRESENT}")
    return int(row[0]) if row else 0


async def set_status(db: Database, user_id: int, status: OrgStatus, now: datetime) -> bool:
    """Pause or resume; False if the user has no organisation."""
    changed = await db.execute_write(
        "UPDATE organisations SET status = ?, updated_at = ? WHERE owner_user_id = ?",
        (status.value, to_db_time(now), user_id),
    )
    return changed > 0


async def mark_unreachable(db: Database, org_id: int, now: datetime) -> None:
    await db.execute_write(
        "UPDATE organisations SET unreachable_since = ? WHERE id = ? AND unreachable_since IS NULL",
        (to_db_time(now), org_id),
    )


async def mark_reachable(db: Database, user_id: int, now: datetime) -> bool:
    """The person wrote to the bot (again): they can be reached, and what was held for them
    while they had blocked the bot goes out now. True if anything changed.

    Runs for every update, so it only writes when there is something to undo.
    """
    row = await db.fetchone(
        "SELECT EXISTS (SELECT 1 FROM organisations WHERE owner_user_id = ?"
        " AND unreachable_since IS NOT NULL) OR EXISTS (SELECT 1 FROM outbox WHERE chat_id = ?"
        " AND state = 'held')",
        (user_id, user_id),
    )
    if row is None or not row[0]:
        return False
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE organisations SET unreachable_since = NULL"
            " WHERE owner_user_id = ? AND unreachable_since IS NOT NULL",
            (user_id,),
        )
        await conn.execute(
            "UPDATE outbox SET state = 'pending', due_at = ? WHERE chat_id = ? AND state = 'held'",
            (to_db_time(now), user_id),
        )
    return True


async def _hydrate(db: Database, rows: Sequence[aiosqlite.Row]) -> list[Organisation]:
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    item_rows = await db.fetchall(
        "SELECT organisation_id, direction, category, detail FROM organisation_items"
        f" WHERE organisation_id IN ({marks}) ORDER BY organisation_id, direction, position",
        ids,
    )
    items: dict[tuple[int, str], list[Item]] = defaultdict(list)
    for item in item_rows:
        items[(item["organisation_id"], item["direction"])].append(
            Item(item["category"], item["detail"])
        )
    return [
        Organisation(
            id=row["id"],
            kind=OrgKind(row["kind"]),
            name=row["name"],
            description=row["description"],
            location=Location(row["location_text"], bool(row["location_remote"])),
            needs=tuple(items[(row["id"], Direction.NEED.value)]),
            offers=tuple(items[(row["id"], Direction.OFFER.value)]),
            contact=Contact(row["contact_name"], row["email"], row["phone"]),
            owner_user_id=row["owner_user_id"],
            owner_username=row["owner_username"],
            language=row["language"],
            status=OrgStatus(row["status"]),
            source_payload=row["source_payload"],
            consented_at=from_db_time(row["consented_at"]),
            confirmed_at=from_db_time(row["confirmed_at"]),
            created_at=from_db_time(row["created_at"]),
            updated_at=from_db_time(row["updated_at"]),
            unreachable_since=(
                from_db_time(row["unreachable_since"]) if row["unreachable_since"] else None
            ),
        )
        for row in rows
    ]
