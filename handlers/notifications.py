"""Match notifications: who hears about a new or changed organisation, and when.

`announce` queues a row per recipient (in SQLite, so a restart loses none); `dispatch`, run by
the JobQueue, sends what is due. Per recipient: nothing while paused or unreachable, nothing
during quiet hours (it waits for the morning), at most `per_day` messages a day, the rest
gathered into one digest.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import JobQueue

from core.i18n import Html
from core.matching import explain_pair
from core.models import Organisation, OrgStatus
from handlers.context import Context, services
from handlers.matches import match_buttons, match_card, reason_line, send_to
from storage import introductions, notifications, organisations

log = logging.getLogger(__name__)

JOB_NAME = "match-notifications"


async def announce(ctx: Context, org: Organisation) -> int:
    """Queue notifications for everyone `org` is a strong match for; returns how many."""
    svc = services(ctx)
    if org.status is not OrgStatus.ACTIVE:
        return 0
    now = svc.clock()
    excluded = await introductions.excluded_for(svc.db, org.id)
    queued = 0
    for recipient_id, score in svc.index.strong_matches(
        org, now=now, threshold=svc.policy.strong_score, exclude=excluded, limit=500
    ):
        queued += await notifications.enqueue(svc.db, recipient_id, org.id, score, now)
    if queued and ctx.job_queue is not None:
        ctx.job_queue.run_once(dispatch, 0, name=f"{JOB_NAME}-now")
    return queued


def schedule(job_queue: JobQueue[Context], every_seconds: float) -> None:
    """Look at the queue regularly (and at start-up: rows due while the bot was down)."""
    job_queue.run_repeating(dispatch, interval=every_seconds, first=0, name=JOB_NAME)


async def dispatch(ctx: Context) -> None:
    """Send the notifications that are due, respecting pause, quiet hours and daily caps."""
    svc = services(ctx)
    now = svc.clock()
    await introductions.expire(svc.db, now)
    policy = svc.policy
    for recipient_id, queued in (await notifications.due(svc.db, now)).items():
        ids = [n.id for n in queued]
        recipient = await organisations.get(svc.db, recipient_id)
        if recipient is None or recipient.status is OrgStatus.PAUSED or recipient.unreachable_since:
            await notifications.claim(svc.db, ids, "dropped", now)
            continue
        morning = policy.quiet.next_allowed(now, policy.zone)
        if morning > now:
            await notifications.postpone(svc.db, ids, morning)
            continue
        excluded = await introductions.excluded_for(svc.db, recipient_id)
        live = [n for n in queued if n.about_id in svc.index and n.about_id not in excluded]
        stale = [n.id for n in queued if n not in live]
        await notifications.claim(svc.db, stale, "dropped", now)
        if not live:
            continue
        today = policy.quiet.day_start(now, policy.zone)
        room = policy.per_day - await notifications.sent_since(svc.db, recipient_id, today)
        if room <= 0:
            tomorrow = policy.quiet.next_allowed(today + timedelta(days=1), policy.zone)
            await notifications.postpone(svc.db, [n.id for n in live], tomorrow)
            continue
        single = live if len(live) <= room else live[: room - 1]
        for note in single:
            about = svc.index.get(note.about_id)
            # Claimed before sending: a crash in between loses this one message rather than
            # sending it twice (the follow-through issue makes every send exactly-once).
            if about is None or not await notifications.claim(svc.db, [note.id], "sent", now):
                continue
            if not await _notify(ctx, recipient, about):
                break
        rest = live[len(single) :]
        if rest and await notifications.claim(svc.db, [n.id for n in rest], "digested", now):
            await _digest(ctx, recipient, [svc.index.get(n.about_id) for n in rest])


async def _notify(ctx: Context, recipient: Organisation, about: Organisation) -> bool:
    svc = services(ctx)
    lang = recipient.language
    candidate = explain_pair(recipient, about, svc.clock())
    text = svc.t(lang, "notify.single", card=match_card(svc, lang, about, candidate))
    return await send_to(ctx, recipient, text, match_buttons(svc, lang, about.id))


async def _digest(ctx: Context, recipient: Organisation, abouts: list[Organisation | None]) -> bool:
    svc = services(ctx)
    lang = recipient.language
    lines = []
    for about in abouts:
        if about is None:
            continue
        candidate = explain_pair(recipient, about, svc.clock())
        why = reason_line(svc, lang, candidate.reasons[0]) if candidate.reasons else ""
        lines.append(svc.t(lang, "notify.digest_line", name=about.name, why=Html(why)))
    if not lines:
        return True
    text = svc.t(lang, "notify.digest", count=len(lines), lines=Html("\n".join(lines[:20])))
    see = InlineKeyboardMarkup(
        [[InlineKeyboardButton(svc.t(lang, "notify.see"), callback_data="m:more")]]
    )
    return await send_to(ctx, recipient, text, see)
