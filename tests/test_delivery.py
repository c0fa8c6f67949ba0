"""Nothing lost: every message that announces a change goes through the outbox, and Telegram's
failures (500, 429, 403, 400, a failed question mid-form) lose nothing and send nothing twice.

Faults are injected at the stand-in, on the exact message that matters.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import BotApp
from core.delivery import OutMessage
from core.models import Item
from sandbox.scenarios import association_profile, company_profile, publish_schedule
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import conversations, events, organisations, outbox
from tests.harness import ORGANISER, Clock, RunningClock, ask_and_accept, bot_running, seed, svc

INTRO = "Mise en relation"


async def eventually(predicate: Callable[[], Awaitable[bool] | bool]) -> None:
    """Wait (10 s at most) for something the stand-in does not see: a log line, a stored
    state."""
    for _ in range(200):
        found = predicate()
        if found if isinstance(found, bool) else await found:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("it did not happen in time")


def intros(user: SimUser) -> int:
    return sum(INTRO in m.text for m in user.bot_messages)


async def test_a_500_on_the_introduction_is_retried_until_the_asker_has_it(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """The accepter gets the details at once; the asker's copy meets a 500, stays in the
    outbox, and arrives once on the retry, with the contact details."""
    asso, company = await ask_and_accept(standin, app, 20_000, fault=(500, 1))
    assert intros(company) == 1
    await asyncio.sleep(0.3)
    assert intros(asso) == 0, "not delivered yet: Telegram answered 500"
    clock.advance(seconds=3)  # the first retry is due 2 s later
    await standin.wait_for(lambda: intros(asso) == 1, 10)
    intro = next(m for m in asso.bot_messages if INTRO in m.text)
    assert "c20001@example.org" in intro.text
    clock.advance(minutes=10)
    await asyncio.sleep(0.3)
    assert intros(asso) == 1, "sent exactly once"


async def test_a_429_is_waited_out_as_telegram_asks(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Flood control on the asker's chat: the message waits retry_after, then arrives once."""
    # Four 429s: the rate limiter's own retries (3) give up, the outbox takes over.
    asso, _ = await ask_and_accept(standin, app, 21_000, fault=(429, 4))
    await standin.wait_for(
        lambda: sum(e.method.startswith("failed:") for e in standin.chat_events(asso.id)) == 4, 15
    )
    db = svc(app).db

    async def released() -> bool:
        return not (await outbox.counts(db)).get("sending")

    await eventually(released)
    assert intros(asso) == 0
    clock.advance(seconds=2)
    await standin.wait_for(lambda: intros(asso) == 1, 15)
    await asyncio.sleep(0.3)
    assert intros(asso) == 1


async def test_a_blocked_person_gets_what_was_held_when_they_come_back(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """A 403 marks the organisation unreachable and holds its messages; when the person
    writes again (any message), the introduction is delivered, once."""
    asso_id = 22_002
    asso, _ = await ask_and_accept(standin, app, 22_000, fault=(403, 1))
    db = svc(app).db

    async def unreachable() -> bool:
        org = await organisations.get_by_owner(db, asso_id)
        return org is not None and org.unreachable_since is not None

    await eventually(unreachable)
    assert (await outbox.counts(db)).get("held") == 1
    clock.advance(hours=1)
    await asyncio.sleep(0.3)
    assert intros(asso) == 0, "nothing is sent to someone who blocked the bot"
    await asso.send("/help", expect=1)
    await standin.wait_for(lambda: intros(asso) == 1, 10)
    back = await organisations.get_by_owner(db, asso_id)
    assert back is not None
    assert back.unreachable_since is None


async def test_a_blocked_person_who_presses_a_button_gets_what_was_held(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Coming back by pressing an old button (no message typed) counts as coming back too:
    the held introduction is delivered."""
    asso_id = 22_102
    asso, _ = await ask_and_accept(standin, app, 22_100, fault=(403, 1))
    db = svc(app).db

    async def unreachable() -> bool:
        org = await organisations.get_by_owner(db, asso_id)
        return org is not None and org.unreachable_since is not None

    await eventually(unreachable)
    assert intros(asso) == 0
    await asso.press(data="zz:stale", message=asso.bot_messages[-1], expect=0)
    await standin.wait_for(lambda: intros(asso) == 1, 10)
    back = await organisations.get_by_owner(db, asso_id)
    assert back is not None
    assert back.unreachable_since is None


async def test_a_refused_message_is_logged_without_its_content_and_never_retried(
    standin: BotApiStandIn, app: BotApp, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """A 400 is a bug in the message: it is logged (kind and Telegram's reason, no personal
    data) and dropped, while the chat's later messages still go out."""
    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        asso, _ = await ask_and_accept(standin, app, 23_000, fault=(400, 1))
        await eventually(
            lambda: any("refused by Telegram" in r.getMessage() for r in caplog.records)
        )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "introduction" in logged
    assert "c23001@example.org" not in logged
    assert "Pixel" not in logged
    clock.advance(hours=1)
    await asyncio.sleep(0.3)
    assert intros(asso) == 0, "a refused message is not retried"
    assert (await outbox.counts(svc(app).db)).get("failed") == 1
    # The chat is not stuck behind it: the week-later contact question arrives.
    clock.advance(days=7)
    await standin.wait_for(
        lambda: any("Avez-vous pris contact" in m.text for m in asso.bot_messages), 10
    )


async def test_a_question_telegram_could_not_take_does_not_shift_the_next_answer(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Mid-registration, the question after the name fails every retry. The stored step and
    the bot's step stay the same, so the next answer goes to the description (and the bot
    asks where they act), while the name is kept."""
    user = standin.user(24_000, "Jeanne")
    await user.send("/start")
    await user.press("Français")
    await user.press("Association")
    standin.fail_next(user.id, 500, count=3, methods=frozenset({"sendMessage"}))
    mark = standin.event_count
    standin.push_message(user, text="Les Tournesols")
    await standin.wait_for(
        lambda: sum(e.method == "failed:sendMessage" for e in standin.events[mark:]) == 3, 10
    )
    shown = await user.send("Jardins partagés et ateliers de réparation")
    assert "Où agissez-vous" in shown[-1].text
    stored = await conversations.load_data(svc(app).db, "registration", user.id, user.id)
    assert stored is not None
    step, draft = stored
    assert step == "location"
    assert draft["name"] == "Les Tournesols"
    assert draft["description"] == "Jardins partagés et ateliers de réparation"


async def test_a_500_on_the_question_is_retried_at_once_and_the_person_sees_it(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """One 500 on the next question: it is sent again straight away, and the form goes on."""
    user = standin.user(25_000, "Jeanne")
    await user.send("/start")
    await user.press("Français")
    await user.press("Association")
    standin.fail_next(user.id, 500, count=1, methods=frozenset({"sendMessage"}))
    shown = await user.send("Les Tournesols")
    assert "que fait" in shown[-1].text
    shown = await user.send("Jardins partagés")
    assert "Où agissez-vous" in shown[-1].text


async def test_a_clean_stop_mid_sending_sends_nothing_twice(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """Stopped while 30 queued messages go out slowly: the ones in flight finish first, and
    the next start sends the rest, each exactly once."""
    people = [standin.user(26_000 + n, f"P{n}") for n in range(30)]
    clock = Clock()
    async with bot_running(standin, db_path, clock=clock, telegram_max_rate=10) as (app, db):
        await outbox.put(
            db,
            [OutMessage(p.id, "test", f"Message pour {p.first_name}") for p in people],
            clock(),
        )
        svc(app).wake()
        await standin.wait_for(lambda: sum(len(p.bot_messages) for p in people) >= 5, 10)
    stopped_with = sum(len(p.bot_messages) for p in people)
    assert stopped_with < 30
    async with bot_running(standin, db_path, clock=clock):
        await standin.wait_for(lambda: all(len(p.bot_messages) >= 1 for p in people), 15)
        await asyncio.sleep(0.3)
    assert [len(p.bot_messages) for p in people] == [1] * 30


async def test_the_dispatcher_wakes_for_what_is_queued_not_on_a_poll(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """With an hour between idle checks, an introduction still arrives at once (the handler
    rings), and a live round's message arrives when the round starts (the dispatcher sleeps
    until exactly then)."""
    clock = RunningClock(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    async with bot_running(
        standin, db_path, clock=clock, dispatch_idle_check="1h", organiser_ids=str(ORGANISER)
    ) as (app, db):
        asso, company = await ask_and_accept(standin, app, 27_000)
        await standin.wait_for(lambda: intros(asso) == 1 and intros(company) == 1, 10)

        organiser = standin.user(ORGANISER, "Organisatrice")
        event = await events.create(
            db, title="Bourse", starts_at=clock() + timedelta(seconds=12), venue="Metz",
            minutes=7, tables=1, rounds=1, max_per_side=5, invite_code="wake",
            organiser_user_id=ORGANISER, now=clock(),
        )  # fmt: skip
        for user in (asso, company):
            org = await organisations.get_by_owner(db, user.id)
            assert org is not None
            await events.join(db, event.id, org.id, clock())
        cards = await organiser.send("/events")
        await publish_schedule(organiser, cards[-1])
        # The grid and the CSV come through the outbox meanwhile: find the card itself.
        mark = len(organiser.bot_messages)
        await organiser.send("/events")

        def card() -> ChatMessage | None:
            fresh = organiser.bot_messages[mark:]
            return next((m for m in fresh if "Mode direct" in str(m.buttons)), None)

        await standin.wait_for(lambda: card() is not None)
        shown = card()
        assert shown is not None
        await organiser.press("Mode direct", message=shown)
        await standin.wait_for(lambda: any("rencontrez" in m.text for m in asso.bot_messages), 20)


async def test_an_introduction_gives_the_telegram_username_as_a_link(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Both said yes: besides e-mail and phone, a Telegram username (when the person has one)
    comes as a t.me link, so the first step is one tap away."""
    pixel = await seed(
        app,
        standin,
        replace(company_profile(28_001, "Pixel & Co", (Item("web"),)), owner_username="pixel_co"),
    )
    await seed(app, standin, association_profile(28_002, "Les Tournesols"))
    asso, company = standin.users[28_002], standin.users[28_001]
    await asso.send("/matches")
    interested = f"m:i:{pixel.id}"
    await standin.wait_for(lambda: any(interested in str(m.buttons) for m in asso.bot_messages))
    card = next(m for m in asso.bot_messages if interested in str(m.buttons))
    mark = standin.event_count
    await asso.press("Intéressé", message=card)
    [request] = await standin.wait_for_chat(company.id, mark, expect=1)
    await company.press("Accepter", message=request, expect=2)
    await standin.wait_for(lambda: intros(asso) == 1)
    intro = next(m for m in asso.bot_messages if INTRO in m.text)
    assert intro.html is not None
    assert '<a href="https://t.me/pixel_co">@pixel_co</a>' in intro.html
    assert "t.me" not in next(m for m in company.bot_messages if INTRO in m.text).text
