"""Follow-through: the nudges that keep introduced pairs moving, and their answers.

/partnerships and /pipeline are in handlers/partnership_list.py.

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

from telegram import Update

from core.delivery import Button, Buttons, OutMessage
from core.events import EventStatus
from core.i18n import Html
from core.models import Organisation
from core.partnerships import InterestStatus, Nudge
from core.pipeline import NudgeAnswer, NudgeDelays, NudgeKind, moved_by
from handlers.context import Context, Services, answer_query, edit_or_reply, whoami
from handlers.partnership_list import move_pair, record_markup
from handlers.pipeline_buttons import NudgeButton
from handlers.render import items_block, request_buttons
from storage import events, introductions, organisations, partnerships

log = logging.getLogger(__name__)

# The answers each question offers: (answer, locale key of its button).
Y, LATER, N = NudgeAnswer.YES, NudgeAnswer.LATER, NudgeAnswer.NO
_CONTACT = ((Y, "nudge.b_in_touch"), (LATER, "nudge.b_not_yet"), (N, "nudge.b_wont"))
_MET = ((Y, "nudge.b_met"), (LATER, "nudge.b_not_yet"), (N, "nudge.b_not_feasible"))
_AGREED = ((Y, "nudge.b_agreed"), (LATER, "nudge.b_discussing"), (N, "nudge.b_no_partnership"))
_OUTCOME = (
    (NudgeAnswer.DONE, "nudge.b_carried_out"),
    (NudgeAnswer.ONGOING, "nudge.b_ongoing"),
    (N, "nudge.b_not_feasible"),
)
_FRESH = ((Y, "nudge.b_still_current"), (NudgeAnswer.UPDATE, "nudge.b_update"))
ANSWERS: dict[NudgeKind, tuple[tuple[NudgeAnswer, str], ...]] = {
    NudgeKind.CONTACT_CHECK: _CONTACT,
    NudgeKind.CONTACT_REMINDER: _CONTACT,
    NudgeKind.MET_CHECK: _MET,
    NudgeKind.AGREED_CHECK: _AGREED,
    NudgeKind.OUTCOME_CHECK: _OUTCOME,
    NudgeKind.PROFILE_FRESH: _FRESH,
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
        (Button(svc.t.plain(lang, key), NudgeButton(nudge.id, answer).data),)
        for answer, key in ANSWERS[nudge.kind]
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
    pressed = NudgeButton.parse(update.callback_query.data if update.callback_query else None)
    nudge = await partnerships.get_nudge(svc.db, pressed.nudge) if pressed else None
    if (
        pressed is None
        or me is None
        or nudge is None
        or nudge.recipient_id != me.id
        or pressed.answer not in dict(ANSWERS.get(nudge.kind, ()))
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
        key = "nudge.fresh_thanks" if pressed.answer is NudgeAnswer.YES else "nudge.fresh_update"
        await edit_or_reply(update, svc.t(lang, key))
        return
    partnership = await partnerships.get(svc.db, nudge.partnership_id or 0)
    other = await organisations.get(svc.db, partnership.other(me.id)) if partnership else None
    if partnership is None or other is None:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    if pressed.answer is NudgeAnswer.LATER:
        await partnerships.ask_again(svc.db, nudge, now, svc.policy.nudges, ignored=False)
        await edit_or_reply(update, svc.t(lang, "nudge.later", name=other.name))
        return
    await partnerships.answer(svc.db, nudge, now)
    target = moved_by(nudge.kind, pressed.answer)
    if target is None:  # « yes, we agreed »: that takes a record both sides confirm
        await edit_or_reply(
            update,
            svc.t(lang, "nudge.agreed_record", name=other.name),
            record_markup(svc, lang, partnership),
        )
        return
    await move_pair(update, ctx, me, other, partnership, target=target)


def _fresh_delays(svc: Services) -> NudgeDelays:
    """A "still current?" answer plans the next check a full period later."""
    return replace(svc.policy.nudges, repeat=svc.policy.nudges.profile_fresh)
