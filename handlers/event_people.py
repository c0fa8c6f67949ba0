"""Speed meetings for participants: joining through an invitation, wishes (/wishes, ☆/★,
pages), and follow-up marks on the spot (mutual marks become an introduction)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from core.event_buttons import MeetingFollowUp, WishesPage, WishToggle
from core.events import Event, EventStatus
from core.i18n import Html
from core.matching import Candidate
from core.models import Organisation, OrgKind
from core.text import (
    MAX_BUTTON_LABEL,
    MAX_MESSAGE,
    pack,
    shorten,
)
from handlers.cards import introductions, reason_line
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    reply,
    whoami,
)
from handlers.event_messages import (
    rules,
    when,
)
from handlers.render import NAME_IN_LIST
from storage import event_outcomes, organisations
from storage import events as store
from storage.events import Joined


async def join_by_code(update: Update, ctx: Context, org: Organisation, code: str) -> None:
    """Registers the organisation for the event behind an invitation link."""
    svc = ctx.services
    lang = org.language
    event = await store.by_code(svc.db, code)
    joined = await store.join(svc.db, event.id, org.id, svc.clock()) if event else Joined.CLOSED
    if event is None or joined is Joined.CLOSED:
        await reply(update, svc.t(lang, "event.unknown"))
        return
    if joined is Joined.FULL:
        await reply(update, svc.t(lang, "event.full", title=event.title))
        return
    await reply(
        update,
        svc.t(
            lang,
            "event.joined_late" if event.status is EventStatus.PUBLISHED else "event.joined",
            title=event.title,
            when=when(svc, event),
            venue=event.venue,
            rules=rules(svc, lang),
        ),
    )


# A page of /wishes: one toggle per person plus the arrows, far under Telegram's 100 buttons.
WISHES_PER_PAGE = 10


async def wishes_command(update: Update, ctx: Context) -> None:
    """The other side's participants, best match first, each with a "want to meet" toggle, a
    page at a time."""
    svc, lang, me = await whoami(update, ctx)
    if me is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    upcoming = [
        e for e in await store.of_participant(svc.db, me.id) if e.status is EventStatus.OPEN
    ]
    if not upcoming:
        await reply(update, svc.t(lang, "event.no_wishes"))
        return
    event = upcoming[0]
    others = await _others(svc, me, event)
    if not others:  # « Personne de l'autre côté » alone, not « 0 participant… touchez ☆ »
        await reply(update, svc.t(lang, "event.nobody_yet"))
        return
    await reply(update, svc.t(lang, "event.wishes_header", title=event.title, count=len(others)))
    await reply(update, *await _wishes_page(svc, lang, me, event, others=others, page=0))


async def _participants_event(
    svc: Services, me: Organisation | None, event_id: int
) -> Event | None:
    """The event of a participant's button when `me` takes part in it; None for anyone else
    (or a forged button)."""
    event = await store.get(svc.db, event_id)
    if me is None or event is None:
        return None
    if me.id not in await store.participants(svc.db, event.id):
        return None
    return event


async def wishes_page(update: Update, ctx: Context) -> None:
    """◀ / ▶ under /wishes: shows another page in the same message."""
    svc, lang, me = await whoami(update, ctx)
    pressed = WishesPage.parse(update.callback_query.data if update.callback_query else None)
    event = await _participants_event(svc, me, pressed.event) if pressed else None
    if pressed is None or event is None or me is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    page = pressed.page
    await answer_query(update)
    others = await _others(svc, me, event)
    await edit_or_reply(update, *await _wishes_page(svc, lang, me, event, others=others, page=page))


async def _others(
    svc: Services, me: Organisation, event: Event
) -> list[tuple[Candidate, Organisation]]:
    """The other side's participants, closest match first."""
    others = [
        (svc.explain(me, other), other)
        for other in await organisations.get_many(
            svc.db, await store.participants(svc.db, event.id)
        )
        if other.kind is not me.kind
    ]
    others.sort(key=lambda pair: (-pair[0].score, pair[1].name, pair[1].id))
    return others


def _wish_label(on: bool, name: str) -> str:
    return f"{'★' if on else '☆'} {shorten(name, MAX_BUTTON_LABEL)}"


async def _wishes_page(
    svc: Services,
    lang: str,
    me: Organisation,
    event: Event,
    *,
    others: list[tuple[Candidate, Organisation]],
    page: int,
) -> tuple[Html, InlineKeyboardMarkup]:
    """One page of the list: its lines, a toggle per person, and arrows to the other pages."""
    if not others:
        return svc.t(lang, "event.nobody_yet"), InlineKeyboardMarkup([])
    wished = {whom for who, whom in await store.wishes(svc.db, event.id) if who == me.id}
    lines = [
        svc.t(
            lang,
            "event.wish_line",
            name=shorten(other.name, NAME_IN_LIST),
            why=Html(f" — {reason_line(svc, lang, c.reasons[0])}") if c.reasons else Html(""),
        )
        for c, other in others
    ]
    # Room is kept for the page number under the lines.
    pages = pack(lines, MAX_MESSAGE - 100, max_items=WISHES_PER_PAGE)
    page = max(0, min(page, len(pages) - 1))
    shown = pages[page]
    rows = [
        [
            InlineKeyboardButton(
                _wish_label(others[i][1].id in wished, others[i][1].name),
                callback_data=WishToggle(event.id, others[i][1].id).data,
            )
        ]
        for i in shown
    ]
    text = Html("\n".join(lines[i] for i in shown))
    if len(pages) > 1:
        arrows = []
        if page > 0:
            arrows.append(
                InlineKeyboardButton(
                    svc.t.plain(lang, "event.wishes_previous"),
                    callback_data=WishesPage(event.id, page - 1).data,
                )
            )
        if page < len(pages) - 1:
            arrows.append(
                InlineKeyboardButton(
                    svc.t.plain(lang, "event.wishes_next"),
                    callback_data=WishesPage(event.id, page + 1).data,
                )
            )
        rows.append(arrows)
        page_line = svc.t(lang, "event.wishes_page", page=page + 1, pages=len(pages))
        text = Html(f"{text}\n\n{page_line}")
    return text, InlineKeyboardMarkup(rows)


async def toggle_wish(update: Update, ctx: Context) -> None:
    """☆ / ★ on a participant: want to meet them, or not any more."""
    svc, lang, me = await whoami(update, ctx)
    data = update.callback_query.data if update.callback_query else None
    pressed = WishToggle.parse(data)
    event = await _participants_event(svc, me, pressed.event) if pressed else None
    if pressed is None or event is None or me is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    whom = pressed.whom
    if event.status is not EventStatus.OPEN:
        await answer_query(update, svc.t.plain(lang, "event.wishes_closed"), alert=True)
        return
    on = await store.toggle_wish(svc.db, event.id, me.id, whom)
    if on is None:
        # Wishes are only about participants of the other side (a forged id is refused).
        await answer_query(update, svc.t.plain(lang, "event.wish_refused"), alert=True)
        return
    await answer_query(update, svc.t.plain(lang, "event.wish_on" if on else "event.wish_off"))
    query = update.callback_query
    message = query.message if query is not None else None
    if query is not None and isinstance(message, Message) and message.reply_markup is not None:
        # Every row is kept as it is (the arrows too); only the pressed toggle changes.
        rows = [
            [
                InlineKeyboardButton(
                    ("★" if on else "☆") + button.text[1:], callback_data=button.callback_data
                )
                if button.callback_data == data
                else button
                for button in row
            ]
            for row in message.reply_markup.inline_keyboard
        ]
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))


async def follow_up(update: Update, ctx: Context) -> None:
    """🔁 on a meeting: "I want to follow up". Mutual marks introduce the pair (contacts shared,
    as both said yes) and start its follow-through."""
    svc, lang, me = await whoami(update, ctx)
    pressed = MeetingFollowUp.parse(update.callback_query.data if update.callback_query else None)
    event = await store.get(svc.db, pressed.event) if pressed is not None else None
    other = await organisations.get(svc.db, pressed.other) if pressed is not None else None
    if me is None or event is None or other is None or other.kind is me.kind:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    association, company = (me, other) if me.kind is OrgKind.ASSOCIATION else (other, me)
    mutual = await event_outcomes.mark(
        svc.db, event.id, me.id, other.id, association_id=association.id, company_id=company.id,
        now=svc.clock(), delays=svc.policy.nudges, announce=introductions(svc, me, other),
    )  # fmt: skip
    if mutual is None:
        # Only the two sides of a meeting in the published schedule may mark it.
        await answer_query(update, svc.t.plain(lang, "event.not_your_meeting"), alert=True)
        return
    if mutual:
        svc.wake()
    await answer_query(update, svc.t.plain(lang, "event.follow_noted", name=other.name))
