"""Speed meetings for organisers: /events with each event's buttons (invitation, publish, live
mode, report, cancel) and the publication of the schedule. The form is in event_form, what is
sent in event_messages, the participants' side in event_people."""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.events import Event, EventStatus
from core.i18n import Html
from core.matching import explain_pair
from core.models import OrgKind
from core.speedmeeting import priorities, schedule
from handlers.context import (
    Context,
    Services,
    answer_query,
    button_parts,
    edit_or_reply,
    reply,
    whoami,
)
from handlers.event_messages import (
    agenda_messages,
    event_from_button,
    event_report,
    grid_messages,
    is_organiser,
    notices,
    refuse,
    reminders,
    round_nudges,
    send_invitation,
    when,
)
from storage import event_outcomes, moderation, organisations
from storage import events as store


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


# The buttons on an organiser's event card, in order (each has an `event.b_<action>` label).
ORGANISER_ACTIONS = ("inv", "edit", "pub", "live", "rep", "cancel")


async def _event_card(svc: Services, lang: str, event: Event) -> Html:
    report = await event_outcomes.report(svc.db, event.id)
    names = await moderation.organiser_names(svc.db)
    return svc.t(
        lang,
        "event.card",
        title=event.title,
        when=when(svc, event),
        venue=event.venue,
        status=svc.t(lang, f"event.status_{event.status}"),
        companies=report.sides.get(OrgKind.COMPANY, 0),
        associations=report.sides.get(OrgKind.ASSOCIATION, 0),
        live=svc.t(lang, "event.live_on" if event.live else "event.live_off"),
        creator=names.get(event.organiser_user_id, str(event.organiser_user_id)),
    )


def _event_buttons(svc: Services, lang: str, event: Event) -> InlineKeyboardMarkup | None:
    if event.status is EventStatus.CANCELLED:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    svc.t.plain(lang, f"event.b_{a}"), callback_data=f"ev:{a}:{event.id}"
                )
            ]
            for a in ORGANISER_ACTIONS
        ]
    )


async def organiser_button(update: Update, ctx: Context) -> None:
    """Invitation, publish, live on/off, report, cancel."""
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return
    event = await event_from_button(update, svc)
    action = button_parts(update)[1] if len(button_parts(update)) > 1 else ""
    if event is None or event.status is EventStatus.CANCELLED:
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
        told = await notices(svc, event, "event.cancelled_notice")
        await store.cancel(svc.db, event.id, svc.clock(), announce=told)
        svc.wake()
        await edit_or_reply(update, svc.t(lang, "event.cancelled", title=event.title))


async def publish(update: Update, ctx: Context, event: Event, lang: str) -> None:
    """Computes (or re-computes, changing little) the schedule, stores it with its reminders,
    and sends every participant their agenda and calendar file, the organiser the grid."""
    svc = ctx.services
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
    planned = reminders(svc, event, [o for o in companies + associations if plan.of(o.id)], now)
    # What the participants and the organiser receive is written with the schedule itself:
    # a crash after the commit cannot leave anyone without their agenda.
    issued = replace(
        event, schedule_version=event.schedule_version + 1, status=EventStatus.PUBLISHED
    )
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
    rounds = round_nudges(issued, meetings) if event.live else None
    if not await store.publish(
        svc.db, event, meetings, planned, now, announce=messages, rounds=rounds
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


async def _toggle_live(update: Update, ctx: Context, event: Event, lang: str) -> None:
    svc = ctx.services
    live = not event.live
    rounds = round_nudges(event, await store.meetings(svc.db, event.id)) if live else None
    await store.set_live(svc.db, event.id, rounds, svc.clock())
    # The first round may be seconds away: the dispatcher must know now.
    svc.wake()
    await reply(
        update,
        svc.t(lang, "event.live_now_on" if live else "event.live_now_off", title=event.title),
    )
