"""The organisers' event form (/newevent, ✏️ on an event): one table of steps, drawn in
handlers/events.mmd. Editing a published event re-issues what changed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.delivery import OutMessage
from core.events import Event, EventStatus
from core.i18n import Html
from core.models import Organisation
from core.speedmeeting import Meeting
from core.timing import parse_when
from core.validation import InvalidInput, clean_text, read_number
from handlers.cards import to_org
from handlers.context import (
    Context,
    Services,
    answer_query,
    asking,
    edit_or_reply,
    form_gone,
    reply,
    whoami,
)
from handlers.event_messages import (
    agenda_messages,
    event_from_button,
    is_organiser,
    notices,
    refuse,
    reminders,
    round_nudges,
    send_invitation,
    when,
)
from storage import conversations, moderation, organisations
from storage import events as store

CONVERSATION = "newevent"


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
    svc = ctx.services
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
    event = await event_from_button(update, svc)
    if event is None or event.status is EventStatus.CANCELLED:
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
    found = await conversations.load_data(ctx.services.db, CONVERSATION, chat_id, user_id)
    if found is None:
        return None
    return Step(found[0]), found[1], str(found[1].get("lang", "fr"))


async def answer(update: Update, ctx: Context) -> Step | int:
    """Stores a typed answer (validated); asks the next question."""
    svc = ctx.services
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
    svc = ctx.services
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
    svc = ctx.services
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
        if before.status is EventStatus.PUBLISHED:
            await _reissue(svc, changed, now, fields)
        else:
            told = await notices(svc, changed, "event.changed")
            await store.update(svc.db, event_id, now, fields, announce=told)
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
        reminders=reminders(svc, issued, attending, now),
        rounds=round_nudges(issued, meetings) if changed.live else None,
        new_version=True,
    )  # fmt: skip


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
