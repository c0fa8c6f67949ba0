"""Matches, interest requests and consent-based introductions.

Messages to the other side (the request, the introductions) are written to the outbox in the
same transaction as the change they announce; the person who pressed gets a direct answer.
Contact details appear only in `cards.introduction`, once the other side accepted.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.matching import Candidate
from core.models import Organisation, OrgKind, OrgStatus
from core.partnerships import Interest
from handlers.cards import introductions as introductions_of
from handlers.cards import match_buttons, match_card, to_org
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    keyboard,
    reply,
    whoami,
)
from handlers.hidden import hidden_count, hidden_row, undo_markup
from handlers.match_buttons import Interested, MoreMatches, NotForUs, RequestAnswer
from handlers.render import request_buttons
from storage import introductions, organisations
from storage.introductions import Refused

log = logging.getLogger(__name__)

PAGE = 5
SHOWN = "matches_shown"


def _pressed(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


# --- /matches -------------------------------------------------------------------------------


async def matches_command(update: Update, ctx: Context) -> None:
    """Shows the five best matches, each with its reasons and two buttons."""
    svc, lang, org = await whoami(update, ctx)
    if org is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    await show_matches(update, ctx, org, lang)


async def more_matches(update: Update, ctx: Context) -> None:
    """The next five matches (those not shown yet in this chat)."""
    await answer_query(update)
    svc, lang, org = await whoami(update, ctx)
    assert update.effective_user is not None
    if org is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    await edit_or_reply(update, svc.t(lang, "match.more_shown"))
    await show_matches(update, ctx, org, lang, fresh=False)


def _shown(ctx: Context) -> set[int]:
    """Matches already shown in this chat since the last /matches (display memory only)."""
    memory = ctx.chat_data if ctx.chat_data is not None else {}
    shown = memory.setdefault(SHOWN, set())
    assert isinstance(shown, set)
    return shown


async def find_matches(
    svc: Services, org: Organisation, *, skip: set[int] | None = None
) -> list[Candidate]:
    excluded = await introductions.excluded_for(svc.db, org.id)
    return svc.index.top(org, now=svc.clock(), k=PAGE, exclude=excluded | (skip or set()))


async def show_matches(
    update: Update, ctx: Context, org: Organisation, lang: str, *, fresh: bool = True
) -> None:
    svc = ctx.services
    shown = _shown(ctx)
    if fresh:
        shown.clear()
    found = await find_matches(svc, org, skip=shown)
    if not found:
        # Organisations hidden with « not for us » may be why: offer to see them.
        hidden = hidden_row(svc, lang, await hidden_count(svc, org))
        key = "match.none" if fresh else "match.no_more"
        if fresh and await _only_under_way(svc, org):
            key = "match.under_way"
        text = svc.t(lang, key)
        await reply(update, text, InlineKeyboardMarkup([hidden]) if hidden else None)
        return
    await send_matches(update, ctx, org, lang, found, first_page=fresh)


async def _only_under_way(svc: Services, org: Organisation) -> bool:
    """Whether the matches left out are those already introduced or asked (either way): then
    « no match yet » would mislead, they are under way in /partnerships."""
    now = svc.clock()
    engaged = await introductions.engaged_with(svc.db, org.id, now)
    if not engaged:
        return False
    excluded = await introductions.excluded_for(svc.db, org.id)
    return bool(svc.index.top(org, now=now, k=1, exclude=excluded - engaged))


async def send_matches(
    update: Update,
    ctx: Context,
    org: Organisation,
    lang: str,
    found: list[Candidate],
    *,
    first_page: bool,
) -> None:
    """One message per match (with its buttons), then "show more" when there may be more."""
    svc = ctx.services
    if first_page:
        await reply(update, svc.t(lang, "match.header"))
    shown = _shown(ctx)
    for candidate in found:
        other = svc.index.get(candidate.org_id)
        if other is not None:
            shown.add(other.id)
            await reply(
                update,
                match_card(svc, lang, other, candidate),
                keyboard(match_buttons(svc, lang, other.id)),
            )
    # The last message: more matches, the paused hint, and « 🙈 N hidden — see » if any.
    count = await hidden_count(svc, org)
    hidden = hidden_row(svc, lang, count)
    if len(found) == PAGE:
        more = [InlineKeyboardButton(svc.t(lang, "match.more"), callback_data=MoreMatches().data)]
        rows = [more, hidden] if hidden else [more]
        await reply(update, svc.t(lang, "match.more_prompt"), InlineKeyboardMarkup(rows))
    elif org.status is OrgStatus.PAUSED:
        markup = InlineKeyboardMarkup([hidden]) if hidden else None
        await reply(update, svc.t(lang, "match.paused_hint"), markup)
    elif hidden:
        await reply(
            update, svc.t(lang, "match.hidden_prompt", count=count), InlineKeyboardMarkup([hidden])
        )


# --- buttons on a match ---------------------------------------------------------------------


async def interested(update: Update, ctx: Context) -> None:
    """Records interest and sends the other side a request (never contact details). If they
    asked first, this is a yes to their request: the pair is introduced, once."""
    svc, lang, me = await whoami(update, ctx)
    pressed = Interested.parse(_pressed(update))
    other = svc.index.get(pressed.org) if pressed else None
    if me is None or other is None or other.kind is me.kind:
        await answer_query(update, svc.t(lang, "match.gone"), alert=True)
        return
    now = svc.clock()
    their_lang = other.language
    text = svc.t(
        their_lang,
        "request.received",
        card=match_card(svc, their_lang, me, svc.explain(other, me, now)),
        days=svc.policy.request_expiry.days or 1,
    )
    outcome = await introductions.request(
        svc.db,
        me.id,
        other.id,
        now=now,
        expires_at=now + svc.policy.request_expiry,
        cap=svc.policy.max_pending,
        delays=svc.policy.nudges,
        announce=lambda interest_id: [
            to_org(other, "request", text, request_buttons(svc.t, their_lang, interest_id))
        ],
    )
    if outcome is Refused.ASKED_YOU:
        theirs = await introductions.pending_between(svc.db, other.id, me.id, now)
        if theirs is not None and await _accept(svc, theirs, me, other, now):
            await answer_query(update)
            await edit_or_reply(update, svc.t(lang, "request.accepted", name=other.name))
            return
        outcome = Refused.ALREADY
    if isinstance(outcome, Refused):
        key = {
            Refused.CAP: "match.cap",
            Refused.ALREADY: "match.already",
            Refused.PAUSED: "match.paused_no_request",
        }.get(outcome, "match.gone")
        await answer_query(update, svc.t(lang, key, max=svc.policy.max_pending), alert=True)
        return
    svc.wake()
    await answer_query(update)
    await edit_or_reply(update, svc.t(lang, "match.request_sent", name=other.name))


async def not_for_us(update: Update, ctx: Context) -> None:
    """Never suggests this organisation again, and no request can go either way."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = NotForUs.parse(_pressed(update))
    # Only an organisation that could be suggested is named: a forged button about a paused,
    # departed or same-kind organisation learns nothing.
    other = await organisations.get(svc.db, pressed.org) if pressed else None
    if (
        me is None
        or other is None
        or not await introductions.dismiss(svc.db, me.id, other.id, svc.clock())
    ):
        await edit_or_reply(update, svc.t(lang, "match.gone"))
        return
    await edit_or_reply(
        update, svc.t(lang, "match.dismissed", name=other.name), undo_markup(svc, lang, other.id)
    )


# --- answering a request --------------------------------------------------------------------


async def answer_request(update: Update, ctx: Context) -> None:
    """Accept: introduces both sides with their contact details. Decline: the asker is not told."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = RequestAnswer.parse(_pressed(update))
    accept = pressed is not None and pressed.answer == "a"
    interest = await introductions.get(svc.db, pressed.interest) if pressed else None
    if me is None or interest is None or interest.to_id != me.id:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    asker = await organisations.get(svc.db, interest.from_id)
    if asker is None:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    now = svc.clock()
    if accept:
        done = await _accept(svc, interest, me, asker, now)
    else:
        done = await introductions.answer(
            svc.db, interest, accept=False, association_id=0, company_id=0, now=now,
            delays=svc.policy.nudges,
        )  # fmt: skip
    if not done:
        key = "request.expired" if interest.expires_at <= now else "request.already_answered"
        await edit_or_reply(update, svc.t(lang, key, name=asker.name))
        return
    if not accept:
        await edit_or_reply(update, svc.t(lang, "request.declined", name=asker.name))
        return
    await edit_or_reply(update, svc.t(lang, "request.accepted", name=asker.name))


async def _accept(
    svc: Services, interest: Interest, me: Organisation, asker: Organisation, now: datetime
) -> bool:
    """`me` says yes to `asker`'s request: the pair is introduced (both get the other's
    contact details), in one transaction. False if it was no longer pending."""
    if me.kind is asker.kind:
        return False
    association, company = (me, asker) if me.kind is OrgKind.ASSOCIATION else (asker, me)
    done = await introductions.answer(
        svc.db,
        interest,
        accept=True,
        association_id=association.id,
        company_id=company.id,
        now=now,
        delays=svc.policy.nudges,
        announce=introductions_of(svc, me, asker),
    )
    if done:
        svc.wake()
    return done
