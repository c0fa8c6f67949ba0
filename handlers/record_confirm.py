"""The record's other half: the request to confirm a proposal, and the confirmation itself.

The form (handlers/record.py) sends a proposal; the other side reads it flipped to its own
point of view, then confirms it (here) or corrects it (the form again, prefilled).
"""

from __future__ import annotations

from telegram import Update

from core.delivery import Button, OutMessage
from core.i18n import Html
from core.models import Organisation
from core.partnerships import Record
from core.records import Giver, Kind, Terms
from handlers.cards import live_count, to_org
from handlers.context import Context, Services, answer_query, edit_or_reply, whoami
from handlers.pipeline_buttons import RecordConfirm, RecordFix
from storage import event_outcomes, events, organisations, partnerships


def summary(svc: Services, lang: str, terms: Terms, other: str) -> Html:
    """Who gives what to whom, from the reader's point of view (`terms` are the reader's)."""
    parts = [
        svc.t(lang, f"record.line_giver_{terms.giver.value}", name=other),
        svc.t(lang, "record.line_kind", kind=svc.t(lang, f"record.kind_{terms.kind.value}")),
        svc.t(lang, "record.line", description=terms.description),
    ]
    if terms.hours is not None:
        parts.append(svc.t(lang, "record.line_hours", hours=_number(terms.hours)))
    if terms.value_eur is not None:
        parts.append(svc.t(lang, "record.line_value", value=_number(terms.value_eur)))
    return Html("\n".join(parts))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def terms_of(record: Record) -> Terms:
    """A stored record's terms, from its proposer's point of view."""
    return Terms(
        giver=Giver(record.giver),
        kind=Kind(record.kind),
        description=record.description,
        hours=record.hours,
        value_eur=record.value_eur,
    )


def confirmation_request(
    svc: Services, reader: Organisation, proposer: Organisation, terms: Terms, record_id: int
) -> OutMessage:
    """The record as the other side sees it (`terms` are the proposer's), with Confirm and
    Correct."""
    lang = reader.language
    text = svc.t(
        lang,
        "record.confirm_request",
        name=proposer.name,
        summary=summary(svc, lang, terms.flipped, proposer.name),
    )
    buttons = (
        (Button(svc.t.plain(lang, "record.confirm"), RecordConfirm(record_id).data),),
        (Button(svc.t.plain(lang, "record.correct"), RecordFix(record_id).data),),
    )
    return to_org(reader, "record.request", text, buttons)


async def confirm(update: Update, ctx: Context) -> None:
    """The other side agrees: the record is kept with its date; both receive the summary."""
    await answer_query(update)
    svc, lang, me = await whoami(update, ctx)
    pressed = RecordConfirm.parse(update.callback_query.data if update.callback_query else None)
    record = await partnerships.get_record(svc.db, pressed.record) if pressed else None
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
    terms = terms_of(record)
    date = now.astimezone(svc.policy.zone).strftime("%d/%m/%Y")

    def recorded(reader: Organisation, other: Organisation, seen: Terms) -> Html:
        """The summary as `reader` reads it (`seen`: the terms from their side)."""
        lang = reader.language
        return svc.t(
            lang,
            "record.recorded",
            name=other.name,
            date=date,
            summary=summary(svc, lang, seen, other.name),
        )

    announce = [to_org(proposer, "record.recorded", recorded(proposer, me, terms))]
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
    await edit_or_reply(update, recorded(me, proposer, terms.flipped))
