"""Telegram's limits hold for the longest answers the forms accept (emoji, accents, <&>):
every message within 4096 UTF-16 units, captions within 1024, buttons within theirs.

The stand-in refuses anything over a limit and records it, and the `standin` fixture fails a
test that left any violation; the assertions here check that nothing was left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from bot.app import BotApp
from core.models import OrgKind, ProfileData
from core.text import MAX_BUTTONS, MAX_CAPTION, MAX_MESSAGE, utf16_len
from core.validation import MAX_DESCRIPTION, MAX_DETAIL
from sandbox.scenarios import (
    LONGEST_EMAIL,
    PEOPLE,
    SKILLS,
    longest_profile,
    longest_text,
    publish_schedule,
    register_longest,
)
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import introductions, notifications
from storage.db import to_db_time
from tests.harness import ORGANISER, Clock, seed, svc

# Rounds, tables and people per side of the big speed meeting.
BIG = 30


def fits(message: ChatMessage) -> bool:
    limit = MAX_CAPTION if message.document or message.photo else MAX_MESSAGE
    buttons = message.buttons
    return (
        utf16_len(message.text) <= limit
        and len(buttons) <= MAX_BUTTONS
        and all(len(data.encode()) <= 64 for _, data in buttons)
    )


def since(user: SimUser, mark: int) -> list[ChatMessage]:
    """The bot's messages in the user's chat from the `mark`-th message on."""
    return [m for m in user.messages[mark:] if m.from_bot]


async def seed_longest(
    app: BotApp, standin: BotApiStandIn, owner: int, kind: OrgKind, label: str
) -> ProfileData:
    profile = longest_profile(owner, kind, label)
    await seed(app, standin, profile)
    return profile


@contextmanager
def refused_today(standin: BotApiStandIn) -> Iterator[None]:
    """For the tests the lead turns green: what the stand-in refused is part of what fails,
    and it is cleared so the fixture does not fail the (expected) failure a second time."""
    try:
        yield
        assert standin.violations == []
    finally:
        standin.violations.clear()


# --- profile --------------------------------------------------------------------------------


async def test_the_longest_profile_is_summarised_registered_and_shown_whole(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Every field at its longest: the summary arrives (in several messages if need be) with
    the buttons under its last part, confirming works, and /profile shows it all again."""
    marie = standin.user(20_001, "Marie")
    start = len(marie.messages)
    await register_longest(marie, "Asso longue")
    await standin.wait_for(lambda: any("Valider" in str(m.buttons) for m in marie.bot_messages))
    messages = since(marie, start)
    head = max(i for i, m in enumerate(messages) if "Vérifiez votre profil" in m.text)
    summary = messages[head:]
    assert len(summary) >= 2, "at its longest the summary needs two messages"
    expected = [
        longest_text(100, "Asso longue"),
        longest_text(MAX_DESCRIPTION, "Asso longue"),
        LONGEST_EMAIL,
        *(longest_text(MAX_DETAIL, f"Asso longue need {c}") for c in SKILLS),
        *(longest_text(MAX_DETAIL, f"Asso longue offer {c}") for c in PEOPLE),
    ]
    shown = "".join(m.text for m in summary)
    for value in expected:
        assert value in shown
    assert all(fits(m) for m in since(marie, start))
    assert "Valider" in str(summary[-1].buttons), "the buttons come under the last part"

    await marie.press("Valider", expect=2)
    await standin.wait_for(
        lambda: any("fait maintenant partie de Passerelle" in m.text for m in marie.bot_messages)
    )

    mark = len(marie.messages)
    await marie.send("/profile")
    await standin.wait_for(lambda: any("Supprimer" in str(m.buttons) for m in since(marie, mark)))
    assert len(since(marie, mark)) >= 2
    profile = "".join(m.text for m in since(marie, mark))
    for value in expected:
        assert value in profile
    assert all(fits(m) for m in since(marie, mark))


# --- matches and partnerships ---------------------------------------------------------------


async def test_matches_and_requests_between_the_longest_profiles(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Eight companies at their longest match an association at its longest: /matches shows
    each card with its reasons, "show more" too, and a request reaches the company."""
    for n in range(8):
        await seed_longest(app, standin, 21_100 + n, OrgKind.COMPANY, f"Société {n:02}")
    await seed_longest(app, standin, 21_000, OrgKind.ASSOCIATION, "Asso 00")
    asso = standin.users[21_000]
    shown = await asso.send("/matches", expect=7)
    cards = [m for m in shown if m.buttons and "Intéressé" in m.buttons[0][0]]
    assert len(cards) == 5
    for card in cards:
        assert card.text.startswith("Société ")
        assert "répond à" in card.text
    more = await asso.press("Voir plus", expect=4)
    assert sum(1 for m in more if m.buttons and "Intéressé" in m.buttons[0][0]) == 3
    other_id = int(cards[0].buttons[0][1].split(":")[-1])  # the companies were seeded first
    company = standin.users[21_100 + other_id - 1]
    mark = standin.event_count
    await asso.press("Intéressé", message=cards[0])
    [request] = await standin.wait_for_chat(company.id, mark, expect=1)
    assert "souhaite vous rencontrer" in request.text
    assert longest_text(100, "Asso 00") in request.text
    assert all(fits(m) for u in standin.users.values() for m in u.bot_messages)


async def _introduce(app: BotApp, association_id: int, company_id: int) -> None:
    """A request accepted, straight in storage: the pair enters the pipeline."""
    db, now, policy = svc(app).db, svc(app).clock(), svc(app).policy
    interest = await introductions.request(
        db, association_id, company_id, now=now, expires_at=now + policy.request_expiry,
        cap=1000, delays=policy.nudges,
    )  # fmt: skip
    assert isinstance(interest, introductions.Interest)
    assert await introductions.answer(
        db, interest, accept=True, association_id=association_id, company_id=company_id,
        now=now, delays=policy.nudges,
    )  # fmt: skip


async def test_partnerships_and_a_pipeline_of_40_stuck_pairs(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """An association with 40 partners at their longest sees its partnerships; the organiser's
    /pipeline lists all 40 stuck pairs, over several messages if need be."""
    await seed_longest(app, standin, 22_000, OrgKind.ASSOCIATION, "Asso 00")
    association = 1
    for n in range(40):
        await seed_longest(app, standin, 22_100 + n, OrgKind.COMPANY, f"Société {n:02}")
        await _introduce(app, association, association + 1 + n)
    await svc(app).db.execute_write(
        "UPDATE partnerships SET stuck_since = ?", (to_db_time(svc(app).clock()),)
    )
    asso = standin.users[22_000]
    shown = await asso.send("/partnerships", expect=21)
    assert "(40)" in shown[0].text
    assert all("Société " in m.text and m.buttons for m in shown[1:])

    organiser = standin.user(ORGANISER, "Organisatrice")
    mark = len(organiser.messages)
    await organiser.send("/pipeline")
    await standin.wait_for(lambda: "Société 39" in "".join(m.text for m in since(organiser, mark)))
    parts = since(organiser, mark)
    text = "".join(m.text for m in parts)
    assert "Pipeline des partenariats" in parts[0].text
    for n in range(40):
        assert f"Société {n:02}" in text
    assert all(fits(m) for m in parts)


# --- speed meetings -------------------------------------------------------------------------


async def create_longest_event(organiser: SimUser, size: int) -> str:
    """An event with the longest title and venue, `size` tables and rounds; its payload."""
    await organiser.send("/newevent")
    await organiser.send(longest_text(120, "Bourse"))
    await organiser.send("01/12/2026 14:00")
    await organiser.send(longest_text(120, "CCI"))
    await organiser.press("7 minutes")
    await organiser.send(str(size))
    await organiser.send(str(size))
    await organiser.send(str(size))
    shown = await organiser.press("Enregistrer", expect=2)
    invitation = shown[-1]
    assert invitation.photo is not None
    assert longest_text(120, "Bourse") in invitation.text
    assert fits(invitation), "the QR code's caption stays within 1024"
    link = next(w for w in invitation.text.split() if w.startswith("https://t.me/"))
    return link.split("start=")[1]


async def speed_meeting(app: BotApp, standin: BotApiStandIn, size: int, base: int) -> list[SimUser]:
    """`size` companies and `size` associations at their longest, all joined; the organiser
    first, then companies, then associations."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_longest_event(organiser, size)
    people = []
    for kind, offset, label in (
        (OrgKind.COMPANY, 0, "Société"),
        (OrgKind.ASSOCIATION, 500, "Asso"),
    ):
        for n in range(size):
            await seed_longest(app, standin, base + offset + n, kind, f"{label} {n:02}")
            people.append(standin.users[base + offset + n])
    for user in people:
        shown = await user.send(f"/start {payload}")
        assert "Vous êtes inscrit·e" in shown[-1].text
    return [organiser, *people]


async def all_wishes(user: SimUser, size: int) -> dict[str, str]:
    """Every page of /wishes, by its arrows: label → button data of each toggle."""
    header, page = await user.send("/wishes", expect=2)
    assert f"{size} participants" in header.text
    toggles: dict[str, str] = {}
    while True:
        assert fits(page)
        assert len(page.buttons) <= 12
        toggles.update({label: data for label, data in page.buttons if data.startswith("ew:")})
        if not any(label.startswith("Suivants") for label, _ in page.buttons):
            return toggles
        [page] = await user.press("Suivants", message=page)


async def test_a_30_by_30_speed_meeting_with_the_longest_names(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """30 companies and 30 associations, every field at its longest, 30 tables and rounds:
    everyone's /wishes lists the whole other side a page at a time and each toggle works;
    the schedule is published, every agenda lists all 30 rounds; the report works."""
    organiser, *people = await speed_meeting(app, standin, BIG, 23_000)
    for user in people:
        toggles = await all_wishes(user, BIG)
        assert len(toggles) == BIG
        side = "Asso" if user.id < 23_500 else "Société"
        assert {label[2:].split(" ")[0] for label in toggles} == {side}

    # A toggle on page 2 turns to ★ and leaves the arrows in place.
    asso = people[BIG]
    await asso.send("/wishes", expect=2)
    [page] = await asso.press("Suivants")
    first = page.buttons[0][0]
    [page] = await asso.press(first, message=page)
    assert page.buttons[0][0] == "★" + first[1:]
    assert any("Précédents" in label for label, _ in page.buttons)
    assert any(label.startswith("Suivants") for label, _ in page.buttons)

    cards = await organiser.send("/events")
    await publish_schedule(organiser, cards[-1], expect=3)
    await standin.wait_for(lambda: all(any(m.document for m in u.bot_messages) for u in people), 60)
    for user in people:
        agenda = "".join(m.text for m in user.bot_messages if "Votre agenda" in m.text)
        assert agenda.count("Tour ") == BIG
    assert all(fits(m) for u in standin.users.values() for m in u.bot_messages)

    cards = await organiser.send("/events")
    report = (await organiser.press("Compteur et bilan", message=cards[-1]))[-1]
    assert f"{BIG} entreprises, {BIG} associations" in report.text
    assert f"{BIG * BIG} rencontres programmées" in report.text


async def test_every_agenda_keeps_each_meetings_reason_across_parts(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """16×16 at the longest: an agenda too long for one message comes in parts (each within
    4096, each with the 📝/🔁 buttons of its own meetings) and loses nothing, reasons included."""
    size = 16
    with refused_today(standin):
        organiser, *people = await speed_meeting(app, standin, size, 24_000)
        cards = await organiser.send("/events")
        await publish_schedule(organiser, cards[-1], expect=3)
        await standin.wait_for(
            lambda: all(any(m.document for m in u.bot_messages) for u in people), 60
        )
        for user in people:
            parts = [m for m in user.bot_messages if "Votre agenda" in m.text]
            lines = [line for m in parts for line in m.text.split("\n") if line.startswith("Tour ")]
            assert len(lines) == size
            assert all("répond à" in line for line in lines), "each meeting says why"
            records = [data for m in parts for _, data in m.buttons if data.startswith("em:rec")]
            assert len(records) == size
            assert all(fits(m) for m in parts)


async def test_a_digest_of_16_long_notifications_arrives_whole(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Sixteen associations at their longest for one company beyond its daily cap: the digest
    names all sixteen, in several messages if need be, each within 4096.

    Today `_digest` sends one message that Telegram refuses. To integrate: send
    `split_html(text)` in order with the "See my matches" button under the last part (or pack
    the lines with `core.text.pack`, or shorten the names with `shorten(name, NAME_IN_LIST)`)."""
    with refused_today(standin):
        await seed_longest(app, standin, 25_000, OrgKind.COMPANY, "Société 00")
        db = svc(app).db
        # Queued at night, so that the morning sends them together: two alone, then a digest.
        clock.moment = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
        for n in range(18):
            await seed_longest(app, standin, 25_100 + n, OrgKind.ASSOCIATION, f"Asso {n:02}")
            await notifications.enqueue(db, 1, 2 + n, 3.0 - n / 100, clock())
        owner = standin.users[25_000]
        clock.moment = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
        await standin.wait_for(
            lambda: sum("Nouvelle correspondance" in m.text for m in owner.bot_messages) == 2
        )
        await asyncio.sleep(0.5)  # the digest follows in the same round of the job
        assert any(
            "16 nouvelles organisations vous correspondent" in m.text for m in owner.bot_messages
        )
        digest = "".join(m.text for m in owner.bot_messages if "Nouvelle" not in m.text)
        for n in range(2, 18):
            assert f"Asso {n:02}" in digest
        assert all(fits(m) for m in owner.bot_messages)
