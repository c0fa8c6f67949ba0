"""Publishing a speed meeting's schedule, and re-issuing it when a published event changes:
what every participant receives, written in the same transaction as the change (the
outbox). The planning itself is pure (core.event_plan); this module renders and stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.delivery import OutMessage
from core.event_plan import Change, plan_publication
from core.events import Event, EventStatus
from core.i18n import Html
from core.models import Organisation
from core.speedmeeting import Meeting
from core.text import MAX_MESSAGE, pack, shorten, visible_len
from handlers.cards import to_org
from handlers.context import Services
from handlers.event_messages import (
    agenda_messages,
    day_when,
    grid_messages,
    reminders,
    round_nudges,
    schedule_rounds,
)
from handlers.render import NAME_IN_LIST
from storage import events as store
from storage import moderation, organisations

# What participants read in a notice or their agenda; minutes move the rounds' times once
# a schedule is out. Tables, rounds and the cap only matter to the next publication.
SEEN = frozenset({"title", "starts_at", "venue"})
SEEN_ONCE_PUBLISHED = SEEN | {"minutes"}
# How each seen change is announced, in this order.
_NEWS = (("title", "event.new_title"), ("starts_at", "event.new_when"),
         ("venue", "event.new_venue"), ("minutes", "event.new_minutes"))  # fmt: skip


def what_changed(svc: Services, lang: str, event: Event, changes: dict[str, object]) -> Html:
    """« 📅 nouvelle date : samedi 05/12/2026 14:00 », one line per change participants see."""
    lines = []
    for field, key in _NEWS:
        if field in changes:
            value = day_when(svc, lang, event.starts_at) if field == "starts_at" else None
            lines.append(svc.t(lang, key, value=value or getattr(event, field)))
    return Html("\n".join(lines))


async def change_event(
    svc: Services, organiser: int, event_id: int, values: dict[str, object]
) -> tuple[str, str]:
    """Write what changed in an event (nothing else); participants hear of it when it is
    something they see. Returns the answer for the organiser: its locale key and the title."""
    now = svc.clock()
    before = await store.get(svc.db, event_id)
    if before is None or before.status is EventStatus.CANCELLED:
        return "button.expired", ""
    changes = {k: v for k, v in values.items() if getattr(before, k) != v}
    if not changes:
        return "event.unchanged", before.title
    await moderation.audit(svc.db, organiser, "event.edit", now, target=f"event:{event_id}")
    changed = replace(before, **changes)  # type: ignore[arg-type]
    published = before.status is EventStatus.PUBLISHED
    if not set(changes) & (SEEN_ONCE_PUBLISHED if published else SEEN):
        await store.update(svc.db, event_id, now, changes)
        return "event.updated_quietly", changed.title
    seen = {k: v for k, v in changes.items() if k in (SEEN_ONCE_PUBLISHED if published else SEEN)}
    if published:
        await reissue(svc, changed, now, changes, seen)
    else:
        members = await organisations.get_many(svc.db, await store.participants(svc.db, event_id))
        told = [
            to_org(org, "event.changed", svc.t(
                org.language, "event.changed", title=changed.title,
                changes=what_changed(svc, org.language, changed, seen),
            ))
            for org in members
        ]  # fmt: skip
        await store.update(svc.db, event_id, now, changes, announce=told)
    svc.wake()
    return ("event.updated_published" if published else "event.updated"), changed.title


async def reissue(
    svc: Services,
    changed: Event,
    now: datetime,
    values: dict[str, object],
    seen: dict[str, object],
) -> None:
    """A published event changed (time, place, title): each participant is told, with their
    agenda and calendar file again (same entries, a higher SEQUENCE, the new times), and the
    reminders and live rounds move with it, all in one transaction. The meetings stay as they
    are (a change of tables or rounds takes effect at the next publication)."""
    issued = replace(changed, schedule_version=changed.schedule_version + 1)
    meetings = await store.meetings(svc.db, changed.id)
    members = await organisations.get_many(svc.db, await store.participants(svc.db, changed.id))
    by_id = {o.id: o for o in members}

    def mine(org: Organisation) -> list[Meeting]:
        return sorted(
            (m for m in meetings if org.id in (m.company, m.association)), key=lambda m: m.round
        )

    messages: list[OutMessage] = []
    for org in members:
        text = svc.t(
            org.language, "event.changed_published", title=issued.title,
            changes=what_changed(svc, org.language, issued, seen),
        )  # fmt: skip
        messages.append(to_org(org, "event.changed", text))
        if mine(org):
            messages += agenda_messages(
                svc, issued, org, mine(org), by_id, rounds=schedule_rounds(meetings)
            )
    attending = [o for o in members if mine(o)]
    await store.update(
        svc.db, changed.id, now, values, announce=messages,
        reminders=reminders(svc, issued, attending, now),
        rounds=round_nudges(issued, meetings) if changed.live else None,
        new_version=True,
    )  # fmt: skip


async def publish_schedule(
    svc: Services, event: Event, organiser: int, lang: str
) -> tuple[str, dict[str, object]]:
    """Plan (core.event_plan), then store the schedule with its reminders and what announces
    it, in one transaction: a crash after the commit cannot leave anyone without their agenda.

    The first time, every participant gets their agenda and calendar file. Afterwards only
    those whose meetings changed hear of it: exactly what changed, then their agenda and
    calendar file again (a newcomer: their agenda). The organiser gets the grid each time.
    Returns the answer for the organiser (locale key and parameters)."""
    members = await organisations.get_many(svc.db, await store.participants(svc.db, event.id))
    previous = await store.meetings(svc.db, event.id)
    now = svc.clock()
    plan = plan_publication(
        members, event_id=event.id, starts_at=event.starts_at, rounds=event.rounds,
        tables=event.tables, max_per_side=event.max_per_side,
        wishes=await store.wishes(svc.db, event.id), previous=previous, now=now,
        reminder_delays=svc.policy.event_reminders,
        scored_by=lambda company, association: svc.explain(company, association, now).score,
    )  # fmt: skip
    if plan is None:
        return "event.too_few", {}
    issued = replace(
        event, schedule_version=event.schedule_version + 1, status=EventStatus.PUBLISHED
    )
    by_id = {o.id: o for o in members}
    meetings = list(plan.schedule.meetings)
    had = {who for m in previous for who in (m.company, m.association)}
    messages: list[OutMessage] = []
    told = 0
    for org in plan.selected if plan.first else members:
        mine = plan.schedule.of(org.id)
        if not plan.first:
            if org.id not in plan.changes:
                continue
            told += 1
            if org.id in had:
                messages += change_messages(svc, issued, org, plan.changes[org.id], by_id)
        if mine or plan.first:
            messages += agenda_messages(
                svc, issued, org, mine, by_id, rounds=schedule_rounds(meetings)
            )
    messages += grid_messages(svc, issued, meetings, by_id, organiser=organiser, lang=lang)
    rounds = round_nudges(issued, meetings) if event.live else None
    if not await store.publish(
        svc.db, event, meetings, list(plan.reminders), now, announce=messages, rounds=rounds
    ):
        # A double tap, or another organiser: the agendas went out once already.
        return "event.already_published", {"title": event.title}
    svc.wake()
    unchanged = max(len(members) - told, 0)
    # Fewer rounds than asked: not enough people for as many different meetings.
    fewer = plan.schedule.rounds < event.rounds
    counts = {"meetings": len(meetings), "rounds": plan.schedule.rounds, "told": told,
              "unchanged": unchanged, "fewer": Html("")}  # fmt: skip
    if fewer:
        counts["fewer"] = svc.t(lang, "event.fewer_rounds", asked=event.rounds)
    return ("event.published" if plan.first else "event.republished"), {
        "title": event.title,
        **counts,
    }


def change_line(svc: Services, lang: str, change: Change, name: str) -> Html:
    """« Tour 2 → Tour 3, table 4 : Société B », or a new, cancelled or re-seated meeting."""
    before, after = change.before, change.after
    if before is None:
        assert after is not None
        return svc.t(lang, "event.change_added", round=after.round + 1, table=after.table,
                     name=name)  # fmt: skip
    if after is None:
        return svc.t(lang, "event.change_removed", round=before.round + 1, name=name)
    if before.round == after.round:
        return svc.t(lang, "event.change_table", round=after.round + 1, before=before.table,
                     after=after.table, name=name)  # fmt: skip
    return svc.t(lang, "event.change_moved", before=before.round + 1, after=after.round + 1,
                 table=after.table, name=name)  # fmt: skip


def change_messages(
    svc: Services,
    event: Event,
    reader: Organisation,
    changes: list[Change],
    by_id: dict[int, Organisation],
) -> list[OutMessage]:
    """What changed for one participant, one line per meeting, in as many messages as
    Telegram's limit asks (a long day of changes stays whole)."""
    lang = reader.language
    lines = [
        change_line(svc, lang, c, shorten(by_id[c.other].name, NAME_IN_LIST))
        for c in changes
        if c.other in by_id  # an organisation erased since: nothing to say about it
    ]
    if not lines:
        return []
    left = any(c.after is not None for c in changes)
    key = "event.schedule_changed" if left else "event.schedule_changed_empty"
    frame = visible_len(svc.t(lang, key, title=event.title, lines=Html("")))
    return [
        to_org(
            reader,
            "event.moves",
            svc.t(lang, key, title=event.title, lines=Html("\n".join(lines[i] for i in page))),
        )
        for page in pack(lines, MAX_MESSAGE - frame)
    ]
