"""Match notifications: who hears about a new or changed organisation, and when.

`announce` queues a row per recipient (in SQLite, so a restart loses none); `plan_due`, run by
the dispatcher (bot/delivery.py), turns what is due into outbox messages. Per recipient:
nothing while paused or unreachable, nothing during quiet hours (it waits for the morning),
at most `per_day` messages a day, the rest gathered into one digest. A notification is marked
sent (or digested) in the same transaction that queues its message.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core.delivery import Button, OutMessage
from core.i18n import Html
from core.models import Organisation, OrgStatus
from core.text import split_html
from handlers.cards import match_buttons, match_card, reason_line, to_org
from handlers.context import Services
from handlers.match_buttons import Interested, MoreMatches
from storage import introductions, notifications, organisations

log = logging.getLogger(__name__)

# A digest lists at most this many organisations (the rest are one tap away in /matches).
DIGEST_LINES = 20


async def announce(svc: Services, org: Organisation) -> int:
    """Queue notifications for everyone `org` is a strong match for; returns how many."""
    if org.status is not OrgStatus.ACTIVE:
        return 0
    now = svc.clock()
    excluded = await introductions.excluded_for(svc.db, org.id)
    queued = 0
    for recipient_id, score in svc.index.strong_matches(
        org, now=now, threshold=svc.policy.strong_score, exclude=excluded, limit=500
    ):
        queued += await notifications.enqueue(svc.db, recipient_id, org.id, score, now)
    if queued:
        svc.wake()
    return queued


async def plan_due(svc: Services, now: datetime) -> datetime | None:
    """Turn due notifications into outbox messages; returns when the next one falls due."""
    await introductions.expire(svc.db, now)
    policy = svc.policy
    for recipient_id, queued in (await notifications.due(svc.db, now)).items():
        ids = [n.id for n in queued]
        recipient = await organisations.get(svc.db, recipient_id)
        if recipient is None or recipient.status is OrgStatus.PAUSED or recipient.unreachable_since:
            await notifications.claim(svc.db, ids, "dropped", now)
            continue
        excluded = await introductions.excluded_for(svc.db, recipient_id)
        live = [n for n in queued if n.about_id in svc.index and n.about_id not in excluded]
        stale = [n.id for n in queued if n not in live]
        await notifications.claim(svc.db, stale, "dropped", now)
        if not live:
            continue
        today = svc.delivery.day_start(now)
        sent_today = await notifications.sent_since(svc.db, recipient_id, today)
        hold = svc.delivery.hold_until(now, sent_today=sent_today, per_day=policy.per_day)
        if hold is not None:
            await notifications.postpone(svc.db, [n.id for n in live], hold)
            continue
        room = policy.per_day - sent_today
        single = live if len(live) <= room else live[: room - 1]
        rest = live[len(single) :]
        messages: list[OutMessage] = []
        for note in single:
            about = svc.index.get(note.about_id)
            if about is not None:
                messages.append(_single(svc, recipient, about, now))
        abouts = [svc.index.get(n.about_id) for n in rest]
        messages += _digest(svc, recipient, [a for a in abouts if a is not None], now)
        await notifications.deliver(
            svc.db, sent=[n.id for n in single], digested=[n.id for n in rest],
            messages=messages, now=now,
        )  # fmt: skip
    return await notifications.next_due(svc.db)


async def still_wanted(svc: Services, message: OutMessage) -> bool:
    """Whether a queued match notification should still go out: not once the two
    organisations have a request between them (either way, pending or answered), a pair or a
    "not for us" (the request's own card says it all; two cards would be one too many)."""
    if message.kind != "notification" or message.recipient_id is None:
        return True
    for row in message.buttons:
        for button in row:
            pressed = Interested.parse(button.data) if button.data else None
            if pressed is not None:
                return not await introductions.engaged(svc.db, message.recipient_id, pressed.org)
    return True


def _single(
    svc: Services, recipient: Organisation, about: Organisation, now: datetime
) -> OutMessage:
    lang = recipient.language
    candidate = svc.explain(recipient, about, now)
    text = svc.t(lang, "notify.single", card=match_card(svc, lang, about, candidate))
    return to_org(recipient, "notification", text, match_buttons(svc, lang, about.id))


def _digest(
    svc: Services, recipient: Organisation, abouts: list[Organisation], now: datetime
) -> list[OutMessage]:
    if not abouts:
        return []
    lang = recipient.language
    lines = []
    for about in abouts[:DIGEST_LINES]:
        candidate = svc.explain(recipient, about, now)
        why = reason_line(svc, lang, candidate.reasons[0]) if candidate.reasons else ""
        lines.append(svc.t(lang, "notify.digest_line", name=about.name, why=Html(why)))
    text = svc.t(lang, "notify.digest", count=len(abouts), lines=Html("\n".join(lines)))
    see = ((Button(svc.t.plain(lang, "notify.see"), MoreMatches().data),),)
    # A digest of long names and reasons can pass Telegram's limit: it then comes in parts,
    # the button under the last.
    *first, last = split_html(text)
    return [
        *(to_org(recipient, "digest", part) for part in first),
        to_org(recipient, "digest", last, see),
    ]
