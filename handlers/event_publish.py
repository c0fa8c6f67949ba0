"""Publishing a speed meeting's schedule, and re-issuing it when a published event changes:
what every participant receives, written in the same transaction as the change (the
outbox). The planning itself is pure (core.event_plan); this module renders and stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.delivery import OutMessage
from core.models import Organisation
from core.speedmeeting import Meeting
from handlers.cards import to_org
from handlers.context import Services
from handlers.event_messages import agenda_messages, notices, reminders, round_nudges, when
from storage import events as store
from storage import moderation, organisations
from storage.events import Event

# What participants read in a notice or their agenda; minutes move the rounds' times once
# a schedule is out. Tables, rounds and the cap only matter to the next publication.
SEEN = frozenset({"title", "starts_at", "venue"})
SEEN_ONCE_PUBLISHED = SEEN | {"minutes"}


async def change_event(
    svc: Services, organiser: int, event_id: int, values: dict[str, object]
) -> tuple[str, str]:
    """Write what changed in an event (nothing else); participants hear of it when it is
    something they see. Returns the answer for the organiser: its locale key and the title."""
    now = svc.clock()
    before = await store.get(svc.db, event_id)
    if before is None or before.status == "cancelled":
        return "button.expired", ""
    changes = {k: v for k, v in values.items() if getattr(before, k) != v}
    if not changes:
        return "event.unchanged", before.title
    await moderation.audit(svc.db, organiser, "event.edit", now, target=f"event:{event_id}")
    changed = replace(before, **changes)  # type: ignore[arg-type]
    published = before.status == "published"
    if not set(changes) & (SEEN_ONCE_PUBLISHED if published else SEEN):
        await store.update(svc.db, event_id, now, changes)
        return "event.updated_quietly", changed.title
    if published:
        await reissue(svc, changed, now, changes)
    else:
        told = await notices(svc, changed, "event.changed")
        await store.update(svc.db, event_id, now, changes, announce=told)
    svc.wake()
    return "event.updated", changed.title


async def reissue(svc: Services, changed: Event, now: datetime, values: dict[str, object]) -> None:
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
            org.language, "event.changed_published", title=issued.title, when=when(svc, issued),
            venue=issued.venue,
        )  # fmt: skip
        messages.append(to_org(org, "event.changed", text))
        if mine(org):
            messages += agenda_messages(svc, issued, org, mine(org), by_id)
    attending = [o for o in members if mine(o)]
    await store.update(
        svc.db, changed.id, now, values, announce=messages,
        reminders=reminders(svc, issued, attending, now),
        rounds=round_nudges(issued, meetings) if changed.live else None,
        new_version=True,
    )  # fmt: skip
