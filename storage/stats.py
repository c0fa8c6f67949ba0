"""Counts for the metrics endpoint: organisations and partnerships."""

from __future__ import annotations

from storage.db import Database


async def organisations(db: Database) -> dict[tuple[str, str], int]:
    """Organisations by (kind, status)."""
    rows = await db.fetchall("SELECT kind, status, COUNT(*) FROM organisations GROUP BY 1, 2")
    return {(row[0], row[1]): int(row[2]) for row in rows}


async def partnerships(db: Database) -> dict[str, int]:
    """Introduced pairs by pipeline stage."""
    rows = await db.fetchall("SELECT stage, COUNT(*) FROM partnerships GROUP BY 1")
    return {row[0]: int(row[1]) for row in rows}
