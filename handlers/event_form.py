"""The organisers' event form (/newevent, ✏️ on an event): one table of steps (TABLE), drawn
in handlers/events.mmd (a test compares them).

Creating walks through the seven questions to a summary. Editing opens on that summary,
titled as an edit, with the current values: the organiser picks ONE field, answers it and
comes back to the summary, then saves or cancels. Editing a published event re-issues what
changed (agendas, calendar files, reminders).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.buttons import Callback
from core.event_buttons import EventEdit
from core.events import LONG_EVENT_MINUTES, EventStatus, read_event_number
from core.i18n import Html
from core.timing import WhenProblem, read_when
from core.validation import InvalidInput, clean_text
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    reply,
    whoami,
)
from handlers.event_messages import day_when, is_organiser, refuse, send_invitation, when
from handlers.event_publish import change_event
from handlers.event_steps import (
    FIELDS,
    FORM,
    TABLE,
    EventDraft,
    FieldChoice,
    FormChoice,
    Step,
)
from handlers.form import (
    Input,
    label_pressed,
    route,
    text_steps,
)
from storage import events as store
from storage import moderation


def _pressed(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


def _lang(svc: Services, draft: EventDraft) -> str:
    return draft.lang or svc.default_language


async def _ask(
    update: Update, ctx: Context, step: Step, draft: EventDraft, notice: Html | None = None
) -> Step:
    """Save the answers at `step`, then ask it."""
    question = _question(ctx.services, step, draft)
    return await FORM.ask(update, ctx, step, draft, question, notice=notice)


def _question(
    svc: Services, step: Step, draft: EventDraft
) -> tuple[Html, InlineKeyboardMarkup | None]:
    lang = _lang(svc, draft)

    def row(key: str, data: Callback) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(svc.t.plain(lang, key), callback_data=data.data)]

    rows: list[list[InlineKeyboardButton]] = []
    if step is Step.CONFIRM:
        key = "event.confirm" if draft.event_id is None else "event.edit_header"
        text = svc.t(lang, key, title=draft.title or "", summary=_summary(svc, lang, draft))
        picks = [row(f"event.f_{s.value}", FieldChoice(s))[0] for s in FIELDS]
        rows += [picks[i : i + 2] for i in range(0, len(picks), 2)]
        rows += [row("event.save", FormChoice("save")), row("record.cancel", FormChoice("cancel"))]
    else:
        current = draft.value(step)
        again = step is Step.TITLE and current is not None
        text = svc.t(lang, "event.ask_title_again" if again else f"event.ask_{step.value}")
        if step is Step.MINUTES:
            rows.append(row("event.default_minutes", FormChoice("7")))
        if current is not None:
            text = Html(f"{text}\n<i>{svc.t(lang, 'event.current', value=str(current))}</i>")
            rows.append(row("event.keep", FormChoice("keep")))
    return text, InlineKeyboardMarkup(rows) if rows else None


def _after(step: Step, draft: EventDraft) -> Step:
    """Where an answered step leads: the next question while creating, else the summary."""
    following = TABLE[step].next
    return Step.CONFIRM if draft.complete or following is None else following


def _summary(svc: Services, lang: str, draft: EventDraft) -> Html:
    values = {s.value: "" if draft.value(s) is None else str(draft.value(s)) for s in FIELDS}
    if draft.when is not None:  # « samedi 05/12/2026 14:00 »: a wrong date shows
        values["when"] = day_when(svc, lang, _starts(svc, draft.when))
    summary = svc.t(lang, "event.summary", **values)
    if draft.max is not None and draft.tables is not None and draft.max > draft.tables:
        waiting = svc.t(lang, "event.waiting", max=draft.max, tables=draft.tables,
                        waiting=draft.max - draft.tables)  # fmt: skip
        summary = Html(f"{summary}\n{waiting}")
    length = (draft.minutes or 0) * (draft.rounds or 0)
    if length > LONG_EVENT_MINUTES:  # 30 rounds of 10 minutes is rarely what was meant
        hours = f"{length // 60} h {length % 60:02d}" if length % 60 else f"{length // 60} h"
        summary = Html(f"{summary}\n{svc.t(lang, 'event.long', length=hours)}")
    return summary


async def new_event(update: Update, ctx: Context) -> Step | int:
    """/newevent (organisers): asks the title first."""
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return ConversationHandler.END
    return await _ask(update, ctx, Step.TITLE, EventDraft(lang=lang))


async def edit_event(update: Update, ctx: Context) -> Step | int:
    """✏️ on an event: the summary of its current values, each with its ✏️ button."""
    await answer_query(update)
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return ConversationHandler.END
    pressed = EventEdit.parse(update.callback_query.data if update.callback_query else None)
    event = await store.get(svc.db, pressed.event) if pressed is not None else None
    if event is None or event.status is EventStatus.CANCELLED:
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    draft = EventDraft(
        lang=lang, event_id=event.id, title=event.title, when=when(svc, event),
        venue=event.venue, minutes=event.minutes, tables=event.tables, rounds=event.rounds,
        max=event.max_per_side,
    )  # fmt: skip
    return await _ask(update, ctx, Step.CONFIRM, draft)


async def answer(update: Update, ctx: Context) -> Step | int:
    """Stores a typed answer (validated); asks the next question, or shows the summary."""
    svc = ctx.services
    found = await FORM.current(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    text = update.effective_message.text if update.effective_message else None
    # « garder », « 7 par défaut », « enregistrer », « ✏️ lieu »: a button's label, typed.
    markup = _question(svc, step, draft)[1]
    pressed = label_pressed(text, markup) if markup is not None else None
    if pressed is not None:
        return await (pick if FieldChoice.parse(pressed) else button)(update, ctx, pressed)
    if step not in text_steps(TABLE):
        notice = svc.t(_lang(svc, draft), "reg.use_buttons")
        return await _ask(update, ctx, step, draft, notice)
    try:
        setattr(draft, step.value, _clean(svc, step, text))
    except InvalidInput as problem:
        notice = svc.t(_lang(svc, draft), problem.key, **problem.params)
        return await _ask(update, ctx, step, draft, notice)
    return await _ask(update, ctx, _after(step, draft), draft)


_WHEN_PROBLEMS = {
    WhenProblem.UNCLEAR: "event.bad_when",
    WhenProblem.NO_TIME: "event.when_no_time",
    WhenProblem.WEEKDAY: "event.when_weekday",
}


def _clean(svc: Services, step: Step, text: str | None) -> str | int:
    spec = TABLE[step]
    if spec.input is Input.TEXT and step is not Step.WHEN:
        return clean_text(text, max_length=spec.max_len or 120)
    if step is Step.WHEN:
        # "14h", "demain 14h30", "samedi 10h", "14/03/2027 14:00": as the French write them.
        moment = read_when(clean_text(text, max_length=spec.max_len or 60), svc.clock(),
                           svc.policy.zone)  # fmt: skip
        if not isinstance(moment, datetime):
            raise InvalidInput(_WHEN_PROBLEMS[moment])
        if moment <= svc.clock():
            raise InvalidInput("event.in_past")
        return moment.strftime("%d/%m/%Y %H:%M")
    # "10 tables", « environ 20 »: the number is what counts, unless its words name another
    # field; a long answer is no reason to refuse it.
    return read_event_number(step.value, clean_text(text, max_length=4096))


async def pick(update: Update, ctx: Context, data: str | None = None) -> Step | int:
    """✏️ on the summary: asks that one field, showing its current value. (`data`: the
    button whose label was typed.)"""
    await answer_query(update)
    svc = ctx.services
    found = await FORM.load(svc.db, update)
    pressed = FieldChoice.parse(data or _pressed(update))
    if found is None:
        return ConversationHandler.END
    step, draft = found
    if pressed is None or pressed.step is Step.CONFIRM or not draft.complete:
        return await _ask(update, ctx, step, draft)
    return await _ask(update, ctx, pressed.step, draft)


async def button(update: Update, ctx: Context, data: str | None = None) -> Step | int:
    """Default minutes, keep the current answer, save, or cancel (`data`: typed)."""
    await answer_query(update)
    svc = ctx.services
    found = await FORM.load(svc.db, update)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    lang = _lang(svc, draft)
    pressed = FormChoice.parse(data or _pressed(update))
    choice = pressed.choice if pressed is not None else None
    if choice == "cancel":
        await FORM.forget(svc.db, update)
        await edit_or_reply(update, svc.t(lang, "event.not_saved"))
        return ConversationHandler.END
    if choice == "save" and step is Step.CONFIRM and draft.complete:
        await FORM.forget(svc.db, update)
        await _save(update, ctx, draft)
        return ConversationHandler.END
    if choice == "7" and step is Step.MINUTES:
        draft.minutes = 7
    elif choice != "keep" or step is Step.CONFIRM or draft.value(step) is None:
        return await _ask(update, ctx, step, draft)
    return await _ask(update, ctx, _after(step, draft), draft)


def _starts(svc: Services, typed: str) -> datetime:
    """The draft's local "DD/MM/YYYY HH:MM" as a moment."""
    return datetime.strptime(typed, "%d/%m/%Y %H:%M").replace(tzinfo=svc.policy.zone)


def _fields(svc: Services, draft: EventDraft) -> dict[str, object]:
    """The event's columns from a complete draft."""
    assert draft.complete
    return {
        "title": draft.title, "starts_at": _starts(svc, str(draft.when)), "venue": draft.venue,
        "minutes": draft.minutes, "tables": draft.tables, "rounds": draft.rounds,
        "max_per_side": draft.max,
    }  # fmt: skip


async def _save(update: Update, ctx: Context, draft: EventDraft) -> None:
    svc = ctx.services
    lang = _lang(svc, draft)
    values = _fields(svc, draft)
    now = svc.clock()
    assert update.effective_user is not None
    who = update.effective_user
    await moderation.remember_organiser(svc.db, who.id, who.full_name, now)
    if draft.event_id is not None:
        key, title = await change_event(svc, who.id, draft.event_id, values)
        await edit_or_reply(update, svc.t(lang, key, title=title))
        return
    event = await store.create(
        svc.db,
        **values,  # type: ignore[arg-type]
        invite_code=secrets.token_urlsafe(6).replace("-", "x"),
        organiser_user_id=who.id,
        now=now,
    )
    await moderation.audit(svc.db, who.id, "event.create", now, target=f"event:{event.id}")
    created = svc.t(lang, "event.created", title=event.title,
                    when=day_when(svc, lang, event.starts_at))  # fmt: skip
    await edit_or_reply(update, created)
    await send_invitation(update, ctx, event, lang)


def build() -> ConversationHandler[Context]:
    """The organiser's event form, wired from TABLE: typed answers at the steps that take
    them, the form's buttons everywhere (each checks the step it is pressed at)."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

    buttons: list[BaseHandler[Update, Context, object]] = [
        route(button, FormChoice),
        route(pick, FieldChoice),
    ]
    return ConversationHandler(
        name=FORM.name,
        persistent=True,
        entry_points=[
            CommandHandler("newevent", new_event),
            route(edit_event, EventEdit),
        ],
        states={step: [MessageHandler(text, answer), *buttons] for step in Step},
        fallbacks=[CommandHandler("cancel", _cancel), *buttons],
    )


async def _cancel(update: Update, ctx: Context) -> int:
    svc, lang, _ = await whoami(update, ctx)
    await FORM.forget(svc.db, update)
    await reply(update, svc.t(lang, "event.not_saved"))
    return ConversationHandler.END
