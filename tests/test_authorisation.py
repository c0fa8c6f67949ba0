"""A button is a request, and every request is checked (issue 9).

Each test forges or replays a button as a modified client could (any callback data, on any
message), or races two presses, and checks that nothing happened except a clear refusal.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import BotApp
from core.models import Item, Organisation
from core.pipeline import Stage
from sandbox.scenarios import association_profile, company_profile, publish_schedule
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import events, partnerships
from storage.db import Database
from tests.harness import ORGANISER, Clock, bot_running, seed, svc
from tests.test_followup import introduce

START = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
TABLES = (
    "interests",
    "dismissals",
    "partnerships",
    "partnership_records",
    "event_participants",
    "event_wishes",
    "event_marks",
    "conversations",
    "outbox",
    "nudges",
)


async def snapshot(db: Database) -> dict[str, int]:
    """How many rows each table that a button could change holds."""
    counts = {}
    for table in TABLES:
        row = await db.fetchone(f"SELECT COUNT(*) FROM {table}")
        counts[table] = int(row[0]) if row else 0
    return counts


async def some_message(user: SimUser) -> ChatMessage:
    """A message in the user's chat to hang a forged button on."""
    return (await user.send("/help"))[-1]


async def forge(user: SimUser, data: str, *, expect: int = 0) -> str:
    """Press a button with `data` that the bot never sent this user; returns the pop-up text
    (empty if none)."""
    message = await some_message(user)
    before = set(user.standin.callback_answers)
    await user.press(data=data, message=message, expect=expect)
    [query] = set(user.standin.callback_answers) - before
    return str(user.standin.callback_answers[query].get("text") or "")


async def published_event(
    standin: BotApiStandIn, app: BotApp, base: int, *, max_per_side: int = 10
) -> tuple[int, list[Organisation], list[Organisation]]:
    """Two companies and two associations in one round at two tables: each company meets one
    association. Published by the organiser through the bot. Returns (event, companies,
    associations)."""
    db, now = svc(app).db, svc(app).clock()
    event = await events.create(
        db, title="Bourse", starts_at=START, venue="CCI", minutes=7, tables=2, rounds=1,
        max_per_side=max_per_side, invite_code=f"t{base}", organiser_user_id=ORGANISER, now=now,
    )  # fmt: skip
    companies = [
        await seed(app, standin, company_profile(base + n, f"Société {n}", (Item("web"),)))
        for n in range(2)
    ]
    associations = [
        await seed(app, standin, association_profile(base + 10 + n, f"Asso {n}")) for n in range(2)
    ]
    for org in companies + associations:
        await events.join(db, event.id, org.id, now)
    organiser = standin.user(ORGANISER, "Organisatrice")
    cards = await organiser.send("/events")
    await publish_schedule(organiser, cards[-1])
    everyone = [standin.users[o.owner_user_id] for o in companies + associations]
    await standin.wait_for(lambda: all(any(m.document for m in u.bot_messages) for u in everyone))
    return event.id, companies, associations


async def test_speed_meeting_buttons_work_only_for_the_two_sides_of_a_meeting(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """📝 and 🔁 forged by an outsider, by a participant without that meeting, or pressed on a
    cancelled event: a refusal, no partnership, no mark, nothing sent to the other side."""
    event_id, companies, associations = await published_event(standin, app, 50_000)
    db = svc(app).db
    meetings = await events.meetings(db, event_id)
    met = {(m.company, m.association) for m in meetings}
    company = companies[0]
    stranger_asso = next(a for a in associations if (company.id, a.id) not in met)
    outsider = await seed(app, standin, association_profile(50_100, "Asso dehors"))
    before = await snapshot(db)
    company_chat = len(standin.chat(company.owner_user_id))

    for org in (outsider, stranger_asso):
        user = standin.users[org.owner_user_id]
        message = await some_message(user)
        shown = await user.press(data=f"em:rec:{event_id}:{company.id}", message=message)
        assert "ne concerne pas l'une de vos rencontres" in shown[-1].text
        answer = await forge(user, f"em:fol:{event_id}:{company.id}")
        assert "ne concerne pas l'une de vos rencontres" in answer
    assert await snapshot(db) == before
    assert len(standin.chat(company.owner_user_id)) == company_chat

    # A real meeting, once the event is cancelled: refused as well.
    partner = next(a for a in associations if (company.id, a.id) in met)
    organiser = standin.users[ORGANISER]
    card = (await organiser.send("/events"))[-1]
    confirm = (await organiser.press("Annuler l'événement", message=card))[-1]
    await organiser.press("Oui, annuler", message=confirm)
    user = standin.users[partner.owner_user_id]
    agenda = next(m for m in user.bot_messages if "Votre agenda" in m.text)
    await standin.wait_for(lambda: any("annulé" in m.text for m in user.bot_messages))
    before = await snapshot(db)
    shown = await user.press(f"📝 {company.name}", message=agenda)
    assert "ne concerne pas l'une de vos rencontres" in shown[-1].text
    await user.press(f"🔁 {company.name}", message=agenda, expect=0)
    assert await snapshot(db) == before


async def test_one_side_alone_cannot_make_a_partnership_agreed(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """pp:<id>:agreed, then carried_out and ongoing, forged by one side: refused, the stage
    stays; the stages that make sense alone still move."""
    asso, _ = await introduce(standin, app, 51_000)
    [pair] = await partnerships.all_partnerships(svc(app).db)
    for target in ("agreed", "carried_out", "ongoing"):
        answer = await forge(asso, f"pp:{pair.id}:{target}")
        assert "les deux côtés ont confirmé" in answer
        [pair] = await partnerships.all_partnerships(svc(app).db)
        assert pair.stage is Stage.INTRODUCED
    message = await some_message(asso)
    await asso.press(data=f"pp:{pair.id}:met", message=message)
    [pair] = await partnerships.all_partnerships(svc(app).db)
    assert pair.stage is Stage.MET
    answer = await forge(asso, f"pp:{pair.id}:agreed")
    assert "les deux côtés ont confirmé" in answer
    [pair] = await partnerships.all_partnerships(svc(app).db)
    assert pair.stage is Stage.MET


async def test_not_for_us_blocks_requests_both_ways_and_reveals_no_paused_name(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """After B dismisses C, C's forged Interested on B is refused; m:n on a paused
    organisation answers without its name."""
    b = await seed(app, standin, company_profile(52_001, "Pixel & Co", (Item("web"),)))
    c = await seed(app, standin, association_profile(52_002, "Les Tournesols"))
    b_user, c_user = standin.users[b.owner_user_id], standin.users[c.owner_user_id]
    message = await some_message(b_user)
    shown = await b_user.press(data=f"m:n:{c.id}", message=message)
    assert "Les Tournesols" in shown[-1].text
    before = await snapshot(svc(app).db)
    b_chat = len(standin.chat(b.owner_user_id))
    answer = await forge(c_user, f"m:i:{b.id}")
    assert "n'est plus disponible" in answer
    assert await snapshot(svc(app).db) == before
    assert len(standin.chat(b.owner_user_id)) == b_chat

    hidden = await seed(app, standin, association_profile(52_003, "Asso Discrète"))
    await standin.users[hidden.owner_user_id].send("/pause")
    message = await some_message(b_user)
    shown = await b_user.press(data=f"m:n:{hidden.id}", message=message)
    assert "n'est plus disponible" in shown[-1].text
    assert not any("Discrète" in m.text for m in b_user.bot_messages)
    assert await snapshot(svc(app).db) == before


async def test_eight_people_joining_at_once_cannot_pass_the_limit(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Eight associations open the invitation at the same moment for an event limited to two
    per side: two are registered, six are told it is full, and publishing keeps all who were
    told they are in."""
    db, now = svc(app).db, svc(app).clock()
    event = await events.create(
        db, title="Petite bourse", starts_at=START, venue="CCI", minutes=7, tables=2, rounds=2,
        max_per_side=2, invite_code="tiny53", organiser_user_id=ORGANISER, now=now,
    )  # fmt: skip
    people = [
        standin.users[
            (await seed(app, standin, association_profile(53_000 + n, f"Asso {n}"))).owner_user_id
        ]
        for n in range(8)
    ]
    marks = [standin.event_count] * 8
    for user in people:
        standin.push_message(user, text="/start ev_tiny53")
    shown = await asyncio.gather(
        *(standin.wait_for_chat(u.id, mark) for u, mark in zip(people, marks, strict=True))
    )
    answers = [s[-1].text for s in shown]
    assert sum("Vous êtes inscrit·e" in a for a in answers) == 2
    assert sum("complet" in a for a in answers) == 6
    assert len(await events.participants(db, event.id)) == 2


async def test_a_paused_organisation_sends_no_request(standin: BotApiStandIn, app: BotApp) -> None:
    """Pause stops outgoing requests too: a forged Interested from a paused company is refused
    and the association receives nothing."""
    company = await seed(app, standin, company_profile(54_001, "Pixel & Co", (Item("web"),)))
    asso = await seed(app, standin, association_profile(54_002, "Les Tournesols"))
    user = standin.users[company.owner_user_id]
    await user.send("/pause")
    before = await snapshot(svc(app).db)
    answer = await forge(user, f"m:i:{asso.id}")
    assert "en pause" in answer
    assert await snapshot(svc(app).db) == before
    assert not standin.users[asso.owner_user_id].bot_messages


async def test_the_kind_cannot_change_once_there_is_history(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A company with a partnership cannot become an association from /profile (which would
    make a company-company pair possible); it is told why and stays a company."""
    _, company = await introduce(standin, app, 55_000)
    profile = (await company.send("/profile"))[-1]
    await company.press("✏️ Type", message=profile)
    shown = await company.press("Association")
    assert "ne peut plus changer" in shown[0].text
    org = await svc(app).db.fetchone(
        "SELECT kind FROM organisations WHERE owner_user_id = ?", (company.id,)
    )
    assert org is not None
    assert org[0] == "company"


async def test_both_sides_interested_make_one_request_and_one_introduction(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """The association asks; the company then presses Interested on the association too: that
    is a yes, so they are introduced once, with one request on record."""
    company = await seed(app, standin, company_profile(56_001, "Pixel & Co", (Item("web"),)))
    asso = await seed(app, standin, association_profile(56_002, "Les Tournesols"))
    a_user, c_user = standin.users[asso.owner_user_id], standin.users[company.owner_user_id]
    message = await some_message(a_user)
    mark = standin.event_count
    await a_user.press(data=f"m:i:{company.id}", message=message)
    await standin.wait_for_chat(c_user.id, mark)
    message = await some_message(c_user)
    shown = await c_user.press(data=f"m:i:{asso.id}", message=message)
    assert "accepté" in shown[-1].text
    await standin.wait_for(lambda: any("Mise en relation" in m.text for m in a_user.bot_messages))
    await asyncio.sleep(0.3)
    for user in (a_user, c_user):
        assert sum("Mise en relation" in m.text for m in user.bot_messages) == 1
    assert (await snapshot(svc(app).db))["interests"] == 1
    assert len(await partnerships.all_partnerships(svc(app).db)) == 1


@pytest.fixture
async def two_organisers(
    standin: BotApiStandIn, tmp_path: Path, clock: Clock
) -> AsyncIterator[BotApp]:
    """The bot with two organisers, ORGANISER and ORGANISER - 1."""
    async with bot_running(
        standin, tmp_path / "p.sqlite3", clock=clock, organiser_ids=f"{ORGANISER},{ORGANISER - 1}"
    ) as (application, _):
        yield application


async def test_a_double_tap_or_two_organisers_publish_once(
    standin: BotApiStandIn, two_organisers: BotApp
) -> None:
    """Publish pressed twice at once by one organiser, and by a second organiser at the same
    moment: every participant gets one agenda."""
    app = two_organisers
    event_id, companies, associations = await published_event(standin, app, 57_000)
    people = [standin.users[o.owner_user_id] for o in companies + associations]
    # A late registration makes a new publication due; then three presses race for it.
    late = await seed(app, standin, association_profile(57_100, "Asso tardive"))
    await events.join(svc(app).db, event_id, late.id, svc(app).clock())
    people.append(standin.users[late.owner_user_id])
    first, second = standin.users[ORGANISER], standin.user(ORGANISER - 1, "Second")
    cards = [(await first.send("/events"))[-1], (await second.send("/events"))[-1]]
    data = f"ev:pubyes:{event_id}"
    queries = [
        standin.push_callback(user, card, data)
        for user, card in ((first, cards[0]), (first, cards[0]), (second, cards[1]))
    ]
    await standin.wait_for(lambda: all(q in standin.callback_answers for q in queries))
    await asyncio.sleep(0.5)
    # One publication came of the three presses (the answer replaces each card's text, so
    # the count is read from the event itself).
    event = await events.get(svc(app).db, event_id)
    assert event is not None
    assert event.schedule_version == 2, "the first publication and one more"
    # Only those whose meeting changed are told (once), with one more calendar file (never
    # two); the newcomer gets at most their first.
    for user in people[:-1]:
        assert sum(m.document is not None for m in user.bot_messages) in (1, 2)
        assert sum("votre programme change" in m.text for m in user.bot_messages) <= 1
    assert sum(m.document is not None for m in people[-1].bot_messages) <= 1


async def test_a_second_record_on_an_agreed_pair_counts_once(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A pair that met at the event records a partnership, then a corrected one: both
    confirmed, the report counts one partnership."""
    event_id, companies, associations = await published_event(standin, app, 58_000)
    [meeting, *_] = await events.meetings(svc(app).db, event_id)
    company = next(c for c in companies if c.id == meeting.company)
    asso = next(a for a in associations if a.id == meeting.association)
    a_user, c_user = standin.users[asso.owner_user_id], standin.users[company.owner_user_id]
    agenda = next(m for m in a_user.bot_messages if "Votre agenda" in m.text)

    def recorded() -> int:
        return sum("Partenariat enregistré" in m.text for m in a_user.bot_messages)

    for words, start in (("Premier accord", f"📝 {company.name}"), ("Accord corrigé", None)):
        if start is not None:
            await a_user.press(start, message=agenda)
        else:
            [pair] = await partnerships.all_partnerships(svc(app).db)
            await a_user.press(data=f"rec:start:{pair.id}", message=await some_message(a_user))
        await a_user.press(f"{company.name} nous apporte")
        await a_user.press("Mécénat de compétences")
        await a_user.send(words)
        await a_user.press("Passer")
        await a_user.press("Passer")
        mark = standin.event_count
        await a_user.press(f"Envoyer à {company.name}")
        [request] = await standin.wait_for_chat(c_user.id, mark)
        done = recorded() + 1
        await c_user.press("Je confirme", message=request)
        await standin.wait_for(lambda: recorded() == done)  # noqa: B023 - awaited here
        await asyncio.sleep(0.2)  # the organiser's live count follows
    organiser = standin.users[ORGANISER]
    card = next(m for m in reversed(await organiser.send("/events")) if m.buttons)
    report = (await organiser.press("Compteur et bilan", message=card))[-1]
    assert "1 partenariat enregistré" in report.text
    shown = await c_user.send("/partnerships", expect=2)
    assert "Accord corrigé" in shown[-1].text
