"""/broadcast (organisers): news to everyone, to one side, or to one event's participants.
Write, preview, confirm (see broadcast.mmd). /news off|on: anyone stops or resumes the news
without leaving.

What is sent goes through the outbox: `plan_due`, run by the dispatcher, turns due deliveries
into bulk "news" messages when quiet hours and the daily cap (NEWS_PER_DAY per organisation)
allow, in the same transaction that marks them queued. Paused or removed organisations and
people who turned news off meanwhile are skipped.
"""

from __future__ import annotations

import re
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

from core.buttons import Callback
from core.delivery import Button, OutMessage
from core.events import EventStatus
from core.i18n import Html
from core.text import shorten, utf16_len
from handlers.console import counted, organiser
from handlers.console_buttons import (
    AUDIENCES,
    BROADCAST,
    Audience,
    Decision,
    EventAudience,
    NewsSwitch,
)
from handlers.context import (
    Context,
    Services,
    answer_query,
    asking,
    edit_or_reply,
    language_of,
    reply,
)
from storage import conversations, events, news
from storage.news import Delivery

CONVERSATION = "broadcast"
# News an organisation receives at most per day; the rest waits for the next morning.
NEWS_PER_DAY = 1
# The news text, in UTF-16 units as Telegram counts: room is left for the frame around it.
MAX_NEWS = 3500


class Step(StrEnum):
    AUDIENCE = "audience"
    TEXT = "text"
    PREVIEW = "preview"


def news_text(svc: Services, lang: str, text: str) -> Html:
    """The news as recipients see it (the organiser's words escaped)."""
    return svc.t(lang, "news.message", text=text)


def _ids(update: Update) -> tuple[int, int]:
    assert update.effective_chat is not None
    assert update.effective_user is not None
    return update.effective_chat.id, update.effective_user.id


async def _save(update: Update, svc: Services, step: Step, data: dict[str, object]) -> None:
    chat_id, user_id = _ids(update)
    await conversations.save_data(
        svc.db, CONVERSATION, chat_id=chat_id, user_id=user_id, state=step.value, data=data,
        now=svc.clock(),
    )  # fmt: skip


async def _load(update: Update, svc: Services) -> tuple[Step, dict[str, object]] | None:
    chat_id, user_id = _ids(update)
    found = await conversations.load_data(svc.db, CONVERSATION, chat_id, user_id)
    return (Step(found[0]), found[1]) if found else None


async def start(update: Update, ctx: Context) -> Step | int:
    """/broadcast: stores nothing yet; asks to whom."""
    gate = await organiser(update, ctx)
    if gate is None:
        return ConversationHandler.END
    svc, lang, _ = gate
    await _save(update, svc, Step.AUDIENCE, {"lang": lang})
    rows = [
        [InlineKeyboardButton(svc.t.plain(lang, f"news.to_{a}"), callback_data=Audience(a).data)]
        for a in AUDIENCES
    ]
    upcoming = [e for e in await events.list_all(svc.db) if e.status is not EventStatus.CANCELLED][
        :8
    ]
    rows += [
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "news.to_event", title=shorten(e.title, 30)),
                callback_data=EventAudience(e.id).data,
            )
        ]
        for e in upcoming
    ]
    cancel = InlineKeyboardButton(
        svc.t.plain(lang, "record.cancel"), callback_data=Decision("no").data
    )
    rows.append([cancel])
    async with asking(Step.AUDIENCE):
        await reply(update, svc.t(lang, "news.ask_audience"), InlineKeyboardMarkup(rows))
    return Step.AUDIENCE


async def choose_audience(update: Update, ctx: Context) -> Step | int:
    """Stores the audience; asks for the text."""
    gate = await organiser(update, ctx)
    if gate is None:
        return ConversationHandler.END
    svc, lang, _ = gate
    found = await _load(update, svc)
    raw = update.callback_query.data if update.callback_query else None
    pressed = Audience.parse(raw) or EventAudience.parse(raw)
    if found is None or pressed is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return ConversationHandler.END
    await answer_query(update)
    data = found[1]
    if isinstance(pressed, EventAudience):
        event = await events.get(svc.db, pressed.event)
        if event is None:
            await edit_or_reply(update, svc.t(lang, "button.expired"))
            return Step.AUDIENCE
        data.update(audience="all", event_id=event.id, event_title=event.title)
    else:
        data.update(audience=pressed.audience, event_id=None, event_title=None)
    return await _ask_text(update, svc, lang, data)


async def _ask_text(
    update: Update, svc: Services, lang: str, data: dict[str, object], notice: Html | None = None
) -> Step:
    await _save(update, svc, Step.TEXT, data)
    async with asking(Step.TEXT):
        if notice is not None:
            await reply(update, notice)
        await reply(update, svc.t(lang, "news.ask_text", max=MAX_NEWS))
    return Step.TEXT


def clean_news(text: str | None) -> str | None:
    """The news as typed, line breaks kept (at most one blank line in a row); None if empty."""
    if text is None:
        return None
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return joined or None


async def write_text(update: Update, ctx: Context) -> Step | int:
    """Stores the text (checked); shows the preview and how many will receive it."""
    gate = await organiser(update, ctx)
    if gate is None:
        return ConversationHandler.END
    svc, lang, _ = gate
    found = await _load(update, svc)
    if found is None:
        return ConversationHandler.END
    data = found[1]
    message = update.effective_message
    text = clean_news(message.text if message else None)
    if text is None:
        return await _ask_text(update, svc, lang, data, svc.t(lang, "error.not_text"))
    if utf16_len(text) > MAX_NEWS:
        return await _ask_text(
            update, svc, lang, data,
            svc.t(lang, "error.too_long", length=utf16_len(text), max=MAX_NEWS),
        )  # fmt: skip
    data["text"] = text
    return await _preview(update, svc, lang, data)


async def _preview(update: Update, svc: Services, lang: str, data: dict[str, object]) -> Step:
    await _save(update, svc, Step.PREVIEW, data)
    audience = str(data["audience"])
    event_id = data.get("event_id")
    event = int(str(event_id)) if event_id is not None else None
    recipients = len(await news.audience(svc.db, audience, event))
    if event is not None:
        who = svc.t(lang, "news.to_event", title=str(data.get("event_title", "")))
    else:
        who = svc.t(lang, f"news.to_{audience}")
    summary = svc.t(
        lang,
        "news.confirm",
        who=who,
        count=counted(svc, lang, "news.organisations", recipients),
        off=await news.opted_out_in(svc.db, audience, event),
        per_day=NEWS_PER_DAY,
    )
    rows = [
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "news.b_send"), callback_data=Decision("send").data
            )
        ],
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "news.b_rewrite"), callback_data=Decision("edit").data
            )
        ],
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "record.cancel"), callback_data=Decision("no").data
            )
        ],
    ]
    async with asking(Step.PREVIEW):
        await reply(update, svc.t(lang, "news.preview_header"))
        await reply(update, news_text(svc, lang, str(data["text"])))
        await reply(update, summary, InlineKeyboardMarkup(rows))
    return Step.PREVIEW


async def decide(update: Update, ctx: Context) -> Step | int:
    """Send (queued for every recipient, with the audit entry), rewrite, or cancel."""
    gate = await organiser(update, ctx)
    if gate is None:
        return ConversationHandler.END
    svc, lang, actor = gate
    found = await _load(update, svc)
    # An audience button pressed at a later step parses as no decision: nothing changes.
    pressed = Decision.parse(update.callback_query.data if update.callback_query else None)
    choice = pressed.choice if pressed is not None else None
    if found is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return ConversationHandler.END
    await answer_query(update)
    step, data = found
    chat_id, user_id = _ids(update)
    if choice == "no":
        await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
        await edit_or_reply(update, svc.t(lang, "news.cancelled"))
        return ConversationHandler.END
    if choice == "edit" and step is Step.PREVIEW:
        return await _ask_text(update, svc, lang, data)
    if choice != "send" or step is not Step.PREVIEW or "text" not in data:
        return step
    event_id = data.get("event_id")
    count = await news.create(
        svc.db,
        actor,
        audience_=str(data["audience"]),
        event_id=int(str(event_id)) if event_id is not None else None,
        text=str(data["text"]),
        now=svc.clock(),
    )
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    svc.wake()
    await edit_or_reply(
        update,
        svc.t(lang, "news.queued", count=counted(svc, lang, "news.organisations", count)),
    )
    return ConversationHandler.END


async def stray_button(update: Update, ctx: Context) -> None:
    """A broadcast button outside its conversation (old, or pressed by someone else)."""
    gate = await organiser(update, ctx)
    if gate is not None:
        await answer_query(update, gate[0].t.plain(gate[1], "button.expired"), alert=True)


async def _cancel(update: Update, ctx: Context) -> int:
    svc = ctx.services
    lang = await language_of(update, ctx)
    chat_id, user_id = _ids(update)
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    await reply(update, svc.t(lang, "news.cancelled"))
    return ConversationHandler.END


def build(organisers: filters.BaseFilter) -> ConversationHandler[Context]:
    """The organiser's broadcast: one table of steps (broadcast.mmd draws it). Only
    `organisers` start it (anyone else's /broadcast goes on to the refusal)."""
    text = filters.UpdateType.MESSAGE & ~filters.COMMAND

    def on(callback: object, button: type[Callback]) -> BaseHandler[Update, Context, object]:
        return CallbackQueryHandler(callback, pattern=button.pattern())  # type: ignore[arg-type]

    # Cancel is under every question; send and rewrite only count at the preview (decide).
    decision = on(decide, Decision)
    return ConversationHandler(
        name=CONVERSATION,
        persistent=True,
        entry_points=[CommandHandler("broadcast", start, filters=organisers)],
        states={
            Step.AUDIENCE: [
                on(choose_audience, Audience),
                on(choose_audience, EventAudience),
                decision,
            ],
            Step.TEXT: [MessageHandler(text, write_text), decision],
            Step.PREVIEW: [decision],
        },
        # A button of an earlier question (no decision) is answered and changes nothing.
        fallbacks=[CommandHandler("cancel", _cancel), *(on(decide, b) for b in BROADCAST)],
    )


# --- delivery (run by the dispatcher) -------------------------------------------------------


async def plan_due(svc: Services, now: datetime) -> datetime | None:
    """Due news become outbox messages, quiet hours and the daily cap permitting. Returns
    when the next delivery falls due."""
    due = await news.due(svc.db, now)
    if not due:
        return await news.next_due(svc.db)
    policy = svc.delivery
    morning = policy.quiet.next_allowed(now, policy.zone)
    if morning > now:
        return morning  # quiet hours: everything waits for the morning
    today = await news.queued_since(svc.db, [d.organisation_id for d in due], policy.day_start(now))
    send: list[tuple[Delivery, OutMessage]] = []
    skip: list[Delivery] = []
    later: list[tuple[Delivery, datetime]] = []
    for delivery in due:
        if not delivery.active or delivery.opted_out:
            skip.append(delivery)
            continue
        hold = policy.hold_until(
            now, sent_today=today.get(delivery.organisation_id, 0), per_day=NEWS_PER_DAY
        )
        if hold is not None:
            later.append((delivery, hold))
            continue
        today[delivery.organisation_id] = today.get(delivery.organisation_id, 0) + 1
        send.append((delivery, news_message(svc, delivery)))
    await news.settle(svc.db, send=send, skip=skip, later=later, now=now)
    return await news.next_due(svc.db)


def news_message(svc: Services, delivery: Delivery) -> OutMessage:
    lang = delivery.language
    return OutMessage(
        chat_id=delivery.owner_user_id,
        kind="news",
        text=news_text(svc, lang, delivery.text),
        recipient_id=delivery.organisation_id,
        buttons=((Button(svc.t.plain(lang, "news.b_off"), NewsSwitch("off").data),),),
    )


# --- /news on|off ---------------------------------------------------------------------------


async def news_command(update: Update, ctx: Context) -> None:
    """/news off, /news on, or /news alone to see the choice with a button."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    assert update.effective_user is not None
    choice = (ctx.args or [""])[0].lower()
    if choice in ("off", "on"):
        await _set(update, svc, lang, off=choice == "off")
        return
    off = await news.opted_out(svc.db, update.effective_user.id)
    toggle = ("news.b_on", NewsSwitch("on")) if off else ("news.b_off", NewsSwitch("off"))
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(svc.t.plain(lang, toggle[0]), callback_data=toggle[1].data)]]
    )
    await reply(update, svc.t(lang, "news.status_off" if off else "news.status_on"), markup)


async def news_button(update: Update, ctx: Context) -> None:
    """🔕 under a news message (or /news): only ever changes the presser's own choice."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    pressed = NewsSwitch.parse(update.callback_query.data if update.callback_query else None)
    if pressed is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    await answer_query(update)
    await _set(update, svc, lang, off=pressed.choice == "off")


async def _set(update: Update, svc: Services, lang: str, *, off: bool) -> None:
    assert update.effective_user is not None
    await news.set_opt_out(svc.db, update.effective_user.id, off, svc.clock())
    await reply(update, svc.t(lang, "news.now_off" if off else "news.now_on"))
