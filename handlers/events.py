"""Speed meetings for organisers: /events with each event's buttons (invitation, publish after
a confirmation, live mode, report, cancel). The form is in event_form, the publication in
event_publish, what is sent in event_messages, the participants' side in event_people."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.event_buttons import EventAction, EventActionName, EventEdit
from core.events import Event, EventReport, EventStatus
from core.i18n import Html
from core.models import OrgKind
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    reply,
    whoami,
)
from handlers.event_messages import (
    event_report,
    is_organiser,
    notices,
    refuse,
    round_nudges,
    send_invitation,
    when,
)
from handlers.event_publish import publish_schedule
from storage import event_outcomes, moderation
from storage import events as store

# The buttons under an event on the organiser's list (each label is `event.b_<action>`).
ORGANISER_ACTIONS: tuple[EventActionName, ...] = ("inv", "pub", "live", "rep", "cancel")


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
    report = await event_outcomes.report(svc.db, event.id)
    names = await moderation.organiser_names(svc.db)
    late = await store.unscheduled(svc.db, event.id)
    if event.status is EventStatus.PUBLISHED and late:
        # Registered after the publication: the organiser republishes to give them meetings.
        card = _card(svc, lang, event, report, names)
        return Html(f"{card}\n{svc.t(lang, 'event.unscheduled', count=late)}")
    return _card(svc, lang, event, report, names)


def _card(
    svc: Services, lang: str, event: Event, report: EventReport, names: dict[int, str]
) -> Html:
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
    edit = EventEdit(event.id).data
    datas = [EventAction(a, event.id).data for a in ORGANISER_ACTIONS]
    published = event.status is EventStatus.PUBLISHED
    labels = [
        svc.t.plain(lang, "event.b_repub" if published and a == "pub" else f"event.b_{a}")
        for a in ORGANISER_ACTIONS
    ]
    # ✏️ second, as before: the organiser's eye goes to it after the invitation.
    datas.insert(1, edit)
    labels.insert(1, svc.t.plain(lang, "event.b_edit"))
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data)]
            for label, data in zip(labels, datas, strict=True)
        ]
    )


async def organiser_button(update: Update, ctx: Context) -> None:
    """Invitation, publish, live on/off, report, cancel."""
    svc, lang, _ = await whoami(update, ctx)
    if not is_organiser(svc, update):
        await refuse(update, svc, lang)
        return
    pressed = EventAction.parse(update.callback_query.data if update.callback_query else None)
    event = await store.get(svc.db, pressed.event) if pressed is not None else None
    if pressed is None or event is None or event.status is EventStatus.CANCELLED:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    await answer_query(update)
    action = pressed.action
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
        await _confirm_publication(update, svc, event, lang)
    elif action == "pubyes":
        await publish(update, ctx, event, lang)
    elif action == "pubno":
        await edit_or_reply(update, svc.t(lang, "event.publish_not_now", title=event.title))
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
                        callback_data=EventAction("cancelyes", event.id).data,
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


async def _confirm_publication(update: Update, svc: Services, event: Event, lang: str) -> None:
    """Publishing messages every participant (their agenda, then their calendar file): the
    organiser says yes first, knowing to how many."""
    count = len(await store.participants(svc.db, event.id))
    sides = [await store.count_side(svc.db, event.id, kind) for kind in OrgKind]
    if not all(sides):
        await reply(update, svc.t(lang, "event.too_few"))
        return
    key = "event.publish_confirm" if event.status is EventStatus.OPEN else "event.republish_confirm"
    answers: tuple[EventActionName, ...] = ("pubyes", "pubno")
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(svc.t.plain(lang, f"event.b_{a}"), callback_data=data)]
            for a in answers
            if (data := EventAction(a, event.id).data)
        ]
    )
    await reply(update, svc.t(lang, key, title=event.title, count=count), buttons)


async def publish(update: Update, ctx: Context, event: Event, lang: str) -> None:
    """« Oui, envoyer »: the schedule is computed (again, changing little), stored and
    announced (see event_publish); the question is replaced by the outcome."""
    assert update.effective_user is not None
    key, params = await publish_schedule(ctx.services, event, update.effective_user.id, lang)
    await edit_or_reply(update, ctx.services.t(lang, key, **params))


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
