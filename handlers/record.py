"""The two-party partnership record: one side states who gives what to whom, the other
confirms or corrects it (the digital match form of exchange events).

A persistent conversation like registration, on the form engine (handlers/form.py): one step
table (`TABLE` in handlers/record_steps.py, drawn in record.mmd), and a typed draft written
to SQLite with the step reached before the next question is asked. The confirmation is in
handlers/record_confirm.py.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.buttons import Callback
from core.event_buttons import MeetingRecord
from core.i18n import Html
from core.models import OrgKind
from core.partnerships import RecordStatus
from core.records import Giver, Kind
from core.validation import InvalidInput, clean_text
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    language_of,
    reply,
    whoami,
)
from handlers.form import Input, label_pressed, route
from handlers.pipeline_buttons import (
    RecordAction,
    RecordFix,
    RecordGiver,
    RecordKind,
    RecordStart,
)
from handlers.record_confirm import confirmation_request, summary, terms_of
from handlers.record_steps import (
    MAX_RECORD_TEXT,
    STORE,
    TABLE,
    RecordDraft,
    Step,
    filled,
    parse_number,
)
from storage import event_outcomes, events, organisations, partnerships


def _lang(svc: Services, draft: RecordDraft) -> str:
    return draft.lang or svc.default_language


async def _ask(
    update: Update,
    ctx: Context,
    step: Step,
    draft: RecordDraft,
    notice: Html | None = None,
    *,
    fresh: bool = False,
) -> Step:
    """Save the answers at `step`, then ask it: in place of the question answered, or as a
    new message when `fresh` (the agenda or notice the button came from stays as it was)."""
    question = _question(ctx.services, _lang(ctx.services, draft), step, draft)
    return await STORE.ask(update, ctx, step, draft, question, notice=notice, edit=not fresh)


def _button(
    svc: Services, lang: str, key: str, button: Callback, **params: object
) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(svc.t.plain(lang, key, **params), callback_data=button.data)]


def _question(
    svc: Services, lang: str, step: Step, draft: RecordDraft
) -> tuple[Html, InlineKeyboardMarkup]:
    other = draft.other_name
    rows: list[list[InlineKeyboardButton]] = []
    if step is Step.GIVER:
        rows = [_button(svc, lang, f"record.giver_{g}", RecordGiver(g), name=other) for g in Giver]
    elif step is Step.KIND:
        rows = [_button(svc, lang, f"record.kind_{k}", RecordKind(k)) for k in Kind]
    elif step is Step.REVIEW:
        rows = [
            _button(svc, lang, "record.send", RecordAction("send"), name=other),
            _button(svc, lang, "record.cancel", RecordAction("cancel")),
        ]
    if TABLE[step].optional:
        rows.append(_button(svc, lang, "button.skip", RecordAction("skip")))
    if TABLE[step].back is not None:
        rows.append(_button(svc, lang, "button.back", RecordAction("back")))
    if step is Step.REVIEW:
        text = svc.t(lang, "record.review", summary=summary(svc, lang, draft.terms(), other))
    else:
        text = svc.t(lang, f"record.ask_{step.value}", name=other, max=MAX_RECORD_TEXT)
    return text, InlineKeyboardMarkup(rows)


def _pressed(update: Update) -> str | None:
    return update.callback_query.data if update.callback_query else None


# --- entry ----------------------------------------------------------------------------------


async def start(update: Update, ctx: Context) -> Step | int:
    """From a nudge or /partnerships: starts a record for this partnership."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = RecordStart.parse(_pressed(update))
    partnership = await partnerships.get(svc.db, pressed.partnership) if pressed else None
    if me is None or partnership is None or me.id not in partnership.sides:
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    other = await organisations.get(svc.db, partnership.other(me.id))
    if other is None or not partnership.stage.is_open:
        await reply(update, svc.t(lang, "request.gone"))
        return ConversationHandler.END
    draft = RecordDraft(pid=partnership.id, other_name=other.name, lang=lang)
    return await _ask(update, ctx, Step.GIVER, draft)


async def start_from_event(update: Update, ctx: Context) -> Step | int:
    """📝 on a meeting in a speed-meeting agenda: the pair met, so record it right away."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = MeetingRecord.parse(_pressed(update))
    event = await events.get(svc.db, pressed.event) if pressed else None
    other = await organisations.get(svc.db, pressed.other) if pressed else None
    if me is None or event is None or other is None or other.kind is me.kind:
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    association, company = (me, other) if me.kind is OrgKind.ASSOCIATION else (other, me)
    pid = await event_outcomes.ensure_partnership(
        svc.db, event.id, association.id, company.id, svc.clock()
    )
    if pid is None:
        # Only the two sides of a meeting in the published schedule may record it.
        await reply(update, svc.t(lang, "event.not_your_meeting"))
        return ConversationHandler.END
    draft = RecordDraft(pid=pid, other_name=other.name, lang=lang)
    return await _ask(update, ctx, Step.GIVER, draft, fresh=True)


async def correct(update: Update, ctx: Context) -> Step | int:
    """The other side corrects a proposed record: the form again, filled in from their view."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = RecordFix.parse(_pressed(update))
    record = await partnerships.get_record(svc.db, pressed.record) if pressed else None
    partnership = await partnerships.get(svc.db, record.partnership_id) if record else None
    if (
        me is None
        or record is None
        or partnership is None
        or record.status is not RecordStatus.PROPOSED
        or me.id not in partnership.sides
        or me.id == record.proposer_id
    ):
        await reply(update, svc.t(lang, "record.gone"))
        return ConversationHandler.END
    other = await organisations.get(svc.db, partnership.other(me.id))
    mine = terms_of(record).flipped
    draft = RecordDraft(
        pid=partnership.id,
        other_name=other.name if other else "",
        lang=lang,
        giver=mine.giver,
        kind=mine.kind,
        description=mine.description,
        hours=mine.hours,
        value=mine.value_eur,
    )
    return await _ask(update, ctx, Step.REVIEW, draft)


# --- steps ----------------------------------------------------------------------------------


async def choose(update: Update, ctx: Context, data: str | None = None) -> Step | int:
    """Stores who gives to whom (or the kind of partnership); asks the next question.
    `data` is the button whose label was typed, when it was typed rather than pressed."""
    await answer_query(update)
    found = await STORE.load(ctx.services.db, update)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    data = data or _pressed(update)
    giver, kind = RecordGiver.parse(data), RecordKind.parse(data)
    if step is Step.GIVER and giver is not None:
        draft = replace(draft, giver=giver.giver)
    elif step is Step.KIND and kind is not None:
        draft = replace(draft, kind=kind.kind)
    else:
        return await _ask(update, ctx, step, draft)
    return await _ask(update, ctx, TABLE[step].next or step, draft)


async def answer_text(update: Update, ctx: Context) -> Step | int:
    """Stores the description, hours or value typed; asks the next question."""
    svc = ctx.services
    found = await STORE.current(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    spec = TABLE[step]
    assert spec.field is not None
    text = update.effective_message.text if update.effective_message else None
    # « passer », « retour »: the step's own buttons, typed.
    pressed = label_pressed(text, _question(svc, _lang(svc, draft), step, draft)[1])
    if pressed is not None:
        return await act(update, ctx, pressed)
    try:
        if spec.input is Input.NUMBER:
            answer: object = parse_number(text)
        else:
            answer = clean_text(text, max_length=spec.max_len or MAX_RECORD_TEXT, min_length=3)
    except InvalidInput as problem:
        notice = svc.t(_lang(svc, draft), problem.key, **problem.params)
        return await _ask(update, ctx, step, draft, notice=notice)
    return await _ask(update, ctx, spec.next or step, filled(draft, spec.field, answer))


async def skip(update: Update, ctx: Context) -> Step | int:
    """Leaves hours or value out; asks the next question."""
    await answer_query(update)
    found = await STORE.load(ctx.services.db, update)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    spec = TABLE[step]
    if spec.optional and spec.field is not None:
        draft = filled(draft, spec.field, None)
        step = spec.next or step
    return await _ask(update, ctx, step, draft)


async def back(update: Update, ctx: Context) -> Step | int:
    """One question back."""
    await answer_query(update)
    found = await STORE.load(ctx.services.db, update)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    return await _ask(update, ctx, TABLE[step].back or step, draft)


async def send(update: Update, ctx: Context) -> int:
    """Stores the proposal and asks the other side to confirm or correct it."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    found = await STORE.load(svc.db, update)
    if found is None or me is None:
        return ConversationHandler.END
    _, draft = found
    partnership = await partnerships.get(svc.db, draft.pid)
    other = await organisations.get(svc.db, partnership.other(me.id)) if partnership else None
    await STORE.forget(svc.db, update)
    if partnership is None or other is None or me.id not in partnership.sides:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return ConversationHandler.END
    terms = draft.terms()
    await partnerships.propose_record(
        svc.db,
        partnership.id,
        me.id,
        giver=terms.giver.value,
        kind=terms.kind.value,
        description=terms.description,
        hours=terms.hours,
        value_eur=terms.value_eur,
        now=svc.clock(),
        announce=lambda record_id: [confirmation_request(svc, other, me, terms, record_id)],
    )
    svc.wake()
    await edit_or_reply(update, svc.t(lang, "record.sent", name=other.name))
    return ConversationHandler.END


async def cancel(update: Update, ctx: Context) -> int:
    """Drops the record being written (nothing was sent)."""
    await answer_query(update)
    svc = ctx.services
    found = await STORE.load(svc.db, update)
    lang = _lang(svc, found[1]) if found else await language_of(update, ctx)
    await STORE.forget(svc.db, update)
    await edit_or_reply(update, svc.t(lang, "record.cancelled"))
    return ConversationHandler.END


async def not_understood(update: Update, ctx: Context) -> Step | int:
    """Anything else mid-way: says what is expected and asks again."""
    svc = ctx.services
    found = await STORE.current(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    lang = _lang(svc, draft)
    typed = TABLE[step].input in (Input.TEXT, Input.NUMBER)
    notice = svc.t(lang, "reg.need_text" if typed else "reg.use_buttons")
    if update.callback_query is not None:
        await answer_query(update, svc.t(lang, "button.earlier_step"))
    return await _ask(update, ctx, step, draft, notice=notice)


async def typed_label(update: Update, ctx: Context) -> Step | int:
    """At a button step, typing a button's label (« les deux », "skills", « envoyer »)
    counts as pressing it; anything else says that the buttons are expected."""
    svc = ctx.services
    found = await STORE.current(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, draft = found
    _, markup = _question(svc, _lang(svc, draft), step, draft)
    message = update.effective_message
    data = label_pressed(message.text if message else None, markup)
    if data is None:
        return await not_understood(update, ctx)
    if RecordAction.parse(data) is not None:
        return await act(update, ctx, data)
    return await choose(update, ctx, data)


async def act(update: Update, ctx: Context, data: str | None = None) -> Step | int:
    """The form's own buttons (skip, send, cancel, back), valid at any step they appear in."""
    pressed = RecordAction.parse(data or _pressed(update))
    if pressed is not None and pressed.action == "cancel":
        return await cancel(update, ctx)
    found = await STORE.load(ctx.services.db, update)
    step = found[0] if found else None
    if pressed is None or step is None:
        return await not_understood(update, ctx)
    if pressed.action == "back":
        return await back(update, ctx)
    if pressed.action == "skip" and TABLE[step].optional:
        return await skip(update, ctx)
    if pressed.action == "send" and step is Step.REVIEW:
        return await send(update, ctx)
    # A button of an earlier question, pressed again.
    return await not_understood(update, ctx)


def build() -> ConversationHandler[Context]:
    """The record conversation, wired from TABLE."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

    # The answer buttons of the button steps; typed steps take a message.
    choices: dict[Step, type[Callback]] = {Step.GIVER: RecordGiver, Step.KIND: RecordKind}

    def handlers(step: Step) -> list[BaseHandler[Update, Context, object]]:
        if TABLE[step].input in (Input.TEXT, Input.NUMBER):
            return [MessageHandler(text, answer_text)]
        buttons = [route(choose, choices[step])] if step in choices else []
        return [*buttons, MessageHandler(text, typed_label)]

    return ConversationHandler(
        name=STORE.name,
        persistent=True,
        entry_points=[
            route(start, RecordStart),
            route(correct, RecordFix),
            route(start_from_event, MeetingRecord),
        ],
        states={step: handlers(step) for step in TABLE},
        fallbacks=[
            CommandHandler("cancel", cancel),
            route(act, RecordAction),
            route(not_understood, RecordGiver),
            route(not_understood, RecordKind),
            MessageHandler(filters.UpdateType.MESSAGE, not_understood),
        ],
    )
