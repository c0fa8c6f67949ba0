"""/stats (organisers): the network at a glance, as a short text and three charts.

Filters: a period (typed after the command, `/stats 2025`, `/stats 03/2025`,
`/stats 01/01/2025 30/06/2025`, or picked with the buttons) and an event (buttons). The figures
are grouped in SQL (storage/stats.py) and computed in core/stats.py; the charts are drawn in a
worker thread so that the bot keeps answering everyone else meanwhile.
"""

from __future__ import annotations

import asyncio
import io
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from core import charts
from core import stats as figures
from core.events import Event, EventStatus
from core.i18n import Html
from core.stats import Overview, Period
from core.text import shorten
from handlers.console import audit, counted, number, organiser, percent, plain_label
from handlers.console_buttons import StatsEvents, StatsFilter
from handlers.context import Context, Services, answer_query, reply
from storage import events
from storage import stats as store
from storage.db import to_db_time

# How many lines of each list the text shows (the charts and /export have the rest).
REGIONS_SHOWN = 8
GAPS_SHOWN = 8
EVENTS_SHOWN = 10
# Categories in the gaps chart.
GAPS_CHARTED = 12


async def stats_command(update: Update, ctx: Context) -> None:
    """/stats [period]: the figures for that period (all time without one)."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, actor = gate
    typed = " ".join(ctx.args or [])
    code = figures.period_from_text(typed) if typed else "all"
    if code is None or figures.period_from_code(code, svc.clock(), svc.policy.zone) is None:
        await reply(update, svc.t(lang, "stats.bad_period"))
        return
    await show(update, svc, lang, actor, code=code, event_id=None)


async def stats_button(update: Update, ctx: Context) -> None:
    """A period or event button under the figures: the same figures, filtered."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, actor = gate
    data = update.callback_query.data if update.callback_query else None
    pressed = StatsFilter.parse(data) or StatsEvents.parse(data)
    if (
        pressed is None
        or figures.period_from_code(pressed.period, svc.clock(), svc.policy.zone) is None
    ):
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    await answer_query(update)
    if isinstance(pressed, StatsEvents):
        await _pick_event(update, svc, lang, pressed.period)
        return
    await show(update, svc, lang, actor, code=pressed.period, event_id=pressed.event or None)


async def _pick_event(update: Update, svc: Services, lang: str, code: str) -> None:
    current = [e for e in await events.list_all(svc.db) if e.status is not EventStatus.CANCELLED]
    found = current[:EVENTS_SHOWN]
    if not found:
        await reply(update, svc.t(lang, "event.none"))
        return
    rows = [
        [
            InlineKeyboardButton(
                f"{_day(svc, e.starts_at)} · {shorten(e.title, 30)}",
                callback_data=StatsFilter(code, e.id).data,
            )
        ]
        for e in found
    ]
    await reply(update, svc.t(lang, "stats.pick_event"), InlineKeyboardMarkup(rows))


def _day(svc: Services, moment: datetime) -> str:
    return moment.astimezone(svc.policy.zone).strftime("%d/%m/%Y")


async def overview(svc: Services, period: Period, event: Event | None) -> Overview:
    """Every figure /stats shows, read and computed."""
    scope = store.Scope(period.start, period.end, event.id if event else None)
    db = svc.db
    results = [figures.EventResult(*row) for row in await store.event_rows(db, scope, EVENTS_SHOWN)]
    return Overview(
        period=period,
        event_title=event.title if event else None,
        organisations=figures.organisations(await store.organisation_rows(db, scope)),
        supply=figures.supply(await store.supply_rows(db, scope)),
        stages_now=await store.stages_now(db, scope),
        funnel=figures.funnel(
            await store.highest_ranks(db, scope), await store.step_durations(db, scope)
        ),
        recorded=figures.recorded(
            await store.record_totals(db, scope),
            await store.record_times(db, scope),
            svc.policy.zone,
            to_utc_text=to_db_time,
        ),
        events=results,
    )


async def show(
    update: Update, svc: Services, lang: str, actor: int, *, code: str, event_id: int | None
) -> None:
    """The text, then the three charts; the filter buttons under the last one."""
    period = figures.period_from_code(code, svc.clock(), svc.policy.zone)
    assert period is not None
    event = await events.get(svc.db, event_id) if event_id else None
    found = await overview(svc, period, event)
    await audit(svc, actor, "stats.view", target=f"event:{event.id}" if event else "", detail=code)
    await reply(update, render(svc, lang, found))
    pictures = await asyncio.to_thread(draw, svc, lang, found)
    chat = update.effective_chat
    assert chat is not None
    for number_, (name, picture, caption) in enumerate(pictures, start=1):
        markup = _filters(svc, lang, code, event) if number_ == len(pictures) else None
        await chat.send_photo(
            InputFile(io.BytesIO(picture), filename=f"{name}.png"),
            caption=caption,
            reply_markup=markup,
        )


def _filters(svc: Services, lang: str, code: str, event: Event | None) -> InlineKeyboardMarkup:
    now = svc.clock().astimezone(svc.policy.zone)
    event_part = event.id if event else 0
    periods = (
        ("stats.b_30d", "d30"),
        ("stats.b_this_year", f"y{now.year}"),
        ("stats.b_last_year", f"y{now.year - 1}"),
        ("stats.b_all", "all"),
    )
    rows = [
        [
            InlineKeyboardButton(
                ("• " if c == code else "") + svc.t.plain(lang, key),
                callback_data=StatsFilter(c, event_part).data,
            )
            for key, c in periods
        ]
    ]
    if event is None:
        rows.append(
            [
                InlineKeyboardButton(
                    svc.t.plain(lang, "stats.b_event"), callback_data=StatsEvents(code).data
                )
            ]
        )
    else:
        rows.append(
            [
                InlineKeyboardButton(
                    svc.t.plain(lang, "stats.b_all_events"), callback_data=StatsFilter(code, 0).data
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


# --- the text -------------------------------------------------------------------------------


def period_label(svc: Services, lang: str, period: Period) -> str:
    code = period.code
    if code == "all":
        return svc.t.plain(lang, "stats.period_all")
    if code.startswith("d"):
        return svc.t.plain(lang, "stats.period_days", days=code[1:])
    if code.startswith("y"):
        return code[1:]
    if code.startswith("m"):
        return f"{_month_name(svc, lang, int(code[5:]))} {code[1:5]}"
    assert period.start is not None
    assert period.end is not None
    # The period ends at the next day's midnight: the last day shown is the one before.
    return f"{_day(svc, period.start)} – {_day(svc, period.end - timedelta(hours=12))}"


def _month_name(svc: Services, lang: str, month: int) -> str:
    return svc.t.plain(lang, "stats.months").split(",")[month - 1].strip()


def _category(svc: Services, lang: str, category: str) -> str:
    if svc.taxonomy.has_category(category):
        return svc.taxonomy.category(category).label(lang)
    return category


def _stage(svc: Services, lang: str, stage: str) -> str:
    return svc.t.plain(lang, f"stage.{stage}")


def render(svc: Services, lang: str, found: Overview) -> Html:
    """The short text: organisations, gaps, the funnel, what was recorded, the events."""
    orgs = found.organisations
    scope = svc.t.plain(lang, "stats.period", period=period_label(svc, lang, found.period))
    if found.event_title is not None:
        scope += " · " + svc.t.plain(lang, "stats.event", title=found.event_title)
    regions = [
        f"{figures.region_name(key, lang) or svc.t.plain(lang, f'stats.region_{key[1:]}')}"
        f" {number(count, lang)}"
        for key, count in orgs.by_region[:REGIONS_SHOWN]
    ]
    statuses = " · ".join(
        svc.t.plain(lang, f"stats.status_{status}", count=number(count, lang))
        for status, count in sorted(orgs.by_status.items())
    )
    gap_lines = [
        counted(
            svc, lang, f"stats.gap_{g.side}", g.needs, category=_category(svc, lang, g.category)
        )
        for g in found.gaps[:GAPS_SHOWN]
    ]
    if len(found.gaps) > GAPS_SHOWN:
        gap_lines.append(svc.t(lang, "stats.more", count=len(found.gaps) - GAPS_SHOWN))
    funnel_lines = []
    for step in found.funnel:
        notes = []
        if step.conversion is not None:
            notes.append(percent(step.conversion, lang))
        if step.median_days is not None:
            notes.append(
                svc.t.plain(lang, "stats.median_days", days=number(step.median_days, lang))
            )
        funnel_lines.append(
            f"• {_stage(svc, lang, step.stage.value)} : {number(step.reached, lang)}"
            if lang == "fr"
            else f"• {_stage(svc, lang, step.stage.value)}: {number(step.reached, lang)}"
        )
        if notes:
            funnel_lines[-1] += f" ({', '.join(notes)})"
    ends = " · ".join(
        f"{_stage(svc, lang, stage)} {number(found.stages_now.get(stage, 0), lang)}"
        for stage in ("ongoing", "no_contact", "not_feasible")
    )
    recorded = found.recorded
    kind_lines = [
        svc.t.plain(
            lang,
            "stats.kind_line",
            kind=plain_label(svc.t.plain(lang, f"record.kind_{k.kind}")),
            count=number(k.count, lang),
            hours=number(k.hours, lang),
            value=number(k.value, lang),
        )
        for k in recorded.by_kind
    ]
    event_lines = [
        svc.t.plain(
            lang,
            "stats.event_line",
            title=shorten(e.title, 60),
            day=_day(svc, e.starts_at),
            companies=number(e.companies, lang),
            associations=number(e.associations, lang),
            meetings=number(e.meetings, lang),
            partnerships=number(e.partnerships, lang),
            recorded=number(e.recorded, lang),
        )
        for e in found.events
    ]
    none = svc.t.plain(lang, "stats.none")
    return svc.t(
        lang,
        "stats.text",
        scope=scope,
        organisations=counted(svc, lang, "stats.organisations", orgs.total),
        associations=number(orgs.by_kind.get("association", 0), lang),
        companies=number(orgs.by_kind.get("company", 0), lang),
        statuses=statuses or none,
        regions=" · ".join(regions) or none,
        gaps=Html("\n".join(gap_lines)) if gap_lines else svc.t(lang, "stats.no_gaps"),
        funnel="\n".join(funnel_lines),
        ends=ends,
        recorded=counted(svc, lang, "stats.partnerships", recorded.count),
        hours=number(recorded.hours, lang),
        value=number(recorded.value, lang),
        kinds="\n".join(kind_lines) or none,
        events="\n".join(event_lines) or none,
    )


# --- the charts -----------------------------------------------------------------------------


def draw(svc: Services, lang: str, found: Overview) -> list[tuple[str, bytes, Html]]:
    """(file name, PNG, caption) of the funnel, the partnerships per month by kind, and the
    needs beside the offers that answer them."""
    t = svc.t.plain
    scope = period_label(svc, lang, found.period)
    if found.event_title is not None:
        scope += " · " + shorten(found.event_title, 40)
    notes = []
    for step in found.funnel:
        parts = []
        if step.conversion is not None:
            parts.append(percent(step.conversion, lang))
        if step.median_days is not None:
            parts.append(t(lang, "stats.median_days", days=number(step.median_days, lang)))
        notes.append(" · ".join(parts))
    funnel = charts.funnel(
        t(lang, "stats.chart_funnel", scope=scope),
        [_stage(svc, lang, s.stage.value) for s in found.funnel],
        [s.reached for s in found.funnel],
        notes,
    )
    recorded = found.recorded
    kinds = [k.kind for k in recorded.by_kind]
    monthly = charts.monthly(
        t(lang, "stats.chart_monthly", scope=scope),
        [f"{_month_name(svc, lang, m.month)} {m.year % 100:02d}" for m, _ in recorded.by_month],
        [
            (
                plain_label(t(lang, f"record.kind_{kind}")),
                [counts.get(kind, 0) for _, counts in recorded.by_month],
            )
            for kind in kinds
        ],
        t(lang, "stats.chart_empty"),
    )
    wanted = found.supply[:GAPS_CHARTED]
    gaps = charts.gaps(
        t(lang, "stats.chart_gaps", scope=scope),
        [
            t(
                lang,
                "stats.chart_gap_label",
                category=_category(svc, lang, s.category),
                side=t(lang, f"stats.side_short_{s.side}"),
            )
            for s in wanted
        ],
        [s.needs for s in wanted],
        [s.offers for s in wanted],
        legend=(t(lang, "stats.chart_needs"), t(lang, "stats.chart_offers")),
        empty=t(lang, "stats.chart_empty"),
    )
    return [
        ("funnel", funnel, svc.t(lang, "stats.caption_funnel")),
        ("partnerships-by-month", monthly, svc.t(lang, "stats.caption_monthly")),
        ("needs-without-offers", gaps, svc.t(lang, "stats.caption_gaps")),
    ]
