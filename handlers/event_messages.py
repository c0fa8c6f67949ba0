"""What speed meetings send and say: agendas (in parts, with their buttons), calendar files,
the organiser's grid and CSV, notices to participants, reminders and live rounds, the report,
the invitation. Shared by the event handlers; it registers nothing."""

from __future__ import annotations

import io
from datetime import datetime

import segno
from PIL import Image
from telegram import InputFile, Update

from core import documents
from core.delivery import Attachment, Button, Buttons, OutMessage
from core.documents import EventFacts
from core.event_buttons import MeetingFollowUp, MeetingRecord
from core.event_plan import event_reminders
from core.events import Event
from core.i18n import Html, escape
from core.models import Organisation, OrgKind
from core.pipeline import NudgeKind, Planned
from core.speedmeeting import Meeting
from core.text import (
    MAX_BUTTONS,
    MAX_MESSAGE,
    pack,
    shorten,
    visible_len,
)
from handlers.cards import reason_line, to_org
from handlers.context import (
    Context,
    Services,
    answer_query,
    reply,
)
from handlers.render import NAME_IN_LIST
from storage import event_outcomes, organisations
from storage import events as store

INVITE_PREFIX = "ev_"
# The columns of the grid's CSV, in order (each has an `event.csv_<column>` header).
GRID_COLUMNS = ("round", "start", "table", "company", "association")


def rules(svc: Services, lang: str) -> Html:
    return svc.t(lang, "event.rules")


def local(svc: Services, moment: datetime) -> datetime:
    return moment.astimezone(svc.policy.zone)


def when(svc: Services, event: Event) -> str:
    return local(svc, event.starts_at).strftime("%d/%m/%Y %H:%M")


def day_when(svc: Services, lang: str, moment: datetime) -> str:
    """« samedi 05/12/2026 14:00 »: with the weekday, so that a wrong date shows."""
    moment = local(svc, moment)
    return f"{svc.t.plain(lang, f'event.weekday_{moment.weekday()}')} {moment:%d/%m/%Y %H:%M}"


def is_organiser(svc: Services, update: Update) -> bool:
    return update.effective_user is not None and update.effective_user.id in svc.organiser_ids


async def refuse(update: Update, svc: Services, lang: str) -> None:
    if update.callback_query is not None:
        await answer_query(update, svc.t.plain(lang, "organiser.only"), alert=True)
    else:
        await reply(update, svc.t(lang, "organiser.only"))


def invitation_link(ctx: Context, event: Event) -> str:
    return f"https://t.me/{ctx.bot.username}?start={INVITE_PREFIX}{event.invite_code}"


async def send_invitation(update: Update, ctx: Context, event: Event, lang: str) -> None:
    """The deep link, and a QR code of it for posters and slides."""
    svc = ctx.services
    link = invitation_link(ctx, event)
    picture = io.BytesIO()
    segno.make(link, error="m").save(picture, kind="png", scale=8, border=4)
    picture.seek(0)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(
        InputFile(picture, filename=f"invitation-{event.id}.png"),
        caption=svc.t(lang, "event.invitation", title=event.title, link=link),
    )


async def notices(svc: Services, event: Event, key: str) -> list[OutMessage]:
    """The same notice for every participant, each in their language."""
    return [
        to_org(
            org,
            key,
            svc.t(org.language, key, title=event.title, when=when(svc, event), venue=event.venue),
        )
        for org in await organisations.get_many(svc.db, await store.participants(svc.db, event.id))
    ]


async def event_report(svc: Services, lang: str, event: Event) -> Html:
    report = await event_outcomes.report(svc.db, event.id)
    lines = [
        svc.t(lang, "event.report_kind", kind=svc.t(lang, f"record.kind_{kind}"), count=count)
        for kind, count in report.partnerships.items()
    ]
    return svc.t(
        lang,
        "event.report",
        title=event.title,
        companies=report.sides.get(OrgKind.COMPANY, 0),
        associations=report.sides.get(OrgKind.ASSOCIATION, 0),
        meetings=str(report.meetings),
        signed=report.signed,
        kinds=Html("\n".join(lines)) if lines else svc.t(lang, "event.report_none"),
    )


def reminders(
    svc: Services, event: Event, attending: list[Organisation], now: datetime
) -> list[Planned]:
    """The day-before and hour-before reminders (EVENT_REMINDERS) still to come."""
    return event_reminders(
        event.id, event.starts_at, [o.id for o in attending], svc.policy.event_reminders, now
    )


def round_nudges(event: Event, meetings: list[Meeting]) -> list[Planned]:
    return [
        Planned(
            NudgeKind.EVENT_ROUND, who, event.round_start(m.round), event_id=event.id, round=m.round
        )
        for m in meetings
        for who in (m.company, m.association)
    ]


def _agenda_lines(
    svc: Services,
    lang: str,
    event: Event,
    reader: Organisation,
    *,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
    rounds: int,
    name_limit: int,
    reasons: bool,
) -> list[tuple[Html, Organisation | None]]:
    """One line per round of the event (☕ a break in the rounds without a meeting, the first
    and the last included), with whom it is (None: a break)."""
    lines: list[tuple[Html, Organisation | None]] = []
    busy = {m.round: m for m in mine}
    for number in range(max([rounds, *(m.round + 1 for m in mine)])):
        start = local(svc, event.round_start(number)).strftime("%H:%M")
        meeting = busy.get(number)
        if meeting is None:
            lines.append((svc.t(lang, "event.agenda_break", round=number + 1, time=start), None))
            continue
        other = by_id[meeting.association if reader.kind is OrgKind.COMPANY else meeting.company]
        why = svc.explain(reader, other) if reasons else None
        reason = (
            Html(f" — {reason_line(svc, lang, why.reasons[0])}")
            if why is not None and why.reasons
            else Html("")
        )
        line = svc.t(
            lang,
            "event.agenda_line",
            round=number + 1,
            time=start,
            table=meeting.table,
            name=shorten(other.name, name_limit),
            why=reason,
        )
        lines.append((line, other))
    return lines


def schedule_rounds(meetings: list[Meeting]) -> int:
    """How many rounds a schedule has (as on the organiser's grid)."""
    return max((m.round for m in meetings), default=-1) + 1


def agenda_buttons(event: Event, others: list[Organisation]) -> Buttons:
    """📝 record a partnership and 🔁 follow up, for each meeting with these organisations."""
    return tuple(
        (
            Button(f"📝 {shorten(other.name, 24)}", MeetingRecord(event.id, other.id).data),
            Button(f"🔁 {shorten(other.name, 24)}", MeetingFollowUp(event.id, other.id).data),
        )
        for other in others
    )


def agenda_parts(
    svc: Services,
    lang: str,
    event: Event,
    reader: Organisation,
    *,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
    rounds: int,
) -> list[tuple[Html, Buttons]]:
    """The personal agenda as one or more messages, nothing left out: each within Telegram's
    4096 UTF-16 units, each with the 📝/🔁 buttons of the meetings it lists (so at most 50
    meetings, 100 buttons, per message). The first has the event and the rules; the others
    say which part they are. To be sent in order, by whoever sends the agenda."""
    lines = _agenda_lines(
        svc, lang, event, reader, mine=mine, by_id=by_id, rounds=rounds, name_limit=NAME_IN_LIST,
        reasons=True,
    )  # fmt: skip

    def first(part: Html, number: int, count: int) -> Html:
        title = (
            svc.t(lang, "event.agenda_part_title", title=event.title, part=number, parts=count)
            if count > 1
            else escape(event.title)
        )
        return svc.t(
            lang, "event.agenda", title=title, when=when(svc, event), venue=event.venue,
            rules=rules(svc, lang), lines=part,
        )  # fmt: skip

    def more(part: Html, number: int, count: int) -> Html:
        return svc.t(lang, "event.agenda_more", title=event.title, part=number, parts=count,
                     lines=part)  # fmt: skip

    # The widest frame a part can have (the first one, with the event and the rules), so that
    # the lines' budget holds for every part.
    frame = visible_len(first(Html(""), 99, 99))
    pages = pack([line for line, _ in lines], MAX_MESSAGE - frame, max_items=MAX_BUTTONS // 2)
    parts = []
    for number, page in enumerate(pages, start=1):
        text = Html("\n".join(lines[i][0] for i in page))
        build = first if number == 1 else more
        others = [other for i in page if (other := lines[i][1]) is not None]
        parts.append((build(text, number, len(pages)), agenda_buttons(event, others)))
    return parts


def agenda_messages(
    svc: Services,
    event: Event,
    reader: Organisation,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
    *,
    rounds: int,
) -> list[OutMessage]:
    """The personal agenda (in as many parts as Telegram's limits ask, each with the record and
    follow-up buttons of its meetings), then the .ics file. `rounds`: how many rounds the
    schedule has (see `schedule_rounds`), so that every agenda lists every round."""
    lang = reader.language
    parts = agenda_parts(svc, lang, event, reader, mine=mine, by_id=by_id, rounds=rounds)
    calendar = OutMessage(
        chat_id=reader.owner_user_id,
        kind="calendar",
        text=svc.t(lang, "event.ics_caption"),
        recipient_id=reader.id,
        attachment=Attachment(
            f"speed-meeting-{event.id}.ics", calendar_file(svc, event, reader, mine, by_id)
        ),
    )
    return [*(to_org(reader, "agenda", text, buttons) for text, buttons in parts), calendar]


def facts(event: Event) -> EventFacts:
    return EventFacts(event.id, event.title, event.venue, event.schedule_version, event.round_start)


def calendar_file(
    svc: Services,
    event: Event,
    reader: Organisation,
    mine: list[Meeting],
    by_id: dict[int, Organisation],
) -> bytes:
    """The reader's meetings as calendar entries (see core.documents.calendar_file)."""
    return documents.calendar_file(
        facts(event),
        mine,
        {org_id: org.name for org_id, org in by_id.items()},
        reader_is_company=reader.kind is OrgKind.COMPANY,
        now=svc.clock(),
        table_word=svc.t.plain(reader.language, "event.table_word"),
    )


def grid_messages(
    svc: Services,
    event: Event,
    meetings: list[Meeting],
    by_id: dict[int, Organisation],
    *,
    organiser: int,
    lang: str,
) -> list[OutMessage]:
    """The whole grid for the organiser: CSV (for Excel), and a picture to project."""
    names = {org_id: org.name for org_id, org in by_id.items()}
    headers = [svc.t.plain(lang, f"event.csv_{column}") for column in GRID_COLUMNS]
    table = documents.grid_csv(
        facts(event), meetings, names, zone=svc.policy.zone, headers=headers,
        delimiter=svc.t.plain(lang, "event.csv_delimiter"),
    )  # fmt: skip
    csv_file = OutMessage(
        chat_id=organiser,
        kind="grid.csv",
        # The organiser just pressed Publish and waits for these: ahead of the agendas.
        bulk=False,
        text=svc.t(lang, "event.csv_caption", title=event.title),
        attachment=Attachment(f"schedule-{event.id}.csv", table),
    )
    picture = documents.grid_picture(
        facts(event), meetings, names, zone=svc.policy.zone,
        table_label=lambda n: svc.t.plain(lang, "event.grid_table", number=n),
        round_label=lambda n, start: svc.t.plain(lang, "event.grid_round", number=n, time=start),
    )  # fmt: skip
    width, height = Image.open(io.BytesIO(picture)).size
    # Telegram's photos must stay within 10,000 px (width + height) and a 1:20 ratio.
    as_photo = width + height <= 10_000 and max(width, height) <= 20 * min(width, height)
    grid = OutMessage(
        chat_id=organiser,
        kind="grid.picture",
        bulk=False,
        text=svc.t(lang, "event.grid_caption", title=event.title),
        attachment=Attachment(f"schedule-{event.id}.png", picture, as_photo=as_photo),
    )
    return [csv_file, grid]
