"""/partnerships (each pair of the user's organisation, its stage and the buttons that move
it) and /pipeline (the organisers' view of every pair)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.i18n import Html
from core.models import Organisation
from core.partnerships import Partnership
from core.pipeline import AFTER_RECORD, SET_ALONE, Stage
from core.text import shorten
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    keyboard,
    reply,
    whoami,
)
from handlers.pipeline_buttons import RecordStart, StageButton
from handlers.render import NAME_IN_LIST, request_buttons
from storage import introductions, organisations, partnerships

# Stuck pairs listed by /pipeline; beyond that it says how many more (a few messages at most).
STUCK_SHOWN = 100


def record_markup(svc: Services, lang: str, partnership: Partnership) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    svc.t(lang, "record.start"), callback_data=RecordStart(partnership.id).data
                )
            ]
        ]
    )


async def move_pair(
    update: Update,
    ctx: Context,
    me: Organisation,
    other: Organisation,
    partnership: Partnership,
    *,
    target: Stage,
) -> None:
    """Moves the pair to `target` (from a nudge's answer or a /partnerships button) and says
    so; a pair that already moved on is not moved back."""
    svc = ctx.services
    lang = me.language
    moved = await partnerships.move(svc.db, partnership, target, svc.clock(), svc.policy.nudges)
    if not moved:
        await edit_or_reply(update, svc.t(lang, "nudge.already_moved", name=other.name))
        return
    await edit_or_reply(
        update,
        svc.t(lang, f"stage.now_{target.value}", name=other.name),
        record_markup(svc, lang, partnership) if target is Stage.MET else None,
    )


# --- /partnerships --------------------------------------------------------------------------

# The buttons offered for each stage in /partnerships.
NEXT: dict[Stage, tuple[Stage | str, ...]] = {
    Stage.INTRODUCED: (Stage.IN_CONTACT, Stage.NO_CONTACT),
    Stage.IN_CONTACT: (Stage.MET, Stage.NOT_FEASIBLE),
    Stage.MET: ("record", Stage.NOT_FEASIBLE),
    Stage.AGREED: (Stage.CARRIED_OUT, Stage.ONGOING, Stage.NOT_FEASIBLE),
    Stage.ONGOING: (Stage.CARRIED_OUT, Stage.NOT_FEASIBLE),
}


async def partnerships_command(update: Update, ctx: Context) -> None:
    """Every partnership of the user's organisation: stage, next step, and buttons to move it."""
    svc, lang, me = await whoami(update, ctx)
    if me is None:
        await reply(update, svc.t(lang, "profile.missing"))
        return
    found = await partnerships.of_organisation(svc.db, me.id)
    pending = await introductions.pending_of(svc.db, me.id, svc.clock())
    if not found and not pending:
        await reply(update, svc.t(lang, "pipeline.none"))
        return
    if found:
        await reply(update, svc.t(lang, "pipeline.header", count=len(found)))
    await _pending_requests(update, svc, lang, pending)
    for partnership in found[:20]:
        other = await organisations.get(svc.db, partnership.other(me.id))
        record = await partnerships.confirmed_record(svc.db, partnership.id)
        summary = svc.t(lang, "record.line", description=record.description) if record else Html("")
        text = svc.t(
            lang,
            "pipeline.item",
            name=other.name if other is not None else svc.t.plain(lang, "org.left"),
            stage=svc.t(lang, f"stage.{partnership.stage.value}"),
            next=svc.t(lang, f"stage.next_{partnership.stage.value}"),
            record=summary,
        )
        # Introduced pairs agreed to share their details: they stay at hand here.
        if other is not None and partnership.caller_id is not None:
            text = Html(f"{text}{contacts(svc, lang, other)}")
        rows = [
            [
                InlineKeyboardButton(
                    svc.t(lang, "record.start")
                    if step == "record"
                    else svc.t(lang, f"stage.b_{step}"),
                    callback_data=(
                        RecordStart(partnership.id).data
                        if step == "record"
                        else StageButton(partnership.id, Stage(step)).data
                    ),
                )
            ]
            # A pair whose other side left cannot move any more: its history is kept as is.
            for step in (NEXT.get(partnership.stage, ()) if other is not None else ())
        ]
        await reply(update, text, InlineKeyboardMarkup(rows) if rows else None)


async def _pending_requests(
    update: Update, svc: Services, lang: str, pending: list[tuple[int, bool, str]]
) -> None:
    """The requests still waiting for an answer: those sent in one message, each received one
    with its Accept / Decline buttons (the same as under the request itself)."""
    sent = [name for _, mine, name in pending if mine]
    if sent:
        lines = "\n".join(svc.t(lang, "pipeline.request_sent", name=name) for name in sent)
        await reply(update, Html(lines))
    for interest_id, mine, name in pending:
        if not mine:
            await reply(
                update,
                svc.t(lang, "pipeline.request_received", name=name),
                keyboard(request_buttons(svc.t, lang, interest_id)),
            )


def contacts(svc: Services, lang: str, other: Organisation) -> Html:
    """The partner's contact details, as their introduction gave them (each channel given)."""
    contact = other.contact
    return svc.t(
        lang,
        "pipeline.contacts",
        contact=contact.name,
        email=svc.t(lang, "pipeline.email", email=contact.email) if contact.email else "",
        phone=svc.t(lang, "pipeline.phone", phone=contact.phone) if contact.phone else "",
        telegram=svc.t(lang, "intro.telegram", username=other.owner_username)
        if other.owner_username
        else "",
    )


async def move_from_list(update: Update, ctx: Context) -> None:
    """A button in /partnerships: move the pair to that stage."""
    svc, lang, me = await whoami(update, ctx)
    pressed = StageButton.parse(update.callback_query.data if update.callback_query else None)
    partnership = await partnerships.get(svc.db, pressed.partnership) if pressed else None
    if pressed is None or me is None or partnership is None or me.id not in partnership.sides:
        await answer_query(update, svc.t(lang, "button.expired"), alert=True)
        return
    target = pressed.stage
    if target not in SET_ALONE | AFTER_RECORD or (
        target in AFTER_RECORD
        and await partnerships.confirmed_record(svc.db, partnership.id) is None
    ):
        # "Agreed" (and what follows it) takes the other side's word: a confirmed record.
        await answer_query(update, svc.t(lang, "stage.needs_record"), alert=True)
        return
    await answer_query(update)
    other = await organisations.get(svc.db, partnership.other(me.id))
    if other is None:
        await edit_or_reply(update, svc.t(lang, "request.gone"))
        return
    await move_pair(update, ctx, me, other, partnership, target=target)


# --- organisers -----------------------------------------------------------------------------


async def pipeline_command(update: Update, ctx: Context) -> None:
    """Organisers only: how many pairs at each stage, and which ones are stuck."""
    svc, lang, _ = await whoami(update, ctx)
    assert update.effective_user is not None
    if update.effective_user.id not in svc.organiser_ids:
        await reply(update, svc.t(lang, "organiser.only"))
        return
    everything = await partnerships.all_partnerships(svc.db)
    counts = dict.fromkeys(Stage, 0)
    for partnership in everything:
        counts[partnership.stage] += 1
    lines = [
        svc.t(lang, "pipeline.count", stage=svc.t(lang, f"stage.{stage.value}"), count=count)
        for stage, count in counts.items()
    ]
    stuck = [p for p in everything if p.stuck_since is not None and p.stage.is_open]
    stuck_lines = []
    for partnership in stuck[:STUCK_SHOWN]:
        association = await organisations.get(svc.db, partnership.association_id)
        company = await organisations.get(svc.db, partnership.company_id)
        left = svc.t.plain(lang, "org.left")
        stuck_lines.append(
            svc.t(
                lang,
                "pipeline.stuck_line",
                association=shorten(association.name, NAME_IN_LIST) if association else left,
                company=shorten(company.name, NAME_IN_LIST) if company else left,
                stage=svc.t(lang, f"stage.{partnership.stage.value}"),
            )
        )
    if len(stuck) > STUCK_SHOWN:
        stuck_lines.append(svc.t(lang, "pipeline.stuck_more", count=len(stuck) - STUCK_SHOWN))
    text = svc.t(
        lang,
        "pipeline.organiser",
        total=len(everything),
        counts=Html("\n".join(lines)),
        stuck=Html("\n".join(stuck_lines)) if stuck_lines else svc.t(lang, "profile.none"),
    )
    # A long stuck list goes on in further messages (reply splits it between lines).
    await reply(update, text)
