"""The two-party partnership record: one side states who gives what to whom, the other
confirms or corrects it (the digital match form of exchange events).

A persistent conversation like registration (see record.mmd): each answer is written to
SQLite with the step reached before the next question is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.delivery import Button, OutMessage
from core.i18n import Html
from core.models import Organisation, OrgKind
from core.partnerships import RecordStatus
from core.validation import InvalidInput, clean_text, read_number
from handlers.cards import live_count, to_org
from handlers.context import (
    Context,
    Services,
    answer_query,
    asking,
    button_number,
    button_value,
    edit_or_reply,
    form_gone,
    reply,
    whoami,
)
from storage import conversations, event_outcomes, events, organisations, partnerships

CONVERSATION = "record"
KINDS = ("skills", "goods", "money", "responsible", "cooperation", "innovation")
GIVERS = ("proposer", "other", "both")
MAX_RECORD_TEXT = 300
MAX_NUMBER = 10_000_000


class Step(StrEnum):
    GIVER = "giver"
    KIND = "kind"
    DESCRIPTION = "description"
    HOURS = "hours"
    VALUE = "value"
    REVIEW = "review"


PREVIOUS = {
    Step.KIND: Step.GIVER,
    Step.DESCRIPTION: Step.KIND,
    Step.HOURS: Step.DESCRIPTION,
    Step.VALUE: Step.HOURS,
    Step.REVIEW: Step.VALUE,
}
FOLLOWING = {v: k for k, v in PREVIOUS.items()}


def _ids(update: Update) -> tuple[int, int]:
    assert update.effective_chat is not None
    assert update.effective_user is not None
    return update.effective_chat.id, update.effective_user.id


async def _load(update: Update, ctx: Context) -> tuple[Step, dict[str, object]] | None:
    chat_id, user_id = _ids(update)
    found = await conversations.load_data(ctx.services.db, CONVERSATION, chat_id, user_id)
    return (Step(found[0]), found[1]) if found else None


async def _ask(
    update: Update,
    ctx: Context,
    step: Step,
    data: dict[str, object],
    notice: Html | None = None,
    *,
    fresh: bool = False,
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
    text, markup = _question(svc, lang, step, data)
    async with asking(step):
        if notice is not None:
            await reply(update, notice)
        if notice is not None or fresh:
            # A new message: the agenda (or the notice) the button came from stays as it was.
            await reply(update, text, markup)
        else:
            await edit_or_reply(update, text, markup)
    return step


def _button(
    svc: Services, lang: str, key: str, data: str, **params: object
) -> InlineKeyboardButton:
    return InlineKeyboardButton(svc.t.plain(lang, key, **params), callback_data=data)


def _question(
    svc: Services, lang: str, step: Step, data: dict[str, object]
) -> tuple[Html, InlineKeyboardMarkup]:
    other = str(data.get("other_name", ""))
    rows: list[list[InlineKeyboardButton]] = []
    if step is Step.GIVER:
        rows = [[_button(svc, lang, f"record.giver_{g}", f"rec:g:{g}", name=other)] for g in GIVERS]
    elif step is Step.KIND:
        rows = [[_button(svc, lang, f"record.kind_{k}", f"rec:k:{k}")] for k in KINDS]
    elif step in (Step.HOURS, Step.VALUE):
        rows = [[_button(svc, lang, "button.skip", "rec:skip")]]
    elif step is Step.REVIEW:
        rows = [
            [_button(svc, lang, "record.send", "rec:send", name=other)],
            [_button(svc, lang, "record.cancel", "rec:cancel")],
        ]
    if step in PREVIOUS:
        rows.append([_button(svc, lang, "button.back", "rec:back")])
    if step is Step.REVIEW:
        text = svc.t(lang, "record.review", summary=summary(svc, lang, data, other))
    else:
        text = svc.t(lang, f"record.ask_{step.value}", name=other, max=MAX_RECORD_TEXT)
    return text, InlineKeyboardMarkup(rows)


def summary(svc: Services, lang: str, data: dict[str, object], other: str) -> Html:
    """Who gives what to whom, from the reader's point of view (giver is the proposer's)."""
    giver = str(data.get("giver", "both"))
    hours, value = data.get("hours"), data.get("value")
    parts = [
        svc.t(lang, f"record.line_giver_{giver}", name=other),
        svc.t(
            lang, "record.line_kind", kind=svc.t(lang, f"record.kind_{data.get('kind', 'skills')}")
        ),
        svc.t(lang, "record.line", description=str(data.get("description", ""))),
    ]
    if hours is not None:
        parts.append(svc.t(lang, "record.line_hours", hours=_number(hours)))
    if value is not None:
        parts.append(svc.t(lang, "record.line_value", value=_number(value)))
    return Html("\n".join(parts))


def _number(value: object) -> str:
    number = float(str(value))
    return str(int(number)) if number.is_integer() else f"{number:.1f}"


# --- entry ----------------------------------------------------------------------------------


async def start(update: Update, ctx: Context) -> Step | int:
    """From a nudge or /partnerships: starts a record for this partnership."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pid = button_number(update)
    partnership = await partnerships.get(svc.db, pid) if pid is not None else None
    if me is None or partnership is None or me.id not in partnership.sides:
        await reply(update, svc.t(lang, "button.expired"))
        return ConversationHandler.END
    other = await organisations.get(svc.db, partnership.other(me.id))
    if other is None or not partnership.stage.is_open:
        await reply(update, svc.t(lang, "request.gone"))
        return ConversationHandler.END
    fields: dict[str, object] = {"pid": partnership.id, "other_name": other.name, "lang": lang}
    return await _ask(update, ctx, Step.GIVER, fields)


async def start_from_event(update: Update, ctx: Context) -> Step | int:
    """📝 on a meeting in a speed-meeting agenda: the pair met, so record it right away."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    event_id, other_id = button_number(update, 2), button_number(update, 3)
    event = await events.get(svc.db, event_id) if event_id is not None else None
    other = await organisations.get(svc.db, other_id) if other_id is not None else None
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
    fields: dict[str, object] = {"pid": pid, "other_name": other.name, "lang": lang}
    return await _ask(update, ctx, Step.GIVER, fields, notice=None, fresh=True)


async def correct(update: Update, ctx: Context) -> Step | int:
    """The other side corrects a proposed record: the form again, filled in from their view."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    record_id = button_number(update)
    record = await partnerships.get_record(svc.db, record_id) if record_id is not None else None
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
    flipped = {"proposer": "other", "other": "proposer", "both": "both"}[record.giver]
    fields: dict[str, object] = {
        "pid": partnership.id,
        "other_name": other.name if other else "",
        "lang": lang,
        "giver": flipped,
        "kind": record.kind,
        "description": record.description,
        "hours": record.hours,
        "value": record.value_eur,
    }
    return await _ask(update, ctx, Step.REVIEW, fields)


# --- steps ----------------------------------------------------------------------------------


# The button steps: which answer they store, and the values a button may carry.
CHOICES = {Step.GIVER: ("giver", GIVERS), Step.KIND: ("kind", KINDS)}


async def choose(update: Update, ctx: Context) -> Step | int:
    """Stores who gives to whom (or the kind of partnership); asks the next question."""
    await answer_query(update)
    found = await _load(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, data = found
    field, allowed = CHOICES[step]
    if button_value(update) not in allowed:
        return await _ask(update, ctx, step, data)
    data[field] = button_value(update)
    return await _ask(update, ctx, FOLLOWING[step], data)


async def answer_text(update: Update, ctx: Context) -> Step | int:
    """Stores the description, hours or value typed; asks the next question."""
    found = await _load(update, ctx)
    if found is None:
        await form_gone(update, ctx)
        return ConversationHandler.END
    step, data = found
    svc = ctx.services
    lang = str(data.get("lang", "fr"))
    text = update.effective_message.text if update.effective_message else None
    try:
        if step is Step.DESCRIPTION:
            data["description"] = clean_text(text, max_length=MAX_RECORD_TEXT, min_length=3)
        else:
            data[step.value] = _parse_number(text)
    except InvalidInput as problem:
        return await _ask(
            update, ctx, step, data, notice=svc.t(lang, problem.key, **problem.params)
        )
    return await _ask(update, ctx, FOLLOWING[step], data)


def _parse_number(text: str | None) -> float:
    """ "40 h", "environ 3 000 €", "2,5": the one number in the answer."""
    number = read_number(clean_text(text, max_length=4096))
    if number is None or not 0 <= number <= MAX_NUMBER:
        raise InvalidInput("record.bad_number")
    return number


async def skip(update: Update, ctx: Context) -> Step | int:
    """Leaves hours or value out; asks the next question."""
    await answer_query(update)
    found = await _load(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, data = found
    data[step.value] = None
    return await _ask(update, ctx, FOLLOWING.get(step, step), data)


async def back(update: Update, ctx: Context) -> Step | int:
    """One question back."""
    await answer_query(update)
    found = await _load(update, ctx)
    if found is None:
        return ConversationHandler.END
    step, data = found
    return await _ask(update, ctx, PREVIOUS.get(step, step), data)


async def send(update: Update, ctx: Context) -> int:
    """Stores the proposal and asks the other side to confirm or correct it."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    found = await _load(update, ctx)
    chat_id, user_id = _ids(update)
    if found is None or me is None:
        return ConversationHandler.END
    _, data = found
    partnership = await partnerships.get(svc.db, int(str(data.get("pid", 0))))
    other = await organisations.get(svc.db, partnership.other(me.id)) if partnership else None
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    if partnership is None or other is None or me.id not in partnership.sides:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return ConversationHandler.END
    hours, value = data.get("hours"), data.get("value")
    await partnerships.propose_record(
        svc.db,
        partnership.id,
        me.id,
        giver=str(data.get("giver", "both")),
        kind=str(data.get("kind", "skills")),
        description=str(data.get("description", "")),
        hours=float(str(hours)) if hours is not None else None,
        value_eur=float(str(value)) if value is not None else None,
        now=svc.clock(),
        announce=lambda record_id: [_confirmation_request(svc, other, me, data, record_id)],
    )
    svc.wake()
    await edit_or_reply(update, svc.t(lang, "record.sent", name=other.name))
    return ConversationHandler.END


def _confirmation_request(
    svc: Services,
    reader: Organisation,
    proposer: Organisation,
    data: dict[str, object],
    record_id: int,
) -> OutMessage:
    """The record as the other side sees it, with Confirm and Correct."""
    lang = reader.language
    flipped = {"proposer": "other", "other": "proposer", "both": "both"}[
        str(data.get("giver", "both"))
    ]
    seen = {**data, "giver": flipped}
    text = svc.t(
        lang,
        "record.confirm_request",
        name=proposer.name,
        summary=summary(svc, lang, seen, proposer.name),
    )
    buttons = (
        (Button(svc.t.plain(lang, "record.confirm"), f"rc:ok:{record_id}"),),
        (Button(svc.t.plain(lang, "record.correct"), f"rec:fix:{record_id}"),),
    )
    return to_org(reader, "record.request", text, buttons)


async def cancel(update: Update, ctx: Context) -> int:
    """Drops the record being written (nothing was sent)."""
    await answer_query(update)
    svc = ctx.services
    chat_id, user_id = _ids(update)
    found = await _load(update, ctx)
    lang = str(found[1].get("lang", "fr")) if found else "fr"
    await conversations.delete(svc.db, CONVERSATION, chat_id, user_id)
    await edit_or_reply(update, svc.t(lang, "record.cancelled"))
    return ConversationHandler.END


async def not_understood(update: Update, ctx: Context) -> Step | int:
    """Anything else mid-way: says what is expected and asks again."""
    found = await _load(update, ctx)
    if found is None:
        await form_gone(update, ctx)
        return ConversationHandler.END
    step, data = found
    key = (
        "reg.need_text" if step in (Step.DESCRIPTION, Step.HOURS, Step.VALUE) else "reg.use_buttons"
    )
    notice = ctx.services.t(str(data.get("lang", "fr")), key)
    if update.callback_query is not None:
        await answer_query(
            update, ctx.services.t(str(data.get("lang", "fr")), "button.earlier_step")
        )
    return await _ask(update, ctx, step, data, notice=notice)


# --- the other side confirms ----------------------------------------------------------------


async def confirm(update: Update, ctx: Context) -> None:
    """The other side agrees: the record is kept with its date; both receive the summary."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    record_id = button_number(update)
    record = await partnerships.get_record(svc.db, record_id) if record_id is not None else None
    partnership = await partnerships.get(svc.db, record.partnership_id) if record else None
    if (
        me is None
        or record is None
        or partnership is None
        or me.id not in partnership.sides
        or me.id == record.proposer_id
    ):
        await edit_or_reply(update, svc.t(lang, "record.gone"))
        return
    proposer = await organisations.get(svc.db, record.proposer_id)
    if proposer is None:
        await edit_or_reply(update, svc.t(lang, "record.gone"))
        return
    now = svc.clock()
    data: dict[str, object] = {
        "giver": record.giver,
        "kind": record.kind,
        "description": record.description,
        "hours": record.hours,
        "value": record.value_eur,
    }
    date = now.astimezone(svc.policy.zone).strftime("%d/%m/%Y")

    def recorded(reader: Organisation, other: Organisation, seen: dict[str, object]) -> Html:
        """The summary as `reader` reads it (who gives what, seen from their side)."""
        lang = reader.language
        return svc.t(
            lang,
            "record.recorded",
            name=other.name,
            date=date,
            summary=summary(svc, lang, seen, other.name),
        )

    announce = [to_org(proposer, "record.recorded", recorded(proposer, me, data))]
    event = await events.get(svc.db, partnership.event_id) if partnership.event_id else None
    if event is not None:
        # The organiser's running count, this partnership included (one record per pair).
        signed = (await event_outcomes.report(svc.db, event.id)).signed
        first = await partnerships.confirmed_record(svc.db, partnership.id) is None
        announce.append(live_count(svc, event, signed + int(first)))
    if not await partnerships.confirm_record(
        svc.db, record, partnership, now, svc.policy.nudges, announce=announce
    ):
        await edit_or_reply(update, svc.t(lang, "record.gone"))
        return
    svc.wake()
    flipped = {"proposer": "other", "other": "proposer", "both": "both"}[record.giver]
    await edit_or_reply(update, recorded(me, proposer, {**data, "giver": flipped}))


def build() -> ConversationHandler[Context]:
    """The record conversation: one table of steps."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

    def on(callback: Callable[..., object], pattern: str) -> CallbackQueryHandler[Context, object]:
        return CallbackQueryHandler(callback, pattern=pattern)  # type: ignore[arg-type]

    return ConversationHandler(
        name=CONVERSATION,
        persistent=True,
        entry_points=[
            on(start, r"^rec:start:\d+$"),
            on(correct, r"^rec:fix:\d+$"),
            on(start_from_event, r"^em:rec:\d+:\d+$"),
        ],
        states={
            Step.GIVER: [on(choose, r"^rec:g:[a-z]+$")],
            Step.KIND: [on(choose, r"^rec:k:[a-z]+$")],
            Step.DESCRIPTION: [MessageHandler(text, answer_text)],
            Step.HOURS: [MessageHandler(text, answer_text), on(skip, r"^rec:skip$")],
            Step.VALUE: [MessageHandler(text, answer_text), on(skip, r"^rec:skip$")],
            Step.REVIEW: [on(send, r"^rec:send$")],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            on(cancel, r"^rec:cancel$"),
            on(back, r"^rec:back$"),
            on(not_understood, r"^rec:"),
            MessageHandler(filters.UpdateType.MESSAGE, not_understood),
        ],
    )
