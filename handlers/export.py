"""/export (organisers): the network's data as files, and the funders' report.

- Everything, as one XLSX workbook or as CSV files (UTF-8 with a BOM) in a ZIP: organisations
  with their needs and offers, partnerships with their two-party records, events, their
  participants, meetings and outcomes, and the nudge history.
- The funders' report, one XLSX file: the period's partnerships by kind with hours and value,
  the partnerships themselves, and the events.
Headers and codes are in the organiser's language, times in the network's zone; text cells
cannot run as formulas (core/export.py). The rows are read from the database, then the file is
built in a worker thread so that the bot keeps answering everyone else.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from core import export as files
from core import stats as figures
from core.export import Column, Kind, Table
from core.geo import place_of
from core.models import Location
from handlers.console import audit, organiser, plain_label
from handlers.console_buttons import ExportAll, ExportReport
from handlers.context import Context, Services, answer_query, reply
from handlers.stats import period_label
from storage import export as store
from storage import moderation
from storage.stats import Scope

N, T, D = Kind.NUMBER, Kind.TEXT, Kind.DATE
# Each table's columns: (locale key under export.col_, kind, width).
ORGANISATIONS = (
    ("id", N, 7), ("kind", T, 12), ("name", T, 30), ("description", T, 40), ("place", T, 20),
    ("region", T, 18), ("status", T, 10), ("needs", T, 40), ("offers", T, 40),
    ("contact", T, 20), ("email", T, 24), ("phone", T, 18), ("language", T, 8),
    ("registered", D, 16), ("updated", D, 16), ("news_off", T, 10),
)  # fmt: skip
PARTNERSHIPS = (
    ("id", N, 7), ("association", T, 28), ("company", T, 28), ("stage", T, 16),
    ("introduced", D, 16), ("stage_since", D, 16), ("stuck_since", D, 16), ("event", T, 24),
    ("record_kind", T, 22), ("giver", T, 28), ("proposer", T, 24), ("description", T, 40),
    ("hours", N, 8), ("value", N, 10), ("confirmed", D, 16),
)  # fmt: skip
EVENTS = (
    ("id", N, 7), ("title", T, 30), ("starts", D, 16), ("venue", T, 24), ("minutes", N, 8),
    ("tables", N, 8), ("rounds", N, 8), ("status", T, 10), ("created_by", T, 20),
    ("participants", N, 10), ("meetings", N, 10), ("partnerships", N, 10), ("recorded", N, 10),
)  # fmt: skip
PARTICIPANTS = (
    ("event_id", N, 7), ("event", T, 30), ("id", N, 7), ("name", T, 30), ("kind", T, 12),
    ("joined", D, 16),
)  # fmt: skip
MEETINGS = (
    ("event_id", N, 7), ("event", T, 30), ("round", N, 6), ("starts", D, 16), ("table", N, 6),
    ("company", T, 28), ("association", T, 28), ("company_follow_up", T, 10),
    ("association_follow_up", T, 10), ("stage", T, 16), ("record_kind", T, 22),
)  # fmt: skip
NUDGES = (
    ("id", N, 7), ("question", T, 20), ("recipient", T, 28), ("partnership", N, 8),
    ("event_id", N, 7), ("due", D, 16), ("state", T, 10), ("sent", D, 16), ("answered", D, 16),
    ("asked_before", N, 8),
)  # fmt: skip
SUMMARY = (("item", T, 34), ("count", N, 10), ("hours", N, 10), ("value", N, 12))

Spec = Sequence[tuple[str, Kind, int]]


def _columns(svc: Services, lang: str, spec: Spec) -> list[Column]:
    return [
        Column(svc.t.plain(lang, f"export.col_{key}"), kind, width) for key, kind, width in spec
    ]


def _label(svc: Services, lang: str, prefix: str) -> Callable[[object], str | None]:
    """Codes (stages, kinds, statuses) named in the reader's language, each looked up once."""
    cache: dict[object, str | None] = {}

    def name(code: object) -> str | None:
        if code is None:
            return None
        if code not in cache:
            cache[code] = plain_label(svc.t.plain(lang, f"{prefix}{code}"))
        return cache[code]

    return name


# --- the tables -----------------------------------------------------------------------------


Producer = Callable[[], Awaitable[Table]]


def producers(svc: Services, lang: str) -> list[Producer]:
    """Every table as a step that reads it and names its codes in `lang`, in sheet order (one
    step at a time, so that a table can be written while the next is read)."""
    db = svc.db
    yes, no = svc.t.plain(lang, "export.yes"), svc.t.plain(lang, "export.no")
    kind = _label(svc, lang, "kind.")
    stage = _label(svc, lang, "stage.")
    record_kind = _label(svc, lang, "record.kind_")
    status = _label(svc, lang, "export.status_")
    regions: dict[tuple[str, int], str] = {}

    def region(text: str, remote: int) -> str:
        if (text, remote) not in regions:
            place = place_of(Location(text, bool(remote)))
            key = figures.REMOTE if place.remote else (place.region or figures.UNKNOWN)
            regions[(text, remote)] = figures.region_name(key, lang) or svc.t.plain(
                lang, f"stats.region_{key[1:]}"
            )
        return regions[(text, remote)]

    def table(key: str, spec: Spec, rows: Sequence[Sequence[object]]) -> Table:
        return Table(svc.t.plain(lang, f"export.sheet_{key}"), _columns(svc, lang, spec), rows)

    async def organisations() -> Table:
        items = await store.items(db)

        def listed(org_id: object, direction: str) -> str:
            return "; ".join(
                svc.taxonomy.category(category).label(lang) + (f" ({words})" if words else "")
                if svc.taxonomy.has_category(category)
                else category
                for category, words in items.get((int(str(org_id)), direction), ())
            )

        rows = [
            (
                r[0], kind(r[1]), r[2], r[3], r[4], region(str(r[4]), int(str(r[5]))),
                status(r[6]), listed(r[0], "need"), listed(r[0], "offer"), r[7], r[8], r[9],
                r[10], r[11], r[12], yes if r[13] else no,
            )
            for r in await store.organisations(db)
        ]  # fmt: skip
        return table("organisations", ORGANISATIONS, rows)

    async def partnerships() -> Table:
        rows = await store.partnerships(db)
        return table("partnerships", PARTNERSHIPS,
                     _partnership_rows(svc, lang, rows, stage, record_kind))  # fmt: skip

    async def events() -> Table:
        names = await moderation.organiser_names(db)
        rows = _event_rows(await store.events(db), names, _label(svc, lang, "event.status_"))
        return table("events", EVENTS, rows)

    async def participants() -> Table:
        rows = [(r[0], r[1], r[2], r[3], kind(r[4]), r[5]) for r in await store.participants(db)]
        return table("participants", PARTICIPANTS, rows)

    async def meetings() -> Table:
        rows = [_meeting_row(r, stage, record_kind, yes, no) for r in await store.meetings(db)]
        return table("meetings", MEETINGS, rows)

    async def nudges() -> Table:
        nudge = _label(svc, lang, "export.nudge_")
        state = _label(svc, lang, "export.nudge_state_")
        rows = [(r[0], nudge(r[1]), *r[2:6], state(r[6]), *r[7:]) for r in await store.nudges(db)]
        return table("nudges", NUDGES, rows)

    return [organisations, partnerships, events, participants, meetings, nudges]


FILES = ("organisations", "partnerships", "events", "participants", "meetings", "nudges")


async def everything(svc: Services, lang: str) -> list[Table]:
    """Every table, read and named in `lang`."""
    return [await produce() for produce in producers(svc, lang)]


# The order tables are read in: the longest first, so that writing each overlaps with reading
# the next, and what is left to write after the last read is small.
READ_ORDER = (5, 1, 0, 4, 2, 3)


async def overlapped(steps: list[Producer], write: Callable[[Table, int], object]) -> int:
    """Read each table, writing the one before in a worker thread meanwhile (SQLite and zlib
    let go of the interpreter while they work, so the two overlap on two cores). `write`
    gets each table with its position among `steps`. Returns the rows written."""
    pending: asyncio.Future[object] | None = None
    rows = 0
    order = READ_ORDER if len(steps) == len(READ_ORDER) else range(len(steps))
    for position in order:
        found = await steps[position]()
        rows += len(found.rows)
        if pending is not None:
            await pending
        pending = asyncio.ensure_future(asyncio.to_thread(write, found, position))
    if pending is not None:
        await pending
    return rows


async def whole_xlsx(svc: Services, lang: str) -> tuple[bytes, int]:
    """Everything as one workbook, and how many rows it holds."""
    book = files.XlsxBook(svc.policy.zone, date_format=date_format(lang))
    rows = await overlapped(producers(svc, lang), book.add)
    return await asyncio.to_thread(book.finish), rows


async def whole_csv(svc: Services, lang: str) -> tuple[bytes, int]:
    """Everything as CSV files in a ZIP, and how many rows they hold."""
    archive = files.CsvArchive(svc.policy.zone)
    names = [svc.t.plain(lang, f"export.file_{key}") for key in FILES]
    rows = await overlapped(
        producers(svc, lang), lambda table, position: archive.add(table, names[position])
    )
    return await asyncio.to_thread(archive.finish), rows


def _partnership_rows(
    svc: Services,
    lang: str,
    rows: list[store.Row],
    stage: Callable[[object], str | None],
    record_kind: Callable[[object], str | None],
) -> list[store.Row]:
    out = []
    for r in rows:
        association, company, giver, by_association = r[1], r[2], r[9], r[15]
        gives: str | None = None
        if giver is not None:
            proposer, other = (association, company) if by_association else (company, association)
            giving, getting = (proposer, other) if giver == "proposer" else (other, proposer)
            gives = (
                svc.t.plain(lang, "export.both_ways", one=association, other=company)
                if giver == "both"
                else svc.t.plain(lang, "export.gives_to", giver=giving, receiver=getting)
            )
        out.append((*r[:3], stage(r[3]), *r[4:8], record_kind(r[8]), gives, *r[10:15]))
    return out


def _event_rows(
    rows: list[store.Row], names: dict[int, str], status: Callable[[object], str | None]
) -> list[store.Row]:
    return [(*r[:7], status(r[7]), names.get(int(str(r[8])), str(r[8])), *r[9:]) for r in rows]


def _meeting_row(
    r: store.Row,
    stage: Callable[[object], str | None],
    record_kind: Callable[[object], str | None],
    yes: str,
    no: str,
) -> store.Row:
    starts = datetime.fromisoformat(str(r[2])) + timedelta(minutes=int(str(r[3])) * int(str(r[4])))
    return (
        r[0], r[1], int(str(r[4])) + 1, starts.isoformat(), r[5], r[6], r[7],
        yes if r[8] else no, yes if r[9] else no, stage(r[10]), record_kind(r[11]),
    )  # fmt: skip


async def funders_report(svc: Services, lang: str, period: figures.Period) -> list[Table]:
    """The period's partnerships by kind (count, hours, value) and in detail, and its events."""
    scope = Scope(period.start, period.end)
    stage = _label(svc, lang, "stage.")
    record_kind = _label(svc, lang, "record.kind_")
    raw_rows = await store.partnerships(svc.db, scope)
    rows = _partnership_rows(svc, lang, raw_rows, stage, record_kind)
    totals: dict[str, list[float]] = {}
    for row, raw in zip(rows, raw_rows, strict=True):
        kind = str(raw[8])
        found = totals.setdefault(kind, [0, 0.0, 0.0])
        found[0] += 1
        found[1] += float(str(row[12] or 0))
        found[2] += float(str(row[13] or 0))
    events = await store.events(svc.db, scope)
    summary: list[store.Row] = [
        (svc.t.plain(lang, "export.report_period", period=period_label(svc, lang, period)),
         None, None, None),
        (svc.t.plain(lang, "export.report_total"), len(rows),
         sum(v[1] for v in totals.values()), sum(v[2] for v in totals.values())),
        *((record_kind(kind), int(v[0]), v[1], v[2]) for kind, v in sorted(totals.items())),
        (svc.t.plain(lang, "export.report_events"), len(events), None, None),
        (svc.t.plain(lang, "export.report_participants"), sum(int(str(e[9])) for e in events),
         None, None),
        (svc.t.plain(lang, "export.report_meetings"), sum(int(str(e[10])) for e in events),
         None, None),
    ]  # fmt: skip
    names = await moderation.organiser_names(svc.db)
    return [
        Table(svc.t.plain(lang, "export.sheet_summary"), _columns(svc, lang, SUMMARY), summary),
        Table(svc.t.plain(lang, "export.sheet_partnerships"), _columns(svc, lang, PARTNERSHIPS),
              rows),
        Table(svc.t.plain(lang, "export.sheet_events"), _columns(svc, lang, EVENTS),
              _event_rows(events, names, _label(svc, lang, "event.status_"))),
    ]  # fmt: skip


def date_format(lang: str) -> str:
    return "dd/mm/yyyy hh:mm" if lang == "fr" else "yyyy-mm-dd hh:mm"


# --- the command and its buttons ------------------------------------------------------------


async def export_command(update: Update, ctx: Context) -> None:
    """/export [period]: which file? (the period is the funders' report's)."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, _ = gate
    typed = " ".join(ctx.args or [])
    now = svc.clock().astimezone(svc.policy.zone)
    code = figures.period_from_text(typed) if typed else f"y{now.year}"
    period = figures.period_from_code(code, svc.clock(), svc.policy.zone) if code else None
    if code is None or period is None:
        await reply(update, svc.t(lang, "stats.bad_period"))
        return
    rows = [
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "export.b_xlsx"), callback_data=ExportAll("x").data
            )
        ],
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "export.b_csv"), callback_data=ExportAll("c").data
            )
        ],
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "export.b_report", period=period_label(svc, lang, period)),
                callback_data=ExportReport(code).data,
            )
        ],
    ]
    if not typed:
        last = figures.period_from_code(f"y{now.year - 1}", svc.clock(), svc.policy.zone)
        assert last is not None
        rows.append(
            [
                InlineKeyboardButton(
                    svc.t.plain(lang, "export.b_report", period=period_label(svc, lang, last)),
                    callback_data=ExportReport(f"y{now.year - 1}").data,
                )
            ]
        )
    await reply(update, svc.t(lang, "export.choose"), InlineKeyboardMarkup(rows))


async def export_button(update: Update, ctx: Context) -> None:
    """Builds the chosen file and sends it (organisers only, checked at every press)."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, actor = gate
    data = update.callback_query.data if update.callback_query else None
    pressed = ExportAll.parse(data) or ExportReport.parse(data)
    zone = svc.policy.zone
    day = svc.clock().astimezone(zone).strftime("%Y%m%d")
    if not isinstance(pressed, ExportAll):
        period = figures.period_from_code(pressed.period, svc.clock(), zone) if pressed else None
        if period is None:
            await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
            return
        await answer_query(update, svc.t.plain(lang, "export.preparing"))
        tables = await funders_report(svc, lang, period)
        content = await asyncio.to_thread(files.xlsx, tables, zone, date_format=date_format(lang))
        name = f"passerelle-{svc.t.plain(lang, 'export.report_file')}-{period.code}.xlsx"
        caption = svc.t(lang, "export.report_caption", period=period_label(svc, lang, period))
        action, detail = "export.report", period.code
    else:
        await answer_query(update, svc.t.plain(lang, "export.preparing"))
        if pressed.format == "x":
            content, rows = await whole_xlsx(svc, lang)
            name, action = f"passerelle-export-{day}.xlsx", "export.xlsx"
        else:
            content, rows = await whole_csv(svc, lang)
            name, action = f"passerelle-export-{day}.zip", "export.csv"
        caption = svc.t(lang, "export.caption", rows=rows)
        detail = ""
    await audit(svc, actor, action, detail=detail)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(InputFile(io.BytesIO(content), filename=name), caption=caption)
