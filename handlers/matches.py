"""Matches, interest requests and consent-based introductions.

Contact details appear in exactly one place: `_introduce`, which runs only after the other
side accepted a request. Every other message here shows names, activities, places and the
needs and offers people chose to show.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden, TelegramError

from core.i18n import Html, escape
from core.matching import Candidate, Reason, explain_pair
from core.models import Direction, Item, Organisation, OrgKind
from core.text import shorten
from handlers.context import (
    Context,
    Services,
    answer_query,
    button_number,
    edit_or_reply,
    reply,
    services,
    whoami,
)
from handlers.render import WORDS_IN_CARD, WORDS_IN_LIST
from storage import introductions, organisations

log = logging.getLogger(__name__)

PAGE = 5
SHOWN = "matches_shown"


# --- rendering ------------------------------------------------------------------------------


def _words(svc: Services, lang: str, item: Item) -> str:
    return item.detail or svc.taxonomy.category(item.category).label(lang)


def reason_line(svc: Services, lang: str, reason: Reason, *, words: int = WORDS_IN_LIST) -> Html:
    """« Their offer "web design" answers your need "a web site" », in the reader's language;
    each side's words cut to `words` UTF-16 units so that a list of reasons stays readable
    (and within Telegram's limit)."""
    key = "match.reason_need" if reason.direction is Direction.NEED else "match.reason_offer"
    mine, theirs = _words(svc, lang, reason.mine), _words(svc, lang, reason.theirs)
    return svc.t(lang, key, mine=shorten(mine, words), theirs=shorten(theirs, words))


def match_card(svc: Services, lang: str, other: Organisation, candidate: Candidate) -> Html:
    where = svc.t(lang, "profile.remote") if other.location.remote else escape(other.location.text)
    reasons = "\n".join(
        f"• {reason_line(svc, lang, r, words=WORDS_IN_CARD)}" for r in candidate.reasons[:4]
    )
    extras = []
    if candidate.win_win:
        extras.append(svc.t(lang, "match.win_win"))
    if candidate.same_city:
        extras.append(svc.t(lang, "match.same_city"))
    elif candidate.same_region:
        extras.append(svc.t(lang, "match.same_region"))
    return svc.t(
        lang,
        "match.card",
        name=other.name,
        kind=svc.t(lang, f"kind.{other.kind.value}"),
        location=where,
        description=other.description,
        reasons=Html(reasons),
        extras=Html(" · ".join(extras)),
    )


def match_buttons(svc: Services, lang: str, other_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    svc.t(lang, "match.interested"), callback_data=f"m:i:{other_id}"
                ),
                InlineKeyboardButton(
                    svc.t(lang, "match.not_for_us"), callback_data=f"m:n:{other_id}"
                ),
            ]
        ]
    )


# --- /matches -------------------------------------------------------------------------------


async def matches_command(update: Update, ctx: Context) -> None:
    """Shows the five best matches, each with its reasons and two buttons."""
    svc, lang, org = await whoami(update, ctx)
    assert update.effective_user is not None
    await organisations.mark_reachable(svc.db, update.effective_user.id)
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
    svc = services(ctx)
    shown = _shown(ctx)
    if fresh:
        shown.clear()
    found = await find_matches(svc, org, skip=shown)
    if not found:
        await reply(update, svc.t(lang, "match.none" if fresh else "match.no_more"))
        return
    await send_matches(update, ctx, org, lang, found, first_page=fresh)


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
    svc = services(ctx)
    if first_page:
        await reply(update, svc.t(lang, "match.header"))
    shown = _shown(ctx)
    for candidate in found:
        other = svc.index.get(candidate.org_id)
        if other is not None:
            shown.add(other.id)
            await reply(
                update, match_card(svc, lang, other, candidate), match_buttons(svc, lang, other.id)
            )
    if len(found) == PAGE:
        more = InlineKeyboardMarkup(
            [[InlineKeyboardButton(svc.t(lang, "match.more"), callback_data="m:more")]]
        )
        await reply(update, svc.t(lang, "match.more_prompt"), more)
    elif org.status.value == "paused":
        await reply(update, svc.t(lang, "match.paused_hint"))


# --- buttons on a match ---------------------------------------------------------------------


async def interested(update: Update, ctx: Context) -> None:
    """Records interest and sends the other side a request (never contact details)."""
    svc, lang, me = await whoami(update, ctx)
    assert update.effective_user is not None
    other_id = button_number(update)
    other = svc.index.get(other_id) if other_id is not None else None
    if me is None or other is None or other.kind is me.kind:
        await answer_query(update, svc.t(lang, "match.gone"), alert=True)
        return
    now = svc.clock()
    interest = await introductions.request(
        svc.db,
        me.id,
        other.id,
        now=now,
        expires_at=now + svc.policy.request_expiry,
        cap=svc.policy.max_pending,
        delays=svc.policy.nudges,
    )
    if interest is None:
        pending = await introductions.pending_outgoing(svc.db, me.id, now)
        key = "match.cap" if pending >= svc.policy.max_pending else "match.already"
        await answer_query(update, svc.t(lang, key, max=svc.policy.max_pending), alert=True)
        return
    await answer_query(update)
    await edit_or_reply(update, svc.t(lang, "match.request_sent", name=other.name))
    seen_by_them = explain_pair(other, me, now)
    their_lang = other.language
    text = svc.t(
        their_lang,
        "request.received",
        card=match_card(svc, their_lang, me, seen_by_them),
        days=svc.policy.request_expiry.days or 1,
    )
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    svc.t(their_lang, "request.accept"), callback_data=f"q:a:{interest.id}"
                ),
                InlineKeyboardButton(
                    svc.t(their_lang, "request.decline"), callback_data=f"q:d:{interest.id}"
                ),
            ]
        ]
    )
    await send_to(ctx, other, text, buttons)


async def not_for_us(update: Update, ctx: Context) -> None:
    """Never suggests this organisation again (in either direction)."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    assert update.effective_user is not None
    other_id = button_number(update)
    other = await organisations.get(svc.db, other_id) if other_id is not None else None
    if me is None or other is None:
        await edit_or_reply(update, svc.t(lang, "match.gone"))
        return
    await introductions.dismiss(svc.db, me.id, other.id, svc.clock())
    await edit_or_reply(update, svc.t(lang, "match.dismissed", name=other.name))


# --- answering a request --------------------------------------------------------------------


async def answer_request(update: Update, ctx: Context) -> None:
    """Accept: introduces both sides with their contact details. Decline: the asker is not told."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    assert update.effective_user is not None
    assert update.callback_query is not None
    accept = (update.callback_query.data or "").startswith("q:a:")
    interest_id = button_number(update)
    interest = await introductions.get(svc.db, interest_id) if interest_id is not None else None
    if me is None or interest is None or interest.to_id != me.id:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    asker = await organisations.get(svc.db, interest.from_id)
    if asker is None:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    association, company = (me, asker) if me.kind is OrgKind.ASSOCIATION else (asker, me)
    now = svc.clock()
    done = await introductions.answer(
        svc.db,
        interest,
        accept=accept,
        association_id=association.id,
        company_id=company.id,
        now=now,
        delays=svc.policy.nudges,
    )
    if not done:
        key = "request.expired" if interest.expires_at <= now else "request.already_answered"
        await edit_or_reply(update, svc.t(lang, key, name=asker.name))
        return
    if not accept:
        await edit_or_reply(update, svc.t(lang, "request.declined", name=asker.name))
        return
    await edit_or_reply(update, svc.t(lang, "request.accepted", name=asker.name))
    await _introduce(ctx, me, asker, asked=False)
    await _introduce(ctx, asker, me, asked=True)


async def _introduce(
    ctx: Context, reader: Organisation, other: Organisation, *, asked: bool
) -> None:
    """Both sides said yes: give `reader` the other's contact details and a first step."""
    svc = services(ctx)
    lang = reader.language
    none = svc.t(lang, "profile.none")
    text = svc.t(
        lang,
        "intro.done",
        name=other.name,
        contact=other.contact.name,
        email=other.contact.email or none,
        phone=other.contact.phone or none,
        step=svc.t(lang, "intro.step_asker" if asked else "intro.step_accepter", name=other.name),
    )
    await send_to(ctx, reader, text)


async def send_to(
    ctx: Context, org: Organisation, text: Html, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Send to an organisation's owner; a user who blocked the bot is marked unreachable."""
    try:
        await ctx.bot.send_message(org.owner_user_id, text, parse_mode="HTML", reply_markup=markup)
    except Forbidden:
        await organisations.mark_unreachable(services(ctx).db, org.id, services(ctx).clock())
        log.info("organisation %s is unreachable (blocked the bot)", org.id)
        return False
    except TelegramError as error:
        log.warning("could not message organisation %s: %r", org.id, error)
        return False
    return True
