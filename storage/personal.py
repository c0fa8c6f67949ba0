"""A person's data as a whole: erasure (/delete) and export (/mydata), the GDPR's rights of
erasure and of access.

What erasure does, table by table (README, "Privacy"):
- users, conversations (drafts of every form): deleted;
- organisations: the row stays as an anonymous tombstone (kind only; every personal field
  blanked; owner_user_id = -id, which matches no Telegram user; left_at set), so that the other
  side's partnerships and confirmed records, and the network's figures, stay whole;
- organisation_items, dismissals, interests (with their reminders), match notifications,
  nudges to them, event wishes and follow-up marks, participations in events not yet
  published: deleted. Participations and meetings of published events stay (ids only): they
  are the event's figures;
- partnership records: confirmed ones stay (the other side signed them too: they are its
  history); proposals and superseded versions are deleted; the pair's pending questions are
  cancelled;
- outbox: every row to them is deleted, sent or not. Rows to others never keep content once
  sent (storage.outbox drops it); rows to others not yet sent whose text or file quotes them
  (name, contact, e-mail, phone, username) are cancelled and emptied, so nothing about them
  goes out after they left. Kinds, dates and states stay, so counts do.
Then the -wal file is checkpointed and truncated; with `secure_delete` on, nothing erased
remains in the database, -wal or -shm files.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database, to_db_time

# Values shorter than this are not searched for in other people's queued messages: a name of
# one or two letters would match (and cancel) nearly everything.
_SHORTEST_SEARCHED = 3


async def erase(db: Database, user_id: int, now: datetime) -> bool:
    """Erase everything kept about Telegram user `user_id` (see the module docstring). True if
    they had an organisation."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT id, name, contact_name, email, phone, owner_username FROM organisations"
            " WHERE owner_user_id = ? AND left_at IS NULL",
            (user_id,),
        )
        org = await cursor.fetchone()
        await conn.execute(
            "DELETE FROM conversations WHERE user_id = ? OR chat_id = ?", (user_id, user_id)
        )
        await conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        await conn.execute("DELETE FROM outbox WHERE chat_id = ?", (user_id,))
        if org is not None:
            await _erase_organisation(conn, org, now)
    # Outside the transaction: the erased rows' old pages leave the -wal file now.
    await db.checkpoint()
    return org is not None


async def _erase_organisation(
    conn: aiosqlite.Connection, org: aiosqlite.Row, now: datetime
) -> None:
    org_id = org["id"]
    await _forget_in_outbox(conn, org)
    await conn.execute("DELETE FROM outbox WHERE recipient_id = ?", (org_id,))
    stamp = to_db_time(now)
    await conn.execute(
        "UPDATE organisations SET name = '', description = '', location_text = '',"
        " location_remote = 0, contact_name = '', email = NULL, phone = NULL,"
        " owner_user_id = -id, owner_username = NULL, language = '', status = 'paused',"
        " source_payload = NULL, consented_at = ?, confirmed_at = ?, created_at = ?,"
        " updated_at = ?, unreachable_since = NULL, left_at = ? WHERE id = ?",
        (stamp, stamp, stamp, stamp, stamp, org_id),
    )
    for sql in (
        "DELETE FROM organisation_items WHERE organisation_id = ?",
        "DELETE FROM dismissals WHERE ? IN (organisation_id, other_id)",
        # Their reminders go with them (nudges.interest_id cascades).
        "DELETE FROM interests WHERE ? IN (from_id, to_id)",
        "DELETE FROM notifications WHERE ? IN (recipient_id, about_id)",
        "DELETE FROM nudges WHERE recipient_id = ?",
        "DELETE FROM event_wishes WHERE ? IN (who_id, whom_id)",
        "DELETE FROM event_marks WHERE ? IN (who_id, whom_id)",
    ):
        await conn.execute(sql, (org_id,))
    pairs = "SELECT id FROM partnerships WHERE ? IN (association_id, company_id)"
    await conn.execute(
        f"DELETE FROM partnership_records WHERE status != 'confirmed'"
        f" AND partnership_id IN ({pairs})",
        (org_id,),
    )
    await conn.execute(
        f"UPDATE nudges SET state = 'cancelled' WHERE partnership_id IN ({pairs})"
        " AND state IN ('pending', 'sending', 'sent')",
        (org_id,),
    )
    # Every event they were in changes: a new publication (without them) is due.
    await conn.execute(
        "UPDATE events SET revision = revision + 1 WHERE status != 'cancelled' AND id IN"
        " (SELECT event_id FROM event_participants WHERE organisation_id = ?)",
        (org_id,),
    )
    await conn.execute(
        "DELETE FROM event_participants WHERE organisation_id = ? AND event_id IN"
        " (SELECT id FROM events WHERE status = 'open')",
        (org_id,),
    )


async def _forget_in_outbox(conn: aiosqlite.Connection, org: aiosqlite.Row) -> None:
    """Messages to others not sent yet that quote them: cancelled and emptied."""
    values = {
        str(v)
        for key in ("name", "contact_name", "email", "phone", "owner_username")
        if (v := org[key])
    }
    # Texts are HTML: a name with < & > is stored escaped.
    values |= {html.escape(v, quote=False) for v in values}
    searched = sorted(v for v in values if len(v) >= _SHORTEST_SEARCHED)
    if not searched:
        return
    quoted = " OR ".join(
        ["instr(payload, ?) > 0 OR instr(file, CAST(? AS BLOB)) > 0"] * len(searched)
    )
    await conn.execute(
        "UPDATE outbox SET payload = '{}', file = NULL, state = CASE WHEN state IN"
        " ('pending', 'sending', 'held') THEN 'cancelled' ELSE state END"
        f" WHERE state != 'sent' AND ({quoted})",
        [v for value in searched for v in (value, value)],
    )


# --- export ---------------------------------------------------------------------------------


async def export(db: Database, user_id: int, now: datetime) -> dict[str, Any]:
    """Everything kept about Telegram user `user_id`, as plain JSON-ready data."""
    data: dict[str, Any] = {"exported_at": to_db_time(now), "telegram_user_id": user_id}
    user = await db.fetchone(
        "SELECT language, start_payload, created_at, updated_at FROM users WHERE user_id = ?",
        (user_id,),
    )
    data["user"] = dict(user) if user else None
    data["conversations_in_progress"] = [
        {
            "form": r["name"],
            "step": r["state"],
            "answers": json.loads(r["data"]),
            "updated_at": r["updated_at"],
        }
        for r in await db.fetchall(
            "SELECT name, state, data, updated_at FROM conversations WHERE user_id = ?",
            (user_id,),
        )
    ]
    org = await db.fetchone(
        "SELECT id, kind, name, description, location_text, location_remote, contact_name,"
        " email, phone, owner_username, language, status, source_payload, consented_at,"
        " confirmed_at, created_at, updated_at, unreachable_since FROM organisations"
        " WHERE owner_user_id = ? AND left_at IS NULL",
        (user_id,),
    )
    data["organisation"] = dict(org) if org else None
    data["messages_to_you"] = [
        dict(r)
        for r in await db.fetchall(
            "SELECT kind, state, created_at, sent_at FROM outbox WHERE chat_id = ? ORDER BY id",
            (user_id,),
        )
    ]
    if org is not None:
        data.update(await _about_organisation(db, org["id"]))
    return data


async def _names(db: Database, sql: str, org_id: int, count: int) -> list[dict[str, Any]]:
    """Rows of `sql` (which may select `other_id`), with the other organisation's name, or
    null for one that has left."""
    rows = await db.fetchall(sql, (org_id,) * count)
    found = []
    for row in rows:
        entry = dict(row)
        other = entry.pop("other_id", None)
        if other is not None:
            name = await db.fetchone(
                "SELECT name FROM organisations WHERE id = ? AND left_at IS NULL", (other,)
            )
            entry["organisation"] = name[0] if name else None
        found.append(entry)
    return found


async def _about_organisation(db: Database, org_id: int) -> dict[str, Any]:
    return {
        "needs_and_offers": [
            dict(r)
            for r in await db.fetchall(
                "SELECT direction, category, detail FROM organisation_items"
                " WHERE organisation_id = ? ORDER BY direction, position",
                (org_id,),
            )
        ],
        "requests_sent": await _names(
            db,
            "SELECT to_id AS other_id, status, created_at, answered_at FROM interests"
            " WHERE from_id = ?",
            org_id,
            1,
        ),
        "requests_received": await _names(
            db,
            "SELECT from_id AS other_id, status, created_at, answered_at FROM interests"
            " WHERE to_id = ?",
            org_id,
            1,
        ),
        "not_for_us": await _names(
            db,
            "SELECT other_id, created_at FROM dismissals WHERE organisation_id = ?",
            org_id,
            1,
        ),
        "match_notifications": await _names(
            db,
            "SELECT about_id AS other_id, status, created_at, sent_at FROM notifications"
            " WHERE recipient_id = ? AND status IN ('sent', 'digested')",
            org_id,
            1,
        ),
        "partnerships": await _names(
            db,
            "SELECT id, CASE WHEN association_id = ? THEN company_id ELSE association_id END"
            " AS other_id, stage, created_at, stage_changed_at FROM partnerships"
            " WHERE ? IN (association_id, company_id)",
            org_id,
            2,
        ),
        "partnership_records": [
            dict(r)
            for r in await db.fetchall(
                "SELECT r.partnership_id, r.giver, r.kind, r.description, r.hours, r.value_eur,"
                " r.status, r.created_at, r.confirmed_at, r.proposer_id = ? AS proposed_by_you"
                " FROM partnership_records r JOIN partnerships p ON p.id = r.partnership_id"
                " WHERE ? IN (p.association_id, p.company_id)",
                (org_id, org_id),
            )
        ],
        "events": [
            dict(r)
            for r in await db.fetchall(
                "SELECT e.title, e.starts_at, e.venue, e.status, p.joined_at FROM events e"
                " JOIN event_participants p ON p.event_id = e.id WHERE p.organisation_id = ?",
                (org_id,),
            )
        ],
        "event_wishes": await _names(
            db,
            "SELECT event_id, whom_id AS other_id FROM event_wishes WHERE who_id = ?",
            org_id,
            1,
        ),
        "event_follow_up_marks": await _names(
            db,
            "SELECT event_id, whom_id AS other_id, created_at FROM event_marks WHERE who_id = ?",
            org_id,
            1,
        ),
        "questions_asked": [
            dict(r)
            for r in await db.fetchall(
                "SELECT kind, state, due_at, sent_at, answered_at FROM nudges"
                " WHERE recipient_id = ? AND state != 'pending' ORDER BY id",
                (org_id,),
            )
        ],
    }
