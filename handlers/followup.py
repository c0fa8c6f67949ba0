"""Follow-through: nudges that keep introduced pairs moving, /partnerships, /pipeline.

A due nudge becomes an outbox message in the same transaction that marks it sent
(`plan_due`, run by the dispatcher in bot/delivery.py), so it carries the outbox's guarantee:
at-least-once, with one window (a process killed between Telegram's answer and our record
of it sends those messages again at the next start; at most SEND_CONCURRENCY are in flight).
tests/test_crash.py kills the bot at random moments and checks that nothing is lost and that
any duplicate comes from that window.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.delivery import Button, Buttons, OutMessage
from core.events import EventStatus
from core.i18n import Html
from core.models import Organisation
from core.partnerships import InterestStatus, Nudge, Partnership
from core.pipeline import AFTER_RECORD, SET_ALONE, NudgeDelays, NudgeKind, Stage
from core.text import shorten
from handlers.context import (
    Context,
    Services,
    answer_query,
    button_number,
    button_value,
    edit_or_reply,
    reply,
    whoami,
)
from handlers.render import NAME_IN_LIST, items_block, request_buttons
from storage import events, introductions, organisations, partnerships

log = logging.getLogger(__name__)

# Stuck pairs listed by /pipeline; beyond that it says how many more (a few messages at most).
STUCK_SHOWN = 100

# The answers each question offers: (answer code, locale key of its button).
_CONTACT = (("yes", "nudge.b_in_touch"), ("later", "nudge.b_not_yet"), ("no", "nudge.b_wont"))
_MET = (("yes", "nudge.b_met"), ("later", "nudge.b_not_yet"), ("no", "nudge.b_not_feasible"))
_AGREED = (
    ("yes", "nudge.b_agreed"),
    ("later", "nudge.b_discussing"),
    ("no", "nudge.b_no_partnership"),
)
_OUTCOME = (
    ("done", "nudge.b_carried_out"),
    ("ongoing", "nudge.b_ongoing"),
    ("no", "nudge.b_not_feasible"),
)
_FRESH = (("yes", "nudge.b_still_current"), ("update", "nudge.b_update"))
ANSWERS: dict[NudgeKind, tuple[tuple[str, str], ...]] = {
    NudgeKind.CONTACT_CHECK: _CONTACT,
    NudgeKind.CONTACT_REMINDER: _CONTACT,
    NudgeKind.MET_CHECK: _MET,
    NudgeKind.AGREED_CHECK: _AGREED,
    NudgeKind.OUTCOME_CHECK: _OUTCOME,
    NudgeKind.PROFILE_FRESH: _FRESH,
}

# Where an answer takes the pair.
MOVES: dict[tuple[NudgeKind, str], Stage] = {
    (NudgeKind.CONTACT_CHECK, "yes"): Stage.IN_CONTACT,
    (NudgeKind.CONTACT_CHECK, "no"): Stage.NO_CONTACT,
    (NudgeKind.CONTACT_REMINDER, "yes"): Stage.IN_CONTACT,
    (NudgeKind.CONTACT_REMINDER, "no"): Stage.NO_CONTACT,
    (NudgeKind.MET_CHECK, "yes"): Stage.MET,
    (NudgeKind.MET_CHECK, "no"): Stage.NOT_FEASIBLE,
    (NudgeKind.AGREED_CHECK, "no"): Stage.NOT_FEASIBLE,
    (NudgeKind.OUTCOME_CHECK, "done"): Stage.CARRIED_OUT,
    (NudgeKind.OUTCOME_CHECK, "ongoing"): Stage.ONGOING,
    (NudgeKind.OUTCOME_CHECK, "no"): Stage.NOT_FEASIBLE,
}


async def plan_due(svc: Services, now: datetime) -> datetime | None:
    """Due nudges become outbox messages (quiet hours and the daily cap permitting); questions
    left unanswered are asked again. Returns when the next nudge falls due."""
    delays = svc.policy.nudges
    for ignored in await partnerships.unanswered(svc.db, before=now - delays.repeat):
        await partnerships.ask_again(svc.db, ignored, now, delays, ignored=True)
    recipients: dict[int, Organisation | None] = {}
    queued = 0
    for nudge in await partnerships.due_nudges(svc.db, now):
        if nudge.recipient_id not in recipients:
            recipients[nudge.recipient_id] = await organisations.get(svc.db, nudge.recipient_id)
        recipient = recipients[nudge.recipient_id]
        if recipient is None or recipient.unreachable_since is not None:
            continue
        # Event reminders and rounds are timed by the event itself: people are there.
        timed = nudge.kind in (NudgeKind.EVENT_REMINDER, NudgeKind.EVENT_ROUND)
        if not timed:
            today = svc.delivery.day_start(now)
            hold = svc.delivery.hold_until(
                now,
                sent_today=await partnerships.sent_since(svc.db, recipient.id, today),
                per_day=svc.policy.nudges_per_day,
            )
            if hold is not None:
                await partnerships.release(svc.db, nudge.id, hold)
                continue
        rendered = await render(svc, nudge, recipient)
        if rendered is None:
            await partnerships.cancel(svc.db, nudge.id)
            continue
        text, buttons = rendered
        message = OutMessage(
            chat_id=recipient.owner_user_id,
            kind=f"nudge.{nudge.kind.value}",
            text=text,
            recipient_id=recipient.id,
            buttons=buttons,
            # A live round's message is due now, in the room: it goes before bulk messages.
            bulk=nudge.kind is not NudgeKind.EVENT_ROUND,
        )
        queued += await partnerships.send_nudge(svc.db, nudge.id, message, now)
    return await partnerships.next_due(svc.db)


def _buttons(svc: Services, lang: str, nudge: Nudge) -> Buttons:
    return tuple(
        (Button(svc.t.plain(lang, key), f"nd:{nudge.id}:{code}"),)
        for code, key in ANSWERS[nudge.kind]
    )


async def render(
    svc: Services, nudge: Nudge, recipient: Organisation
) -> tuple[Html, Buttons] | None:
    """The question and its buttons, or None when it no longer applies."""
    lang = recipient.language
    if nudge.kind is NudgeKind.PROFILE_FRESH:
        needs = items_block(recipient.needs, lang, svc.t, svc.taxonomy)
        offers = items_block(recipient.offers, lang, svc.t, svc.taxonomy)
        text = svc.t(lang, "nudge.profile_fresh", needs=needs, offers=offers)
        return text, _buttons(svc, lang, nudge)
    if nudge.kind is NudgeKind.REQUEST_REMINDER:
        interest = await introductions.get(svc.db, nudge.interest_id or 0)
        if interest is None or interest.status is not InterestStatus.PENDING:
            return None
        asker = await organisations.get(svc.db, interest.from_id)
        if asker is None:
            return None
        text = svc.t(
            lang,
            "nudge.request_reminder",
            name=asker.name,
            days=_days_left(interest.expires_at, svc.clock()),
        )
        return text, request_buttons(svc.t, lang, interest.id)
    if nudge.kind in (NudgeKind.EVENT_REMINDER, NudgeKind.EVENT_ROUND):
        return await _render_event(svc, nudge, recipient)
    partnership = await partnerships.get(svc.db, nudge.partnership_id or 0)
    if partnership is None or not partnership.stage.is_open:
        return None
    other = await organisations.get(svc.db, partnership.other(recipient.id))
    if other is None:
        return None
    text = svc.t(lang, f"nudge.{nudge.kind.value}", name=other.name)
    if nudge.asked_before:
        text = Html(f"{text}\n<i>{svc.t(lang, 'nudge.asked_again')}</i>")
    return text, _buttons(svc, lang, nudge)


async def _render_event(
    svc: Services, nudge: Nudge, recipient: Organisation
) -> tuple[Html, Buttons] | None:
    """ "Speed meeting tomorrow / in one hour", or in live mode "Round 3 — table 5 — meet X"."""
    event = await events.get(svc.db, nudge.event_id or 0)
    if event is None or event.status is not EventStatus.PUBLISHED:
        return None
    lang = recipient.language
    mine = await events.meetings(svc.db, event.id, of=recipient.id)
    start = event.starts_at.astimezone(svc.policy.zone).strftime("%H:%M")
    if nudge.kind is NudgeKind.EVENT_ROUND:
        meeting = next((m for m in mine if m.round == nudge.round), None)
        if meeting is None:
            return None
        other = await organisations.get(
            svc.db, meeting.association if recipient.id == meeting.company else meeting.company
        )
        if other is None:
            return None
        text = svc.t(
            lang, "event.round_now", round=meeting.round + 1, table=meeting.table, name=other.name
        )
        return text, ()
    if not mine:
        return None
    first = min(mine, key=lambda m: m.round)
    key = (
        "event.reminder_day"
        if event.starts_at - nudge.due_at > timedelta(hours=2)
        else "event.reminder_hour"
    )
    text = svc.t(
        lang, key, title=event.title, time=start, venue=event.venue, table=first.table,
        count=len(mine),
    )  # fmt: skip
    return text, ()


def _days_left(expires_at: datetime, now: datetime) -> int:
    return max(1, (expires_at - now).days)


# --- answers --------------------------------------------------------------------------------


async def answer_nudge(update: Update, ctx: Context) -> None:
    """A button under a nudge: moves the pair forward, asks again later, or closes it."""
    svc, lang, me = await whoami(update, ctx)
    nudge_id, code = button_number(update, 1), button_value(update)
    nudge = await partnerships.get_nudge(svc.db, nudge_id) if nudge_id is not None else None
    if (
        me is None
        or nudge is None
        or nudge.recipient_id != me.id
        or code not in dict(ANSWERS.get(nudge.kind, ()))
    ):
        await answer_query(update, svc.t(lang, "button.expired"), alert=True)
        return
    now = svc.clock()
    if not nudge.state.awaits_answer:
        await answer_query(update, svc.t(lang, "nudge.already"), alert=True)
        return
    await answer_query(update)
    if nudge.kind is NudgeKind.PROFILE_FRESH:
        await partnerships.ask_again(svc.db, nudge, now, _fresh_delays(svc), ignored=False)
        key = "nudge.fresh_thanks" if code == "yes" else "nudge.fresh_update"
        await edit_or_reply(update, svc.t(lang, key))
        return
    partnership = await partnerships.get(svc.db, nudge.partnership_id or 0)
    other = await organisations.get(svc.db, partnership.other(me.id)) if partnership else None
    if partnership is None or other is None:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    if code == "later":
        await partnerships.ask_again(svc.db, nudge, now, svc.policy.nudges, ignored=False)
        await edit_or_reply(update, svc.t(lang, "nudge.later", name=other.name))
        return
    await partnerships.answer(svc.db, nudge, now)
    if nudge.kind is NudgeKind.AGREED_CHECK and code == "yes":
        await edit_or_reply(
            update,
            svc.t(lang, "nudge.agreed_record", name=other.name),
            _record_button(svc, lang, partnership),
        )
        return
    target = MOVES[(nudge.kind, code)]
    await _move(update, ctx, me, other, partnership, target=target)


def _fresh_delays(svc: Services) -> NudgeDelays:
    """A "still current?" answer plans the next check a full period later."""
    return replace(svc.policy.nudges, repeat=svc.policy.nudges.profile_fresh)


def _record_button(svc: Services, lang: str, partnership: Partnership) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    svc.t(lang, "record.start"), callback_data=f"rec:start:{partnership.id}"
                )
            ]
        ]
    )


async def _move(
    update: Update,
    ctx: Context,
    me: Organisation,
    other: Organisation,
    partnership: Partnership,
    *,
    target: Stage,
) -> None:
    svc = ctx.services
    lang = me.language
    moved = await partnerships.move(svc.db, partnership, target, svc.clock(), svc.policy.nudges)
    if not moved:
        await edit_or_reply(update, svc.t(lang, "nudge.already_moved", name=other.name))
        return
    await edit_or_reply(
        update,
        svc.t(lang, f"stage.now_{target.value}", name=other.name),
        _record_button(svc, lang, partnership) if target is Stage.MET else None,
    )


# --- /partnerships --------------------------------------------------------------------------

# The buttons offered for each stage in /partnerships.
NEXT: dict[Stage, tuple[Stage | str, ...]] = {
    Stage.INTRODUCED: (Stage.IN_CONTACT, Stage.NO_CONTACT),
    Stage.IN_CONTACT: (Stage.MET, Stage.NOT_FEASIBLE),
    Stage.MET: ("record", Stage.NOT_FEASIBLE),
    Stage.AGREED: (Stage.CARRIED_OUT, Stage.ONGOING, Stage.NOT_FEASIBLE),
    Stage.ONGOING: (Stage.CARRIED_OUT, Stage.NOT_FEASIBLE),
}


async def partnerships_command(update: Update, ctx: Context) -> None:
    """Every partnership of the user's organisation: stage, next step, and buttons to move it."""
    svc, lang, me = await whoami(update, ctx)
    if me is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    found = await partnerships.of_organisation(svc.db, me.id)
    if not found:
        await reply(update, svc.t(lang, "pipeline.none"))
        return
    await reply(update, svc.t(lang, "pipeline.header", count=len(found)))
    for partnership in found[:20]:
        other = await organisations.get(svc.db, partnership.other(me.id))
        record = await partnerships.confirmed_record(svc.db, partnership.id)
        summary = svc.t(lang, "record.line", description=record.description) if record else Html("")
        text = svc.t(
            lang,
            "pipeline.item",
            name=other.name if other is not None else svc.t.plain(lang, "org.left"),
            stage=svc.t(lang, f"stage.{partnership.stage.value}"),
            next=svc.t(lang, f"stage.next_{partnership.stage.value}"),
            record=summary,
        )
        rows = [
            [
                InlineKeyboardButton(
                    svc.t(lang, "record.start")
                    if step == "record"
                    else svc.t(lang, f"stage.b_{step}"),
                    callback_data=(
                        f"rec:start:{partnership.id}"
                        if step == "record"
                        else f"pp:{partnership.id}:{step}"
                    ),
                )
            ]
            # A pair whose other side left cannot move any more: its history is kept as is.
            for step in (NEXT.get(partnership.stage, ()) if other is not None else ())
        ]
        await reply(update, text, InlineKeyboardMarkup(rows) if rows else None)


async def move_from_list(update: Update, ctx: Context) -> None:
    """A button in /partnerships: move the pair to that stage."""
    svc, lang, me = await whoami(update, ctx)
    pid, target = button_number(update, 1), button_value(update)
    partnership = await partnerships.get(svc.db, pid) if pid is not None else None
    stages = {s.value for s in Stage}
    if me is None or partnership is None or me.id not in partnership.sides or target not in stages:
        await answer_query(update, svc.t(lang, "button.expired"), alert=True)
        return
    if Stage(target) not in SET_ALONE | AFTER_RECORD or (
        Stage(target) in AFTER_RECORD
        and await partnerships.confirmed_record(svc.db, partnership.id) is None
    ):
        # "Agreed" (and what follows it) takes the other side's word: a confirmed record.
        await answer_query(update, svc.t(lang, "stage.needs_record"), alert=True)
        return
    await answer_query(update)
    other = await organisations.get(svc.db, partnership.other(me.id))
    if other is None:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    await _move(update, ctx, me, other, partnership, target=Stage(target))


# --- organisers -----------------------------------------------------------------------------


async def pipeline_command(update: Update, ctx: Context) -> None:
    """Organisers only: how many pairs at each stage, and which ones are stuck."""
    svc, lang, _ = await whoami(update, ctx)
    assert update.effective_user is not None
    if update.effective_user.id not in svc.organiser_ids:
        await reply(update, svc.t(lang, "organiser.only"))
        return
    everything = await partnerships.all_partnerships(svc.db)
    counts = dict.fromkeys(Stage, 0)
    for partnership in everything:
        counts[partnership.stage] += 1
    lines = [
        svc.t(lang, "pipeline.count", stage=svc.t(lang, f"stage.{stage.value}"), count=count)
        for stage, count in counts.items()
    ]
    stuck = [p for p in everything if p.stuck_since is not None and p.stage.is_open]
    stuck_lines = []
    for partnership in stuck[:STUCK_SHOWN]:
        association = await organisations.get(svc.db, partnership.association_id)
        company = await organisations.get(svc.db, partnership.company_id)
        left = svc.t.plain(lang, "org.left")
        stuck_lines.append(
            svc.t(
                lang,
                "pipeline.stuck_line",
                association=shorten(association.name, NAME_IN_LIST) if association else left,
                company=shorten(company.name, NAME_IN_LIST) if company else left,
                stage=svc.t(lang, f"stage.{partnership.stage.value}"),
            )
        )
    if len(stuck) > STUCK_SHOWN:
        stuck_lines.append(svc.t(lang, "pipeline.stuck_more", count=len(stuck) - STUCK_SHOWN))
    text = svc.t(
        lang,
        "pipeline.organiser",
        total=len(everything),
        counts=Html("\n".join(lines)),
        stuck=Html("\n".join(stuck_lines)) if stuck_lines else svc.t(lang, "profile.none"),
    )
    # A long stuck list goes on in further messages (reply splits it between lines).
    await reply(update, text)
