"""Speed meetings: organisers create events and publish schedules; participants join through an
invitation link, say whom they want to meet, receive their agenda and calendar file, get
reminders, and record partnerships or follow-ups on the spot.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

import segno
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core import documents
from core.delivery import Attachment, Button, Buttons, OutMessage
from core.documents import EventFacts
from core.i18n import Html, escape
from core.matching import Candidate, explain_pair
from core.models import Organisation, OrgKind
from core.pipeline import NudgeKind, Planned
from core.speedmeeting import Meeting, priorities, schedule
from core.text import (
    MAX_BUTTON_LABEL,
    MAX_BUTTONS,
    MAX_MESSAGE,
    pack,
    shorten,
    visible_len,
)
from core.timing import parse_when
from core.validation import InvalidInput, clean_text, read_number
from handlers.cards import introductions, reason_line, to_org
from handlers.context import (
    Context,
    Services,
    answer_query,
    asking,
    button_number,
    button_parts,
    edit_or_reply,
    form_gone,
    reply,
    services,
    whoami,
)
from handlers.render import NAME_IN_LIST
from storage import conversations, moderation, organisations
from storage import events as store
from storage.events import Event, Joined

CONVERSATION = "newevent"
INVITE_PREFIX = "ev_"


def rules(svc: Services, lang: str) -> Html:
    return svc.t(lang, "event.rules")


def local(svc: Services, moment: datetime) -> datetime:
    return moment.astimezone(svc.policy.zone)


def when(svc: Services, event: Event) -> str:
    return local(svc, event.starts_at).strftime("%d/%m/%Y %H:%M")


def is_organiser(svc: Services, update: Update) -> bool:
    return update.effective_user is not None and update.effective_user.id in svc.organiser_ids


async def refuse(update: Update, svc: Services, lang: str) -> None:
    if update.callback_query is not None:
        await answer_query(update, svc.t.plain(lang, "organiser.only"), alert=True)
    else:
        await reply(update, svc.t(lang, "organiser.only"))


# --- creating and editing (organisers) ------------------------------------------------------


class Step(StrEnum):
    TITLE = "title"
    WHEN = "when"
    VENUE = "venue"
    MINUTES = "minutes"
    TABLES = "tables"
    ROUNDS = "rounds"
    MAX = "max"
    CONFIRM = "confirm"


ORDER = list(Step)
LIMITS = {Step.MINUTES: (3, 30), Step.TABLES: (1, 200), Step.ROUNDS: (1, 60), Step.MAX: (1, 500)}


def _ids(update: Update) -> tuple[int, int]:
    assert update.effective_chat is not None
    assert update.effective_user is not None
    return update.effective_chat.id, update.effective_user.id


async def _ask(
    update: Update, ctx: Context, step: Step, data: dict[str, object], notice: Html | None = None
) -> Step:
    """Save the answers at `step`, then ask it."""
    svc = services(ctx)
    chat_id, user_id = _ids(update)
    await conversations.save_data(
        svc.db,
        CONVERSATION,
        chat_id=chat_id,
        user_id=user_id,
        state=step.value,
        data=data,
        now=svc.clock(),
    )
    lang = str(data.get("lang", "fr"))
    rows: list[list[InlineKeyboardButton]] = []
    if step is Step.MINUTES:
        rows.append(
            [InlineKeyboardButton(svc.t.plain(lang, "event.default_minutes"), callback_data="ne:7")]
        )
    if "event_id" in data and step is not Step.CONFIRM:
        rows.append(
            [InlineKeyboardButton(svc.t.plain(lang, "event.keep"), callback_data="ne:keep")]
        )
    if step is Step.CONFIRM:
        text = svc.t(lang, "event.confirm", summary=_summary(svc, lang, data))
        rows.append(
            [InlineKeyboardButton(svc.t.plain(lang, "event.save"), callback_data="ne:save")]
        )
        rows.append(
            [InlineKeyboardButton(svc.t.plain(lang, "record.cancel"), callback_data="ne:cancel")]
        )
    else:
        current = data.get(step.value)
        text = svc.t(lang, f"event.ask_{step.value}")
        if current is not None:
            text = Html(f"{text}\n<i>{svc.t(lang, 'event.current', value=str(current))}</i>")
    async with asking(step):
        if notice is not None:
            await reply(update, notice)
        await reply(update, text, InlineKeyboardMarkup(rows) if rows else None)
    return step


def _summary(svc: Services, lang: str, data: dict[str, object]) -> Html:
    return svc.t(
        lang,
        "event.summary",
        title=str(data.get("title", "")),
        when=str(data.get("when", "")),
        venue=str(data.get("venue", "")),
        minutes=str(data.get("minutes", "")),
        tables=str(data.get("tables", "")),
        rounds=str(data.get("rounds", "")),
        max=str(data.get("max", "")),
    )


async def new_event(update: Update, ctx: Context) -> Step | int:
    """/newevent (organisers): asks the title first."""
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return ConversationHandler.END
    return await _ask(update, ctx, Step.TITLE, {"lang": lang})


async def edit_event(update: Update, ctx: Context) -> Step | int:
    """✏️ on an event: the same questions, each showing its current answer and a Keep button."""
    await answer_query(update)
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return ConversationHandler.END
    event = await _event_from_button(update, svc)
    if event is None or event.status == "cancelled":
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    data: dict[str, object] = {
        "lang": lang,
        "event_id": event.id,
        "title": event.title,
        "when": when(svc, event),
        "venue": event.venue,
        "minutes": event.minutes,
        "tables": event.tables,
        "rounds": event.rounds,
        "max": event.max_per_side,
    }
    return await _ask(update, ctx, Step.TITLE, data)


async def _load(update: Update, ctx: Context) -> tuple[Step, dict[str, object], str] | None:
    """The step reached, the answers so far and the organiser's language."""
    chat_id, user_id = _ids(update)
    found = await conversations.load_data(services(ctx).db, CONVERSATION, chat_id, user_id)
    if found is None:
        return None
    return Step(found[0]), found[1], str(found[1].get("lang", "fr"))


async def answer(update: Update, ctx: Context) -> Step | int:
    """Stores a typed answer (validated); asks the next question."""
    svc = services(ctx)
    found = await _load(update, ctx)
    if found is None:
        await form_gone(update, ctx)
        return ConversationHandler.END
    step, data, lang = found
    text = update.effective_message.text if update.effective_message else None
    try:
        data[step.value] = _clean(svc, step, text)
    except InvalidInput as problem:
        return await _ask(update, ctx, step, data, svc.t(lang, problem.key, **problem.params))
    return await _ask(update, ctx, ORDER[ORDER.index(step) + 1], data)


def _clean(svc: Services, step: Step, text: str | None) -> object:
    if step in (Step.TITLE, Step.VENUE):
        return clean_text(text, max_length=120)
    if step is Step.WHEN:
        # "14h", "demain 14h30", "samedi 10h", "14/03/2027 14:00": as the French write them.
        moment = parse_when(clean_text(text, max_length=60), svc.clock(), svc.policy.zone)
        if moment is None:
            raise InvalidInput("event.bad_when")
        if moment <= svc.clock():
            raise InvalidInput("event.in_past")
        return moment.strftime("%d/%m/%Y %H:%M")
    low, high = LIMITS[step]
    # "10 tables", "environ 20": the number is what counts (and a long answer is no reason
    # to refuse it).
    number = read_number(clean_text(text, max_length=4096))
    if number is None or not number.is_integer() or not low <= number <= high:
        raise InvalidInput("event.bad_number", {"low": low, "high": high})
    return int(number)


async def button(update: Update, ctx: Context) -> Step | int:
    """Default minutes, keep the current answer, save, or cancel."""
    await answer_query(update)
    svc = services(ctx)
    chat_id, user_id = _ids(update)
    found = await _load(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, data, lang = found
    choice = (update.callback_query.data or "") if update.callback_query else ""
    if choice == "ne:cancel":
        await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
        await edit_or_reply(update, svc.t(lang, "event.not_saved"))
        return ConversationHandler.END
    if choice == "ne:save" and step is Step.CONFIRM:
        await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
        await _save(update, ctx, data)
        return ConversationHandler.END
    if choice == "ne:7" and step is Step.MINUTES:
        data["minutes"] = 7
    elif choice != "ne:keep" or data.get(step.value) is None:
        return await _ask(update, ctx, step, data)
    return await _ask(update, ctx, ORDER[ORDER.index(step) + 1], data)


async def _save(update: Update, ctx: Context, data: dict[str, object]) -> None:
    svc = services(ctx)
    lang = str(data.get("lang", "fr"))
    starts = datetime.strptime(str(data["when"]), "%d/%m/%Y %H:%M").replace(tzinfo=svc.policy.zone)
    fields = {
        "title": str(data["title"]),
        "starts_at": starts,
        "venue": str(data["venue"]),
        "minutes": int(str(data["minutes"])),
        "tables": int(str(data["tables"])),
        "rounds": int(str(data["rounds"])),
        "max_per_side": int(str(data["max"])),
    }
    now = svc.clock()
    assert update.effective_user is not None
    who = update.effective_user
    await moderation.remember_organiser(svc.db, who.id, who.full_name, now)
    if "event_id" in data:
        event_id = int(str(data["event_id"]))
        await moderation.audit(svc.db, who.id, "event.edit", now, target=f"event:{event_id}")
        before = await store.get(svc.db, event_id)
        assert before is not None
        changed = replace(before, **fields)  # type: ignore[arg-type]
        if before.status == "published":
            await _reissue(svc, changed, now, fields)
        else:
            notices = await _notices(svc, changed, "event.changed")
            await store.update(svc.db, event_id, now, fields, announce=notices)
        svc.wake()
        await edit_or_reply(update, svc.t(lang, "event.updated", title=changed.title))
        return
    assert update.effective_user is not None
    event = await store.create(
        svc.db,
        **fields,  # type: ignore[arg-type]
        invite_code=secrets.token_urlsafe(6).replace("-", "x"),
        organiser_user_id=update.effective_user.id,
        now=now,
    )
    await moderation.audit(svc.db, who.id, "event.create", now, target=f"event:{event.id}")
    await edit_or_reply(update, svc.t(lang, "event.created", title=event.title))
    await send_invitation(update, ctx, event, lang)


async def _reissue(svc: Services, changed: Event, now: datetime, fields: dict[str, object]) -> None:
    """A published event changed (time, place, title): each participant is told, with their
    agenda and calendar file again (same entries, a higher SEQUENCE, the new times), and the
    reminders and live rounds move with it, all in one transaction. The meetings stay as they
    are (a change of tables or rounds takes effect at the next publication)."""
    issued = replace(changed, schedule_version=changed.schedule_version + 1)
    meetings = await store.meetings(svc.db, changed.id)
    members = await organisations.get_many(svc.db, await store.participants(svc.db, changed.id))
    by_id = {o.id: o for o in members}

    def mine(org: Organisation) -> list[Meeting]:
        return sorted(
            (m for m in meetings if org.id in (m.company, m.association)), key=lambda m: m.round
        )

    messages: list[OutMessage] = []
    for org in members:
        text = svc.t(
            org.language, "event.changed_published", title=issued.title, when=when(svc, issued),
            venue=issued.venue,
        )  # fmt: skip
        messages.append(to_org(org, "event.changed", text))
        if mine(org):
            messages += agenda_messages(svc, issued, org, mine(org), by_id)
    attending = [o for o in members if mine(o)]
    await store.update(
        svc.db, changed.id, now, fields, announce=messages,
        reminders=_reminders(svc, issued, attending, now),
        rounds=_round_nudges(issued, meetings) if changed.live else None,
        new_version=True,
    )  # fmt: skip


def invitation_link(ctx: Context, event: Event) -> str:
    return f"https://t.me/{ctx.bot.username}?start={INVITE_PREFIX}{event.invite_code}"


async def send_invitation(update: Update, ctx: Context, event: Event, lang: str) -> None:
    """The deep link, and a QR code of it for posters and slides."""
    svc = services(ctx)
    link = invitation_link(ctx, event)
    picture = io.BytesIO()
    segno.make(link, error="m").save(picture, kind="png", scale=8, border=4)
    picture.seek(0)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(
        InputFile(picture, filename=f"invitation-{event.id}.png"),
        caption=svc.t(lang, "event.invitation", title=event.title, link=link),
        parse_mode="HTML",
    )


# --- the organiser's list -------------------------------------------------------------------


async def events_command(update: Update, ctx: Context) -> None:
    """Organisers: every event with its figures and what can be done with it."""
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return
    found = await store.list_all(svc.db)
    if not found:
        await reply(update, svc.t(lang, "event.none"))
        return
    for event in found[:20]:
        await reply(update, await _event_card(svc, lang, event), _event_buttons(svc, lang, event))


async def _event_card(svc: Services, lang: str, event: Event) -> Html:
    report = await store.report(svc.db, event.id)
    names = await moderation.organiser_names(svc.db)
    sides = report["sides"]
    assert isinstance(sides, dict)
    return svc.t(
        lang,
        "event.card",
        title=event.title,
        when=when(svc, event),
        venue=event.venue,
        status=svc.t(lang, f"event.status_{event.status}"),
        companies=sides.get("company", 0),
        associations=sides.get("association", 0),
        live=svc.t(lang, "event.live_on" if event.live else "event.live_off"),
        creator=names.get(event.organiser_user_id, str(event.organiser_user_id)),
    )


def _event_buttons(svc: Services, lang: str, event: Event) -> InlineKeyboardMarkup | None:
    if event.status == "cancelled":
        return None
    actions = ("inv", "edit", "pub", "live", "rep", "cancel")
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    svc.t.plain(lang, f"event.b_{a}"), callback_data=f"ev:{a}:{event.id}"
                )
            ]
            for a in actions
        ]
    )


async def _event_from_button(update: Update, svc: Services) -> Event | None:
    event_id = button_number(update)
    return await store.get(svc.db, event_id) if event_id is not None else None


async def organiser_button(update: Update, ctx: Context) -> None:
    """Invitation, publish, live on/off, report, cancel."""
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return
    event = await _event_from_button(update, svc)
    action = button_parts(update)[1] if len(button_parts(update)) > 1 else ""
    if event is None or event.status == "cancelled":
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    await answer_query(update)
    who = update.effective_user
    assert who is not None
    # Any organiser manages any event; the log says who did what.
    await moderation.remember_organiser(svc.db, who.id, who.full_name, svc.clock())
    await moderation.audit(
        svc.db, who.id, f"event.{action}", svc.clock(), target=f"event:{event.id}"
    )
    if action == "inv":
        await send_invitation(update, ctx, event, lang)
    elif action == "pub":
        await publish(update, ctx, event, lang)
    elif action == "live":
        await _toggle_live(update, ctx, event, lang)
    elif action == "rep":
        await reply(update, await event_report(svc, lang, event))
    elif action == "cancel":
        confirm = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        svc.t.plain(lang, "event.b_cancel_yes"),
                        callback_data=f"ev:cancelyes:{event.id}",
                    )
                ]
            ]
        )
        await reply(update, svc.t(lang, "event.cancel_confirm", title=event.title), confirm)
    elif action == "cancelyes":
        notices = await _notices(svc, event, "event.cancelled_notice")
        await store.cancel(svc.db, event.id, svc.clock(), announce=notices)
        svc.wake()
        await edit_or_reply(update, svc.t(lang, "event.cancelled", title=event.title))


async def _notices(svc: Services, event: Event, key: str) -> list[OutMessage]:
    """The same notice for every participant, each in their language."""
    return [
        to_org(
            org,
            key,
            svc.t(org.language, key, title=event.title, when=when(svc, event), venue=event.venue),
        )
        for org in await organisations.get_many(svc.db, await store.participants(svc.db, event.id))
    ]


async def event_report(svc: Services, lang: str, event: Event) -> Html:
    report = await store.report(svc.db, event.id)
    sides, signed = report["sides"], report["partnerships"]
    assert isinstance(sides, dict)
    assert isinstance(signed, dict)
    lines = [
        svc.t(lang, "event.report_kind", kind=svc.t(lang, f"record.kind_{kind}"), count=count)
        for kind, count in signed.items()
    ]
    return svc.t(
        lang,
        "event.report",
        title=event.title,
        companies=sides.get("company", 0),
        associations=sides.get("association", 0),
        meetings=str(report["meetings"]),
        signed=sum(signed.values()),
        kinds=Html("\n".join(lines)) if lines else svc.t(lang, "event.report_none"),
    )


# --- joining and wishes (participants) ------------------------------------------------------


async def join_by_code(update: Update, ctx: Context, org: Organisation, code: str) -> None:
    """Registers the organisation for the event behind an invitation link."""
    svc = services(ctx)
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
            "event.joined",
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
    upcoming = [e for e in await store.of_participant(svc.db, me.id) if e.status == "open"]
    if not upcoming:
        await reply(update, svc.t(lang, "event.no_wishes"))
        return
    event = upcoming[0]
    others = await _others(svc, me, event)
    await reply(update, svc.t(lang, "event.wishes_header", title=event.title, count=len(others)))
    await reply(update, *await _wishes_page(svc, lang, me, event, others=others, page=0))


async def _participants_button(
    update: Update, svc: Services, me: Organisation | None
) -> tuple[Event, int] | None:
    """A button "<prefix>:<event>:<number>" pressed by a participant of that event: the event
    and the number; None for anyone else (or a forged button)."""
    event_id, number = button_number(update, 1), button_number(update, 2)
    event = await store.get(svc.db, event_id) if event_id is not None else None
    if me is None or event is None or number is None:
        return None
    if me.id not in await store.participants(svc.db, event.id):
        return None
    return event, number


async def wishes_page(update: Update, ctx: Context) -> None:
    """◀ / ▶ under /wishes: shows another page in the same message."""
    svc, lang, me = await whoami(update, ctx)
    found = await _participants_button(update, svc, me)
    if found is None or me is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    event, page = found
    await answer_query(update)
    others = await _others(svc, me, event)
    await edit_or_reply(update, *await _wishes_page(svc, lang, me, event, others=others, page=page))


async def _others(
    svc: Services, me: Organisation, event: Event
) -> list[tuple[Candidate, Organisation]]:
    """The other side's participants, closest match first."""
    others = [
        (explain_pair(me, other, svc.clock()), other)
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
                callback_data=f"ew:{event.id}:{others[i][1].id}",
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
                    callback_data=f"ewp:{event.id}:{page - 1}",
                )
            )
        if page < len(pages) - 1:
            arrows.append(
                InlineKeyboardButton(
                    svc.t.plain(lang, "event.wishes_next"),
                    callback_data=f"ewp:{event.id}:{page + 1}",
                )
            )
        rows.append(arrows)
        page_line = svc.t(lang, "event.wishes_page", page=page + 1, pages=len(pages))
        text = Html(f"{text}\n\n{page_line}")
    return text, InlineKeyboardMarkup(rows)


async def toggle_wish(update: Update, ctx: Context) -> None:
    """☆ / ★ on a participant: want to meet them, or not any more."""
    svc, lang, me = await whoami(update, ctx)
    data = update.callback_query.data if update.callback_query else ""
    found = await _participants_button(update, svc, me)
    if found is None or me is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    event, whom = found
    if event.status != "open":
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


# --- publishing the schedule ----------------------------------------------------------------


async def publish(update: Update, ctx: Context, event: Event, lang: str) -> None:
    """Computes (or re-computes, changing little) the schedule, stores it with its reminders,
    and sends every participant their agenda and calendar file, the organiser the grid."""
    svc = services(ctx)
    members = await organisations.get_many(svc.db, await store.participants(svc.db, event.id))
    companies = [o for o in members if o.kind is OrgKind.COMPANY][: event.max_per_side]
    associations = [o for o in members if o.kind is OrgKind.ASSOCIATION][: event.max_per_side]
    if not companies or not associations:
        await reply(update, svc.t(lang, "event.too_few"))
        return
    now = svc.clock()
    scores = {(c.id, a.id): explain_pair(c, a, now).score for c in companies for a in associations}
    priority = priorities(
        [c.id for c in companies],
        [a.id for a in associations],
        await store.wishes(svc.db, event.id),
        scores,
    )
    plan = schedule(
        [c.id for c in companies],
        [a.id for a in associations],
        priority,
        rounds=event.rounds,
        tables=event.tables,
        previous=await store.meetings(svc.db, event.id),
    )
    reminders = _reminders(svc, event, [o for o in companies + associations if plan.of(o.id)], now)
    # What the participants and the organiser receive is written with the schedule itself:
    # a crash after the commit cannot leave anyone without their agenda.
    issued = replace(event, schedule_version=event.schedule_version + 1, status="published")
    by_id = {o.id: o for o in members}
    meetings = list(plan.meetings)
    messages = [
        message
        for org in companies + associations
        for message in agenda_messages(svc, issued, org, plan.of(org.id), by_id)
    ]
    assert update.effective_user is not None
    messages += grid_messages(
        svc, issued, meetings, by_id, organiser=update.effective_user.id, lang=lang
    )
    rounds = _round_nudges(issued, meetings) if event.live else None
    if not await store.publish(
        svc.db, event, meetings, reminders, now, announce=messages, rounds=rounds
    ):
        # A double tap, or another organiser: the agendas went out once already.
        await reply(update, svc.t(lang, "event.already_published", title=event.title))
        return
    svc.wake()
    await reply(
        update,
        svc.t(
            lang,
            "event.published",
            title=event.title,
            meetings=len(plan.meetings),
            rounds=plan.rounds,
        ),
    )


def _reminders(
    svc: Services, event: Event, attending: list[Organisation], now: datetime
) -> list[Planned]:
    """The day-before and hour-before reminders (EVENT_REMINDERS) still to come."""
    return [
        Planned(NudgeKind.EVENT_REMINDER, org.id, due, event_id=event.id)
        for org in attending
        for due in (event.starts_at - before for before in svc.policy.event_reminders)
        if due > now
    ]


def _round_nudges(event: Event, meetings: list[Meeting]) -> list[Planned]:
    return [
        Planned(
            NudgeKind.EVENT_ROUND, who, event.round_start(m.round), event_id=event.id, round=m.round
        )
        for m in meetings
        for who in (m.company, m.association)
    ]


async def _toggle_live(update: Update, ctx: Context, event: Event, lang: str) -> None:
    svc = services(ctx)
    live = not event.live
    rounds = _round_nudges(event, await store.meetings(svc.db, event.id)) if live else None
    await store.set_live(svc.db, event.id, rounds, svc.clock())
    # The first round may be seconds away: the dispatcher must know now.
    svc.wake()
    await reply(
        update,
        svc.t(lang, "event.live_now_on" if live else "event.live_now_off", title=event.title),
    )


def _agenda_lines(
    svc: Services,
    lang: str,
    event: Event,
    reader: Organisation,
    *,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
    name_limit: int,
    reasons: bool,
) -> list[tuple[Html, Organisation | None]]:
    """One line per round up to the reader's last meeting, with whom it is (None: a break)."""
    lines: list[tuple[Html, Organisation | None]] = []
    busy = {m.round: m for m in mine}
    for number in range(max((m.round for m in mine), default=-1) + 1):
        start = local(svc, event.round_start(number)).strftime("%H:%M")
        meeting = busy.get(number)
        if meeting is None:
            lines.append((svc.t(lang, "event.agenda_break", round=number + 1, time=start), None))
            continue
        other = by_id[meeting.association if reader.kind is OrgKind.COMPANY else meeting.company]
        why = explain_pair(reader, other, svc.clock()) if reasons else None
        reason = (
            Html(f" — {reason_line(svc, lang, why.reasons[0])}")
            if why is not None and why.reasons
            else Html("")
        )
        line = svc.t(
            lang,
            "event.agenda_line",
            round=number + 1,
            time=start,
            table=meeting.table,
            name=shorten(other.name, name_limit),
            why=reason,
        )
        lines.append((line, other))
    return lines


def agenda_buttons(event: Event, others: list[Organisation]) -> Buttons:
    """📝 record a partnership and 🔁 follow up, for each meeting with these organisations."""
    return tuple(
        (
            Button(f"📝 {shorten(other.name, 24)}", f"em:rec:{event.id}:{other.id}"),
            Button(f"🔁 {shorten(other.name, 24)}", f"em:fol:{event.id}:{other.id}"),
        )
        for other in others
    )


def agenda_parts(
    svc: Services,
    lang: str,
    event: Event,
    reader: Organisation,
    *,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
) -> list[tuple[Html, Buttons]]:
    """The personal agenda as one or more messages, nothing left out: each within Telegram's
    4096 UTF-16 units, each with the 📝/🔁 buttons of the meetings it lists (so at most 50
    meetings, 100 buttons, per message). The first has the event and the rules; the others
    say which part they are. To be sent in order, by whoever sends the agenda."""
    lines = _agenda_lines(
        svc, lang, event, reader, mine=mine, by_id=by_id, name_limit=NAME_IN_LIST, reasons=True
    )

    def first(part: Html, number: int, count: int) -> Html:
        title = (
            svc.t(lang, "event.agenda_part_title", title=event.title, part=number, parts=count)
            if count > 1
            else escape(event.title)
        )
        return svc.t(
            lang, "event.agenda", title=title, when=when(svc, event), venue=event.venue,
            rules=rules(svc, lang), lines=part,
        )  # fmt: skip

    def more(part: Html, number: int, count: int) -> Html:
        return svc.t(lang, "event.agenda_more", title=event.title, part=number, parts=count,
                     lines=part)  # fmt: skip

    # The widest frame a part can have (the first one, with the event and the rules), so that
    # the lines' budget holds for every part.
    frame = visible_len(first(Html(""), 99, 99))
    pages = pack([line for line, _ in lines], MAX_MESSAGE - frame, max_items=MAX_BUTTONS // 2)
    parts = []
    for number, page in enumerate(pages, start=1):
        text = Html("\n".join(lines[i][0] for i in page))
        build = first if number == 1 else more
        others = [other for i in page if (other := lines[i][1]) is not None]
        parts.append((build(text, number, len(pages)), agenda_buttons(event, others)))
    return parts


def agenda_messages(
    svc: Services,
    event: Event,
    reader: Organisation,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
) -> list[OutMessage]:
    """The personal agenda (in as many parts as Telegram's limits ask, each with the record and
    follow-up buttons of its meetings), then the .ics file."""
    lang = reader.language
    parts = agenda_parts(svc, lang, event, reader, mine=mine, by_id=by_id)
    calendar = OutMessage(
        chat_id=reader.owner_user_id,
        kind="calendar",
        text=svc.t(lang, "event.ics_caption"),
        recipient_id=reader.id,
        attachment=Attachment(
            f"speed-meeting-{event.id}.ics", calendar_file(svc, event, reader, mine, by_id)
        ),
    )
    return [*(to_org(reader, "agenda", text, buttons) for text, buttons in parts), calendar]


def facts(event: Event) -> EventFacts:
    return EventFacts(event.id, event.title, event.venue, event.schedule_version, event.round_start)


def calendar_file(
    svc: Services,
    event: Event,
    reader: Organisation,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
) -> bytes:
    """The reader's meetings as calendar entries (see core.documents.calendar_file)."""
    return documents.calendar_file(
        facts(event),
        mine,
        {org_id: org.name for org_id, org in by_id.items()},
        reader_is_company=reader.kind is OrgKind.COMPANY,
        now=svc.clock(),
        table_word=svc.t.plain(reader.language, "event.table_word"),
    )


def grid_messages(
    svc: Services,
    event: Event,
    meetings: list[Meeting],
    by_id: dict[int, Organisation],
    *,
    organiser: int,
    lang: str,
) -> list[OutMessage]:
    """The whole grid for the organiser: CSV (for Excel), and a picture to project."""
    names = {org_id: org.name for org_id, org in by_id.items()}
    headers = [
        svc.t.plain(lang, f"event.csv_{column}")
        for column in ("round", "start", "table", "company", "association")
    ]
    table = documents.grid_csv(
        facts(event), meetings, names, zone=svc.policy.zone, headers=headers,
        delimiter=svc.t.plain(lang, "event.csv_delimiter"),
    )  # fmt: skip
    csv_file = OutMessage(
        chat_id=organiser,
        kind="grid.csv",
        # The organiser just pressed Publish and waits for these: ahead of the agendas.
        bulk=False,
        text=svc.t(lang, "event.csv_caption", title=event.title),
        attachment=Attachment(f"schedule-{event.id}.csv", table),
    )
    picture = documents.grid_picture(
        facts(event), meetings, names, zone=svc.policy.zone,
        table_label=lambda n: svc.t.plain(lang, "event.grid_table", number=n),
        round_label=lambda n, start: svc.t.plain(lang, "event.grid_round", number=n, time=start),
    )  # fmt: skip
    width, height = Image.open(io.BytesIO(picture)).size
    # Telegram's photos must stay within 10,000 px (width + height) and a 1:20 ratio.
    as_photo = width + height <= 10_000 and max(width, height) <= 20 * min(width, height)
    grid = OutMessage(
        chat_id=organiser,
        kind="grid.picture",
        bulk=False,
        text=svc.t(lang, "event.grid_caption", title=event.title),
        attachment=Attachment(f"schedule-{event.id}.png", picture, as_photo=as_photo),
    )
    return [csv_file, grid]


# --- on the spot ----------------------------------------------------------------------------


async def follow_up(update: Update, ctx: Context) -> None:
    """🔁 on a meeting: "I want to follow up". Mutual marks introduce the pair (contacts shared,
    as both said yes) and start its follow-through."""
    svc, lang, me = await whoami(update, ctx)
    event_id, other_id = button_number(update, 2), button_number(update, 3)
    event = await store.get(svc.db, event_id) if event_id is not None else None
    other = await organisations.get(svc.db, other_id) if other_id is not None else None
    if me is None or event is None or other is None or other.kind is me.kind:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    association, company = (me, other) if me.kind is OrgKind.ASSOCIATION else (other, me)
    mutual = await store.mark(
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


def build() -> ConversationHandler[Context]:
    """The organiser's event form: one table of steps."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

    def on(callback: Callable[..., object], pattern: str) -> CallbackQueryHandler[Context, object]:
        return CallbackQueryHandler(callback, pattern=pattern)  # type: ignore[arg-type]

    typed: list[BaseHandler[Update, Context, object]] = [
        MessageHandler(text, answer),
        on(button, r"^ne:(keep|7)$"),
    ]
    return ConversationHandler(
        name=CONVERSATION,
        persistent=True,
        entry_points=[CommandHandler("newevent", new_event), on(edit_event, r"^ev:edit:\d+$")],
        states={
            Step.TITLE: typed,
            Step.WHEN: typed,
            Step.VENUE: typed,
            Step.MINUTES: typed,
            Step.TABLES: typed,
            Step.ROUNDS: typed,
            Step.MAX: typed,
            Step.CONFIRM: [on(button, r"^ne:(save|cancel)$")],
        },
        fallbacks=[
            CommandHandler("cancel", _cancel),
            on(button, r"^ne:"),
        ],
    )


async def _cancel(update: Update, ctx: Context) -> int:
    svc, lang, _ = await whoami(update, ctx)
    chat_id, user_id = _ids(update)
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    await reply(update, svc.t(lang, "event.not_saved"))
    return ConversationHandler.END
