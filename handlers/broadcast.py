"""/broadcast (organisers): news to everyone, to one side, or to one event's participants.
Write, preview, confirm: a persistent conversation on the form engine (handlers/form.py), its
step table and typed draft in handlers/broadcast_steps.py (drawn in broadcast.mmd). /news
off|on: anyone stops or resumes the news without leaving.

What is sent goes through the outbox: `plan_due`, run by the dispatcher, turns due deliveries
into bulk "news" messages when quiet hours and the daily cap (NEWS_PER_DAY per organisation)
allow, in the same transaction that marks them queued. Paused or removed organisations and
people who turned news off meanwhile are skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
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
from handlers.broadcast_steps import ANSWERS, MAX_NEWS, STORE, TABLE, NewsDraft, Step
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
from handlers.form import Input, label_pressed, route
from storage import events, news
from storage.news import Delivery

# News an organisation receives at most per day; the rest waits for the next morning.
NEWS_PER_DAY = 1


def news_text(svc: Services, lang: str, text: str) -> Html:
    """The news as recipients see it (the organiser's words escaped)."""
    return svc.t(lang, "news.message", text=text)


# --- the questions --------------------------------------------------------------------------


def _button(
    svc: Services, lang: str, key: str, button: Callback, **params: object
) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(svc.t.plain(lang, key, **params), callback_data=button.data)]


async def _keyboard(svc: Services, lang: str, step: Step) -> InlineKeyboardMarkup | None:
    """The buttons under the step's question (cancel under every button step)."""
    if TABLE[step].input is not Input.BUTTONS:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    if step is Step.AUDIENCE:
        rows = [_button(svc, lang, f"news.to_{a}", Audience(a)) for a in AUDIENCES]
        listed = await events.list_all(svc.db)
        upcoming = [e for e in listed if e.status is not EventStatus.CANCELLED][:8]
        rows += [
            _button(svc, lang, "news.to_event", EventAudience(e.id), title=shorten(e.title, 30))
            for e in upcoming
        ]
    elif step is Step.PREVIEW:
        rows = [
            _button(svc, lang, "news.b_send", Decision("send")),
            _button(svc, lang, "news.b_rewrite", Decision("edit")),
        ]
    return InlineKeyboardMarkup([*rows, _button(svc, lang, "record.cancel", Decision("no"))])


async def _texts(svc: Services, lang: str, step: Step, draft: NewsDraft) -> list[Html]:
    """The step's question, as one message or more (the buttons go under the last)."""
    if step is Step.AUDIENCE:
        return [svc.t(lang, "news.ask_audience")]
    if step is Step.TEXT:
        return [svc.t(lang, "news.ask_text", max=TABLE[step].max_len or MAX_NEWS)]
    assert draft.audience is not None
    assert draft.text is not None
    recipients = len(await news.audience(svc.db, draft.audience, draft.event_id))
    if draft.event_id is not None:
        who = svc.t(lang, "news.to_event", title=draft.event_title or "")
    else:
        who = svc.t(lang, f"news.to_{draft.audience}")
    summary = svc.t(
        lang,
        "news.confirm",
        who=who,
        count=counted(svc, lang, "news.organisations", recipients),
        off=await news.opted_out_in(svc.db, draft.audience, draft.event_id),
        per_day=NEWS_PER_DAY,
    )
    return [svc.t(lang, "news.preview_header"), news_text(svc, lang, draft.text), summary]


async def _ask(
    update: Update,
    svc: Services,
    lang: str,
    step: Step,
    draft: NewsDraft,
    *,
    notice: Html | None = None,
) -> Step:
    """Save the answers at `step`, then ask it (after `notice`, when one explains why again)."""
    await STORE.save(svc.db, update, step, draft, svc.clock())
    texts = await _texts(svc, lang, step, draft)
    *before, last = [notice, *texts] if notice is not None else texts
    markup = await _keyboard(svc, lang, step)
    async with asking(step):
        for text in before:
            await reply(update, text)
        await reply(update, last, markup)
    return step


# --- the steps ------------------------------------------------------------------------------


class _Form(NamedTuple):
    svc: Services
    lang: str
    actor: int
    step: Step
    draft: NewsDraft


async def _open(update: Update, ctx: Context) -> _Form | None:
    """The organiser's form as saved, the button's spinner stopped; None after a refusal (not
    an organiser) or, for a button, the notice that it expired (no form saved)."""
    gate = await organiser(update, ctx)
    if gate is None:
        return None
    svc, lang, actor = gate
    found = await STORE.load(svc.db, update)
    if found is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return None
    await answer_query(update)
    return _Form(svc, lang, actor, *found)


def _pressed(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


async def start(update: Update, ctx: Context) -> Step | int:
    """/broadcast: stores the organiser's language; asks to whom."""
    gate = await organiser(update, ctx)
    if gate is None:
        return ConversationHandler.END
    svc, lang, _ = gate
    return await _ask(update, svc, lang, Step.AUDIENCE, NewsDraft(lang=lang))


async def choose_audience(update: Update, ctx: Context, data: str | None = None) -> Step | int:
    """Stores the audience; asks for the text. `data` is the button whose label was typed."""
    form = await _open(update, ctx)
    if form is None:
        return ConversationHandler.END
    svc, lang, _, step, draft = form
    data = data or _pressed(update)
    pressed = Audience.parse(data) or EventAudience.parse(data)
    if pressed is None:
        return step
    if isinstance(pressed, EventAudience):
        event = await events.get(svc.db, pressed.event)
        if event is None:
            await edit_or_reply(update, svc.t(lang, "button.expired"))
            return step
        draft = replace(draft, audience="all", event_id=event.id, event_title=event.title)
    else:
        draft = replace(draft, audience=pressed.audience, event_id=None, event_title=None)
    return await _ask(update, svc, lang, TABLE[step].next or step, draft)


def clean_news(text: str | None) -> str | None:
    """The news as typed, line breaks kept (at most one blank line in a row); None if empty."""
    if text is None:
        return None
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return joined or None


async def write_text(update: Update, ctx: Context) -> Step | int:
    """Stores the text (checked); shows the preview and how many will receive it."""
    form = await _open(update, ctx)
    if form is None:
        return ConversationHandler.END
    svc, lang, _, step, draft = form
    message = update.effective_message
    text = clean_news(message.text if message else None)
    limit = TABLE[step].max_len or MAX_NEWS
    if text is None:
        return await _ask(update, svc, lang, step, draft, notice=svc.t(lang, "error.not_text"))
    if utf16_len(text) > limit:
        notice = svc.t(lang, "error.too_long", length=utf16_len(text), max=limit)
        return await _ask(update, svc, lang, step, draft, notice=notice)
    return await _ask(update, svc, lang, TABLE[step].next or step, replace(draft, text=text))


async def typed_label(update: Update, ctx: Context) -> Step | int:
    """At a button step, typing a button's label (« associations », « envoyer ») counts as
    pressing it; anything else is told to tap a button."""
    form = await _open(update, ctx)
    if form is None:
        return ConversationHandler.END
    svc, lang, _, step, _ = form
    markup = await _keyboard(svc, lang, step)
    message = update.effective_message
    # « tout le monde », « associations »: an audience said without the label's article.
    synonyms = {Audience(a).data: svc.t.plain(lang, f"news.say_{a}").split(",") for a in AUDIENCES}
    data = label_pressed(message.text if message else None, markup, synonyms) if markup else None
    if data is None:
        await reply(update, svc.t(lang, "reg.use_buttons"))
        return step
    if Decision.parse(data) is not None:
        return await decide(update, ctx, data)
    return await choose_audience(update, ctx, data)


async def decide(update: Update, ctx: Context, data: str | None = None) -> Step | int:
    """Send (queued for every recipient, with the audit entry), rewrite, or cancel."""
    form = await _open(update, ctx)
    if form is None:
        return ConversationHandler.END
    svc, lang, actor, step, draft = form
    # An audience button pressed at a later step parses as no decision: nothing changes.
    pressed = Decision.parse(data or _pressed(update))
    choice = pressed.choice if pressed is not None else None
    if choice == "no":
        await STORE.forget(svc.db, update)
        await edit_or_reply(update, svc.t(lang, "news.cancelled"))
        return ConversationHandler.END
    rewrite = TABLE[step].back
    if choice == "edit" and rewrite is not None:
        return await _ask(update, svc, lang, rewrite, draft)
    if choice != "send" or step is not Step.PREVIEW or draft.text is None:
        return step
    assert draft.audience is not None
    count = await news.create(
        svc.db,
        actor,
        audience_=draft.audience,
        event_id=draft.event_id,
        text=draft.text,
        now=svc.clock(),
    )
    await STORE.forget(svc.db, update)
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
    await STORE.forget(svc.db, update)
    await reply(update, svc.t(lang, "news.cancelled"))
    return ConversationHandler.END


def build(organisers: filters.BaseFilter) -> ConversationHandler[Context]:
    """The organiser's broadcast, wired from TABLE (broadcast.mmd draws it). Only
    `organisers` start it (anyone else's /broadcast goes on to the refusal)."""
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND

    def handlers(step: Step) -> list[BaseHandler[Update, Context, object]]:
        if TABLE[step].input is not Input.BUTTONS:
            return [MessageHandler(message, write_text)]
        answers = [route(choose_audience, button) for button in ANSWERS.get(step, ())]
        return [*answers, MessageHandler(message, typed_label)]

    return ConversationHandler(
        name=STORE.name,
        persistent=True,
        entry_points=[CommandHandler("broadcast", start, filters=organisers)],
        states={step: handlers(step) for step in TABLE},
        # Send, rewrite and cancel (valid at the preview; cancel under every question). A
        # button of an earlier question (no decision) is answered and changes nothing.
        fallbacks=[CommandHandler("cancel", _cancel), *(route(decide, b) for b in BROADCAST)],
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
