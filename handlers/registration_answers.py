"""The registration's answers: typed ones (cleaned as the step table says, too-long ones offered
trimmed), the phone typed or shared, and the buttons that fill a field, skip or go back."""

from __future__ import annotations

from telegram import Update

from core.geo import country_of, place_of
from core.i18n import LANGUAGES
from core.models import Location
from core.validation import InvalidInput, clean_phone, clean_text
from handlers.context import Context, answer_query
from handlers.registration_ask import (
    advance,
    ask,
    load,
    next_detail,
    refused,
)
from handlers.registration_buttons import (
    Agree,
    Back,
    Kind,
    Lang,
    Remote,
    Skip,
)
from handlers.registration_pick import words_to_keep
from handlers.registration_steps import (
    DETAILS,
    GUESSING,
    PICKING,
    TABLE,
    Step,
    last_channel,
    opening,
    takes_text,
)
from storage import organisations, users


async def answer_text(update: Update, ctx: Context, typed: str | None) -> Step:
    """Stores a typed answer in the step's field, as the table says (`clean`, `max_len`);
    asks the next question."""
    step, draft = await load(update, ctx)
    spec = TABLE[step]
    assert spec.field is not None, f"{step} takes no typed answer"
    try:
        text = clean_text(typed, max_length=spec.max_len or 4096, min_length=spec.min_len)
        value = text if spec.clean is None else spec.clean(text)
    except InvalidInput as problem:
        return await refused(update, ctx, step, draft, typed=typed, problem=problem)
    setattr(draft, spec.field, value)
    notice = None
    if isinstance(value, Location) and place_of(value).at is None:
        # Accepted as typed, but no distance can be shown: say so while it is easy to fix.
        notice = ctx.services.t(draft.language, "reg.place_unknown", place=value.text)
    return await advance(update, ctx, step, draft, notice=notice)


async def answer_phone(update: Update, ctx: Context, typed: str | None) -> Step:
    """Stores a valid phone number, read in the organisation's country (+352 in Luxembourg);
    asks for consent (or shows the summary)."""
    step, draft = await load(update, ctx)
    region = country_of(draft.location) if draft.location else None
    try:
        draft.phone = clean_phone(typed, region=region)
    except InvalidInput as problem:
        return await refused(update, ctx, step, draft, typed=typed, problem=problem)
    return await advance(update, ctx, step, draft)


async def shared_contact(update: Update, ctx: Context) -> Step:
    """Telegram's « share my phone number »: the person's own number is stored; a contact card
    of someone else is refused politely."""
    step, draft = await load(update, ctx)
    message = update.effective_message
    contact = message.contact if message is not None else None
    user = update.effective_user
    try:
        if step is not Step.PHONE or contact is None:
            raise InvalidInput("reg.need_text" if takes_text(step) else "reg.use_buttons")
        # Only the person's own number: a forwarded card could be anyone's.
        if user is None or contact.user_id != user.id:
            raise InvalidInput("error.not_your_contact")
        number = contact.phone_number
        draft.phone = clean_phone(number if number.startswith("+") else f"+{number}")
    except InvalidInput as problem:
        return await ask(
            update, ctx, step, draft, notice=ctx.services.t(draft.language, problem.key)
        )
    return await advance(update, ctx, step, draft)


async def choose_language(update: Update, ctx: Context, pressed: Lang) -> Step:
    """Stores the language (first step: asks association or company; later: asks the current
    question again in it)."""
    await answer_query(update)
    svc = ctx.services
    step, draft = await load(update, ctx)
    unchanged = pressed.code == draft.language
    if pressed.code in LANGUAGES:
        draft.language = pressed.code
        assert update.effective_user is not None
        await users.set_language(svc.db, update.effective_user.id, pressed.code, svc.clock())
    if step is Step.LANGUAGE:
        return await advance(update, ctx, step, draft)
    if step is Step.KIND and opening(draft):
        # The languages are on this question: it comes again in the one chosen (as a new
        # message when that is the same one: an identical edit would show nothing).
        return await ask(update, ctx, step, draft, anew=unchanged)
    return await ask(update, ctx, step, draft, notice=svc.t(draft.language, "language.set"))


async def choose_kind(update: Update, ctx: Context, pressed: Kind) -> Step:
    """Stores association or company; asks the organisation's name."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    # Once there are requests, partnerships or events, every pair must stay one association
    # and one company: the kind is fixed.
    changed = draft.org_id is not None and pressed.kind is not draft.kind
    if changed and await organisations.has_history(ctx.services.db, draft.org_id or 0):
        draft.editing = False
        notice = ctx.services.t(draft.language, "edit.kind_locked")
        return await ask(update, ctx, Step.SUMMARY, draft, notice=notice)
    draft.kind = pressed.kind
    return await advance(update, ctx, step, draft)


async def choose_remote(update: Update, ctx: Context, _: Remote) -> Step:
    """Stores "anywhere / remote" as the location; asks for needs."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    draft.location = Location(remote=True)
    return await advance(update, ctx, step, draft)


async def agree(update: Update, ctx: Context, _: Agree) -> Step:
    """Stores consent to share contact details after mutual agreement; shows the summary."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    draft.consented = True
    return await advance(update, ctx, step, draft)


async def skip(update: Update, ctx: Context, _: Skip) -> Step:
    """Leaves an optional answer empty (as the table allows); asks the next question. The
    last way to reach the organisation cannot be skipped."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    spec = TABLE[step]
    if step in DETAILS:
        return await next_detail(update, ctx, step, draft, draft.detail_cursor + 1)
    if last_channel(step, draft):
        notice = ctx.services.t(draft.language, "error.need_channel")
        return await ask(update, ctx, step, draft, notice=notice)
    if not spec.optional or spec.field is None:
        return await ask(update, ctx, step, draft)
    setattr(draft, spec.field, None)
    return await advance(update, ctx, step, draft)


async def back(update: Update, ctx: Context, _: Back) -> Step:
    """Goes one question back, as the table says (or back to the summary when editing one
    field). Words waiting for a category are kept as they are."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    draft.family = None
    direction = GUESSING.get(step) or PICKING.get(step)
    kept = words_to_keep(draft, direction, ctx.services) if direction is not None else None
    if draft.editing:
        draft.editing = False
        return await ask(update, ctx, Step.SUMMARY, draft, notice=kept)
    return await ask(update, ctx, TABLE[step].back or step, draft, notice=kept)
