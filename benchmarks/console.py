"""Issue 12: the organisers' console at a network's scale.

A database is seeded with batched SQL: organisations with needs and offers, partnerships moved
through the pipeline (the stage history written by the migration's triggers, as in
production), confirmed two-party records, nudges, and speed meetings with participants,
meetings and follow-up marks. Then, in process: /stats (the figures, the text, the three
charts) and /export (everything as XLSX, as CSV, and the funders' report); and one /stats
end to end through the Bot API stand-in. The baseline, in the same run: a plain COUNT(*) over
the same tables, and the same steps on a network ten times smaller.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot.app import build_services
from bot.settings import Settings
from core import export as files
from core import stats as figures
from core.taxonomy import CATEGORIES
from handlers import export, stats
from handlers.context import Services
from sandbox.standin import BotApiStandIn
from storage.db import Database, to_db_time
from tests.harness import ORGANISER, Clock, bot_running

T = TypeVar("T")
NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
PLACES = (
    "Strasbourg", "67000 Strasbourg", "Mulhouse", "Colmar", "Metz", "Nancy", "Reims",
    "Luxembourg", "L-1234 Luxembourg", "Esch-sur-Alzette", "Bruxelles", "Liège", "Paris 11e",
    "Lyon", "Lille", "Amsterdam", "Rotterdam", "Haguenau", "Sélestat", "Saverne",
)  # fmt: skip
KINDS = ("skills", "goods", "money", "responsible", "cooperation", "innovation")
KIND_WEIGHTS = (50, 25, 3, 10, 7, 5)
# Each stage's chance to go one step further, and the days it takes.
FORWARD = {"introduced": 0.75, "in_contact": 0.8, "met": 0.6, "agreed": 0.6}
NEXT = {"introduced": "in_contact", "in_contact": "met", "met": "agreed", "agreed": "carried_out"}
DEAD_END = {"introduced": "no_contact", "in_contact": "not_feasible", "met": "not_feasible"}


@dataclass
class Sizes:
    organisations: int
    partnerships: int
    events: int


def seed(path: Path, sizes: Sizes, seed_value: int = 12) -> dict[str, int]:
    """The network, written with sqlite3 in a few batched transactions; returns row counts."""
    rng = random.Random(seed_value)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    start = NOW - timedelta(days=730)

    def moment(days: float) -> str:
        return to_db_time(start + timedelta(days=days))

    orgs, items = [], []
    companies, associations = [], []
    categories = [c.id for c in CATEGORIES]
    # Associations need everything; companies offer a narrower set: real gaps appear.
    offered = categories[: len(categories) * 2 // 3]
    for org_id in range(1, sizes.organisations + 1):
        company = rng.random() < 0.4
        day = rng.uniform(0, 700)
        orgs.append(
            (
                org_id,
                "company" if company else "association",
                f"Organisation {org_id}",
                "Une description de quelques mots",
                rng.choice(PLACES),
                int(rng.random() < 0.05),
                f"Contact {org_id}",
                f"o{org_id}@example.org",
                "+33 6 12 34 56 78",
                1_000_000 + org_id,
                "fr",
                "paused" if rng.random() < 0.05 else "active",
                moment(day),
                moment(day),
                moment(day),
                moment(day + rng.uniform(0, 20)),
            )
        )
        (companies if company else associations).append((org_id, day))
        needs = rng.sample(categories, rng.randint(0, 1) if company else rng.randint(1, 4))
        gives = rng.sample(offered, rng.randint(1, 3)) if company else []
        for position, category in enumerate(needs):
            items.append((org_id, "need", position, category, "en quelques mots"))
        for position, category in enumerate(gives):
            items.append((org_id, "offer", position, category, ""))
    with conn:
        conn.executemany(
            "INSERT INTO organisations (id, kind, name, description, location_text,"
            " location_remote, contact_name, email, phone, owner_user_id, language, status,"
            " consented_at, confirmed_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            orgs,
        )
        conn.executemany(
            "INSERT INTO organisation_items (organisation_id, direction, position, category,"
            " detail) VALUES (?, ?, ?, ?, ?)",
            items,
        )

    pairs: set[tuple[int, int]] = set()
    rows, moves, records, nudges = [], [], [], []
    while len(pairs) < sizes.partnerships:
        association, a_day = rng.choice(associations)
        company, c_day = rng.choice(companies)
        if (association, company) in pairs:
            continue
        pairs.add((association, company))
        pid = len(pairs)
        day = max(a_day, c_day) + rng.uniform(1, 30)
        rows.append(
            (
                pid,
                association,
                company,
                "introduced",
                association,
                moment(day),
                moment(day),
                moment(day),
            )
        )
        stage = "introduced"
        nudges.append((pid, association, "contact_check", moment(day + 7), "answered"))
        nudges.append((pid, company, "contact_reminder", moment(day + 14), "cancelled"))
        while stage in FORWARD and day < 720:
            day += rng.expovariate(1 / 12)
            stage = NEXT[stage] if rng.random() < FORWARD[stage] else DEAD_END.get(stage, "ongoing")
            moves.append((stage, moment(day), moment(day), pid))
            if stage == "agreed":
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                hours = round(rng.uniform(2, 80)) if kind == "skills" else None
                value = round(rng.uniform(100, 5000), -1) if rng.random() < 0.7 else None
                records.append(
                    (
                        pid,
                        association,
                        "other",
                        kind,
                        "Ce que nous faisons ensemble",
                        hours,
                        value,
                        "confirmed",
                        moment(day - 1),
                        moment(day),
                    )
                )
            if stage not in FORWARD:
                break
    with conn:
        conn.executemany(
            "INSERT INTO partnerships (id, association_id, company_id, stage, caller_id,"
            " created_at, updated_at, stage_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # One move at a time, as the bot makes them: the triggers write the history.
        conn.executemany(
            "UPDATE partnerships SET stage = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?",
            moves,
        )
        conn.executemany(
            "INSERT INTO partnership_records (partnership_id, proposer_id, giver, kind,"
            " description, hours, value_eur, status, created_at, confirmed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        conn.executemany(
            "INSERT INTO nudges (partnership_id, recipient_id, kind, due_at, state, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(*n, n[3]) for n in nudges],
        )

    events, participants, meetings, marks = [], [], [], []
    for event_id in range(1, sizes.events + 1):
        day = rng.uniform(0, 720)
        events.append(
            (
                event_id,
                f"Bourse d'échanges {event_id}",
                moment(day),
                "CCI",
                7,
                25,
                25,
                30,
                "published",
                f"code{event_id}",
                ORGANISER,
                moment(day),
                moment(day),
            )
        )
        side_c = rng.sample(companies, 25)
        side_a = rng.sample(associations, 25)
        for org_id, _ in side_c + side_a:
            participants.append((event_id, org_id, moment(day - 10)))
        for round_ in range(25):
            for table in range(25):
                company, association = side_c[table][0], side_a[(table + round_) % 25][0]
                meetings.append((event_id, company, association, round_, table + 1))
                if rng.random() < 0.1:
                    marks.append((event_id, company, association, moment(day)))
    with conn:
        conn.executemany(
            "INSERT INTO events (id, title, starts_at, venue, minutes, tables, rounds,"
            " max_per_side, status, invite_code, organiser_user_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        conn.executemany(
            "INSERT INTO event_participants (event_id, organisation_id, joined_at)"
            " VALUES (?, ?, ?)",
            participants,
        )
        conn.executemany(
            "INSERT INTO event_meetings (event_id, company_id, association_id, round, table_no)"
            " VALUES (?, ?, ?, ?, ?)",
            meetings,
        )
        conn.executemany(
            "INSERT INTO event_marks (event_id, who_id, whom_id, created_at) VALUES (?, ?, ?, ?)",
            marks,
        )
    counts = {
        table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in (
            "organisations",
            "organisation_items",
            "partnerships",
            "partnership_stages",
            "partnership_records",
            "nudges",
            "event_meetings",
        )
    }
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return counts


async def best_of(runs: int, step: Callable[[], Awaitable[T]]) -> tuple[float, float, T]:
    """Median and best seconds of `runs` runs, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = await step()
        times.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(times), min(times), result


@dataclass
class Result:
    label: str
    counts: dict[str, int]
    count_all: float
    stats_figures: float
    stats_text: float
    stats_charts: float
    stats_total: float
    export_xlsx: float
    xlsx_bytes: int
    export_csv: float
    csv_bytes: int
    report: float
    end_to_end: float | None = None

    def rows(self) -> list[str]:
        c = self.counts
        size = (
            f"{c['organisations']:,} orgs, {c['partnerships']:,} partnerships, "
            f"{c['partnership_records']:,} records, {c['partnership_stages']:,} stage rows, "
            f"{c['nudges']:,} nudges, {c['event_meetings']:,} meetings"
        )
        e2e = f"{self.end_to_end:.2f}" if self.end_to_end is not None else "–"
        return [
            f"| {self.label} | {size} | {self.count_all * 1000:.0f} ms | "
            f"{self.stats_figures:.2f} + {self.stats_text:.3f} + {self.stats_charts:.2f} "
            f"= **{self.stats_total:.2f}** | {e2e} | **{self.export_xlsx:.2f}** "
            f"({self.xlsx_bytes / 1e6:.1f} MB) | {self.export_csv:.2f} "
            f"({self.csv_bytes / 1e6:.1f} MB) | {self.report:.2f} |"
        ]


HEADER = (
    "| network | rows | COUNT(*) of every table (baseline) | /stats s: figures + text + charts "
    "= total | /stats end to end s | /export XLSX s (size) | /export CSV ZIP s (size) "
    "| funders' report s |\n|---|---|---:|---:|---:|---:|---:|---:|"
)


def services(db: Database) -> Services:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    return build_services(settings, db, clock=lambda: NOW, wake=lambda: None)


async def measure(label: str, sizes: Sizes, *, end_to_end: bool) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="console-bench-"))
    try:
        path = folder / "network.sqlite3"
        db = await Database.open(path)
        await db.close()
        counts = seed(path, sizes)
        db = await Database.open(path)
        svc = services(db)
        tables = (
            "organisations",
            "organisation_items",
            "partnerships",
            "partnership_stages",
            "partnership_records",
            "nudges",
            "event_meetings",
            "event_participants",
        )

        async def count_all() -> int:
            total = 0
            for table in tables:
                row = await db.fetchone(f"SELECT COUNT(*) FROM {table}")
                total += int(row[0]) if row else 0
            return total

        counted, _, _ = await best_of(5, count_all)
        period = figures.period_from_code("all", NOW, svc.policy.zone)
        assert period is not None
        # The first run loads matplotlib's fonts and warms SQLite's cache: not counted.
        await stats.overview(svc, period, None)
        stats.draw(svc, "fr", await stats.overview(svc, period, None))
        figures_s, _, found = await best_of(3, lambda: stats.overview(svc, period, None))

        async def text() -> str:
            return stats.render(svc, "fr", found)

        text_s, _, _ = await best_of(3, text)

        async def charts() -> list[tuple[str, bytes, object]]:
            return await asyncio.to_thread(stats.draw, svc, "fr", found)  # type: ignore[arg-type]

        charts_s, _, _ = await best_of(3, charts)

        async def whole_stats() -> object:
            overview = await stats.overview(svc, period, None)
            stats.render(svc, "fr", overview)
            return await asyncio.to_thread(stats.draw, svc, "fr", overview)

        stats_total, _, _ = await best_of(3, whole_stats)
        zone = svc.policy.zone

        async def xlsx() -> bytes:
            return (await export.whole_xlsx(svc, "fr"))[0]

        xlsx_s, _, workbook = await best_of(3, xlsx)

        async def csv() -> bytes:
            return (await export.whole_csv(svc, "fr"))[0]

        csv_s, _, archive = await best_of(3, csv)
        year = figures.period_from_code("y2026", NOW, zone)
        assert year is not None

        async def report() -> bytes:
            tables_ = await export.funders_report(svc, "fr", year)
            return await asyncio.to_thread(files.xlsx, tables_, zone)

        report_s, _, _ = await best_of(3, report)
        await db.close()
        result = Result(
            label,
            counts,
            counted,
            figures_s,
            text_s,
            charts_s,
            stats_total,
            xlsx_s,
            len(workbook),
            csv_s,
            len(archive),
            report_s,
        )
        if end_to_end:
            result.end_to_end = await through_standin(path)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def through_standin(path: Path) -> float:
    """/stats typed by an organiser, until the fourth message (the last chart) is shown."""
    standin = BotApiStandIn()
    await standin.start()
    try:
        async with bot_running(
            standin, path, clock=Clock(NOW), organiser_ids=str(ORGANISER), poll_timeout=1
        ):
            organiser = standin.user(ORGANISER, "Organisatrice")
            await organiser.send("/stats", expect=4, timeout=60)  # warm-up
            times = []
            for _ in range(3):
                started = time.perf_counter()
                await organiser.send("/stats", expect=4, timeout=60)
                times.append(time.perf_counter() - started)
            return statistics.median(times)
    finally:
        await standin.stop()


async def main() -> list[Result]:
    small = await measure("1k orgs (baseline)", Sizes(1_000, 5_000, 4), end_to_end=False)
    large = await measure("10k orgs", Sizes(10_000, 50_000, 40), end_to_end=True)
    return [small, large]
