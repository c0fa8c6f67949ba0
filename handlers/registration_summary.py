"""The end of a registration: the summary's edit buttons, confirming (the profile committed,
then told), discarding an edit, and /cancel (which asks first once answers were given)."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from core.i18n import Html
from core.models import Draft
from core.text import split_html
from handlers import event_messages, event_people, matches, notifications
from handlers.context import Context, answer_query, edit_or_reply, reply
from handlers.form import ids
from handlers.registration_ask import ask, load
from handlers.registration_buttons import (
    CancelAnswer,
    Confirm,
    Discard,
    EditField,
)
from handlers.registration_steps import (
    EDITABLE,
    STORE,
    Step,
)
from handlers.render import profile_card
from storage import conversations, organisations


async def edit_field(update: Update, ctx: Context, pressed: EditField) -> Step:
    """From the summary: asks one field again, then comes back to the summary."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    if pressed.field not in EDITABLE:
        return await ask(update, ctx, step, draft)
    draft.editing = True
    return await ask(update, ctx, EDITABLE[pressed.field], draft)


async def confirm(update: Update, ctx: Context, _: Confirm) -> Step | int:
    """Commits the profile (and forgets the draft) in one transaction, then says so."""
    await answer_query(update)
    svc = ctx.services
    chat_id, user_id = ids(update)
    step, draft = await load(update, ctx)
    user = update.effective_user
    assert user is not None
    try:
        profile = draft.to_profile(user.id, user.username)
    except ValueError:
        return await ask(update, ctx, step, draft)
    existing = await organisations.get_by_owner(svc.db, user_id)
    try:
        async with svc.db.transaction() as conn:
            org_id = await organisations.save_profile(
                conn,
                profile,
                existing.id if existing else None,
                now=svc.clock(),
                fresh_check_at=svc.clock() + svc.policy.nudges.profile_fresh,
            )
            await conversations.delete_in(conn, STORE.name, chat_id, user_id)
    except organisations.KindLocked:
        # History arrived while the edit was open: the stored kind stands.
        if existing is not None:
            draft.kind = existing.kind
        notice = svc.t(draft.language, "edit.kind_locked")
        return await ask(update, ctx, Step.SUMMARY, draft, notice=notice)
    # The profile is committed: only now is the user told.
    org = await organisations.get(svc.db, org_id)
    assert org is not None
    svc.index.upsert(org)
    lang = draft.language
    first = existing is None
    found = await matches.find_matches(svc, org) if first else []
    text = svc.t(lang, "reg.saved" if draft.mode == "edit" else "reg.registered", name=org.name)
    if first and not found:
        text = Html(f"{text}\n\n{svc.t(lang, 'match.none')}")
    card = profile_card(draft, lang, svc.t, svc.taxonomy)
    if len(split_html(card)) == 1:
        await edit_or_reply(update, card)
    elif update.callback_query is not None:
        # The summary above, in several messages, already shows the whole profile: only its
        # buttons go, rather than the profile shown a second time.
        await update.callback_query.edit_message_reply_markup(None)
    # The phone step's keyboard (« share my phone number ») goes with the first message
    # without buttons of its own.
    await reply(update, text, ReplyKeyboardRemove())
    if found:
        await matches.send_matches(update, ctx, org, lang, found, first_page=True)
    if first and org.source_payload and org.source_payload.startswith(event_messages.INVITE_PREFIX):
        # Registered from an invitation: straight on to the event.
        await event_people.join_by_code(
            update, ctx, org, org.source_payload.removeprefix(event_messages.INVITE_PREFIX)
        )
    if existing is None or (existing.needs, existing.offers) != (org.needs, org.offers):
        await notifications.announce(ctx.services, org)
    return ConversationHandler.END


async def discard(update: Update, ctx: Context, pressed: Discard) -> int:
    """Drops the changes of an edit; the stored profile stays as it was."""
    await answer_query(update)
    svc = ctx.services
    _, draft = await load(update, ctx)
    await STORE.forget(svc.db, update)
    await edit_or_reply(update, svc.t(draft.language, "reg.discarded"))
    return ConversationHandler.END


async def cancel(update: Update, ctx: Context) -> Step | int:
    """/cancel: with answers already given, asks first (they would all be lost); otherwise
    forgets the draft at once."""
    step, draft = await load(update, ctx)
    if draft.mode != "edit" and draft.name:
        if step is not Step.CANCEL:
            draft.resume_at = step.value
        return await ask(update, ctx, Step.CANCEL, draft)
    return await _forget(update, ctx, draft)


async def cancel_answer(update: Update, ctx: Context, pressed: CancelAnswer) -> Step | int:
    """ "Tout abandonner" forgets the draft; "Continuer" asks the interrupted question again."""
    await answer_query(update)
    step, draft = await load(update, ctx)
    if pressed.answer == "yes":
        return await _forget(update, ctx, draft)
    if step is Step.CANCEL:
        step = Step(draft.resume_at) if draft.resume_at in set(Step) else Step.SUMMARY
        draft.resume_at = None
    return await ask(update, ctx, step, draft)


async def _forget(update: Update, ctx: Context, draft: Draft) -> int:
    """Forgets the draft (a stored profile is untouched) and says how to start again."""
    svc = ctx.services
    await STORE.forget(svc.db, update)
    key = "reg.edit_cancelled" if draft.mode == "edit" else "reg.cancelled"
    await reply(update, svc.t(draft.language, key), ReplyKeyboardRemove())
    return ConversationHandler.END
